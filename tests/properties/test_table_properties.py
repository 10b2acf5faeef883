"""Properties of reading tables and quantities: each would have caught a way a file was
misread (issue 10)."""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wellbeing_budget as wb
from wellbeing_budget.units import parse_quantity

FRAMEWORK = wb.load_framework("nz-wellbeing-budget-2019")
HEADER = [
    "proposal",
    "title",
    "lead_agency",
    "indicator",
    "change",
    "people",
    "start",
    "duration",
    "evidence",
]
# One folder for every generated file, removed when the tests end.
_SCRATCH = tempfile.TemporaryDirectory()
UNITS = ["year", "years", "percentage_point", "million NZD", "point", "tCO2e", "DKK", "kr"]


@settings(max_examples=200, deadline=None)
@given(st.floats(-1e12, 1e12, allow_nan=False), st.sampled_from(UNITS))
def test_number_then_unit_parses_to_that_number(value: float, unit: str) -> None:
    parsed = parse_quantity(f"{value!r} {unit}")
    assert parsed.magnitude == value
    assert parsed.unit == ("DKK" if unit == "kr" else unit)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_any_quantity_text_parses_or_is_refused_by_our_error(text: str) -> None:
    try:
        quantity = parse_quantity(text)
    except wb.UnitError:
        return
    assert math.isfinite(quantity.magnitude)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 999), st.integers(0, 999), st.sampled_from(UNITS))
def test_a_comma_is_never_read_silently(whole: int, part: int, unit: str) -> None:
    with pytest.raises(wb.UnitError, match="write '"):
        parse_quantity(f"{whole},{part:03d} {unit}")


cell = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**20), 10**20),
    st.sampled_from(["#N/A", "NA", "0,5 year", "1,000", "=1+1", "-0.4 percentage_point"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cell, min_size=len(HEADER), max_size=len(HEADER)), max_size=4))
def test_any_dataframe_loads_or_raises_our_error(rows: list[list[object]]) -> None:
    frame = pd.DataFrame(rows, columns=HEADER, dtype=object)
    try:
        bids = wb.load_proposals(frame)
        card = wb.score(FRAMEWORK, bids)
    except wb.WellbeingBudgetError:
        return
    json.loads(card.to_json(), parse_constant=lambda c: pytest.fail(f"non-strict JSON {c}"))
    assert all(math.isfinite(v) for v in card.summary()[["current_total", "future_total"]].stack())


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_any_csv_text_loads_or_raises_our_error(text: str) -> None:
    folder = Path(tempfile.mkdtemp(dir=_SCRATCH.name))
    path = folder / "impacts.csv"
    path.write_text(",".join(HEADER) + "\n" + text, encoding="utf-8")
    # anything else (a ValueError, a KeyError...) fails the test
    with contextlib.suppress(wb.WellbeingBudgetError):
        wb.load_proposals(path)


GOOD = [
    "p{n}",
    "Bid {n}",
    "Ministry",
    "nz.psychological-distress",
    "-0.{n} percentage_point",
    "",
    "2020",
    "5 years",
    "medium",
]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 12),
    st.data(),
    st.lists(st.sampled_from(["blank", "note"]), max_size=6),
)
def test_an_error_at_any_row_reports_its_physical_line(
    n: int, data: st.DataObject, extras: list[str]
) -> None:
    bad = data.draw(st.integers(0, n - 1))
    lines = [",".join([*HEADER, "note"])]
    physical = 1  # physical lines written so far
    expected = 0
    for row in range(n):
        if extras and extras[row % len(extras)] == "blank":
            lines.append("")
            physical += 1
        cells = [c.format(n=row + 1) for c in GOOD]
        if row == bad:
            cells[8] = "strong"
            expected = physical + 1
        note = '"two\nlines"' if "note" in extras and row % 2 else "x"
        lines.append(",".join([*cells, note]))
        physical += 1 + note.count("\n")
    folder = Path(tempfile.mkdtemp(dir=_SCRATCH.name))
    path = folder / "impacts.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(wb.ValidationError) as info:
        wb.load_proposals(path)
    (problem,) = info.value.problems
    assert problem.line == expected, (problem, lines)


def bids_frame(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    impacts = pd.DataFrame(
        [[c.format(n=i + 1) for c in GOOD] for i in range(n)], columns=HEADER, dtype=object
    )
    impacts["people"] = None
    costs = pd.DataFrame(
        [[f"p{i + 1}", 2020 + i % 3, f"{i + 1}.5 million NZD"] for i in range(n)],
        columns=["proposal", "year", "amount"],
        dtype=object,
    )
    return impacts, costs


@settings(max_examples=10, deadline=None)
@given(st.integers(1, 6))
def test_the_same_bids_as_yaml_csv_and_excel_score_identically(n: int) -> None:
    pytest.importorskip("openpyxl")
    folder = Path(tempfile.mkdtemp(dir=_SCRATCH.name))
    impacts, costs = bids_frame(n)
    impacts.to_csv(folder / "impacts.csv", index=False)
    costs.to_csv(folder / "costs.csv", index=False)
    with pd.ExcelWriter(folder / "bids.xlsx") as book:
        impacts.to_excel(book, sheet_name="impacts", index=False)
        costs.to_excel(book, sheet_name="costs", index=False)
    proposals = []
    for i in range(n):
        row = impacts.iloc[i]
        proposals.append(
            {
                "id": row.proposal,
                "title": row.title,
                "lead_agency": row.lead_agency,
                "costs": [{"year": int(costs.iloc[i].year), "amount": costs.iloc[i].amount}],
                "impacts": [
                    {
                        "indicator": row.indicator,
                        "change": row.change,
                        "timing": {"start": 2020, "duration": "5 years"},
                        "evidence": "medium",
                    }
                ],
            }
        )
    (folder / "bids.yaml").write_text(json.dumps({"proposals": proposals}), encoding="utf-8")
    cards = [
        wb.score(FRAMEWORK, wb.load_proposals(folder / "bids.yaml")),
        wb.score(FRAMEWORK, wb.load_proposals(impacts, costs)),
        wb.score(FRAMEWORK, wb.load_proposals(folder / "impacts.csv", folder / "costs.csv")),
        wb.score(FRAMEWORK, wb.load_proposals(folder / "bids.xlsx")),
    ]
    for card in cards[1:]:
        assert card.to_json() == cards[0].to_json()


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=20).filter(lambda t: t.strip() != ""))
def test_exports_never_hold_a_live_formula_or_markup(title: str) -> None:
    from wellbeing_budget.io.files import csv_text

    impacts, costs = bids_frame(1)
    impacts.loc[0, "title"] = title
    card = wb.score(FRAMEWORK, wb.load_proposals(impacts, costs))
    text = csv_text(card.summary())
    written = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)["title"].iloc[0]
    assert not written.startswith(("=", "+", "-", "@"))
    if re.search(r"<[A-Za-z/!?]", title):  # text a browser would read as a tag
        # The same card under a harmless title of the same length: the title may add no raw
        # occurrence of itself (a short title such as '<s' also begins '<span').
        impacts.loc[0, "title"] = "x" * len(title)
        plain = wb.score(FRAMEWORK, wb.load_proposals(impacts, costs))
        raw = title.strip()
        for html, baseline in (
            (card._repr_html_(), plain._repr_html_()),
            (card.explain("p1")._repr_html_(), plain.explain("p1")._repr_html_()),
        ):
            assert html.count(raw) == baseline.count(raw)
