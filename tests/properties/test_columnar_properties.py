"""Tables read as columns give what tables read row by row give: the same proposals, the same
places, the same problems; compiled straight from the columns, or as proposal objects laid
out as arrays, they give the same numbers to the last bit (and the same problems) as the
proposals compiled one impact at a time.

The row-by-row reader is the reference here: it is what every table was read with before
tables were read as columns, and what still reads any table with a doubtful cell.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import wellbeing_budget as wb
from wellbeing_budget.engine import compile as compile_module
from wellbeing_budget.engine.compile import CompiledBudget, compile_budget
from wellbeing_budget.io.tables import DEFAULT_TABLE_LIMITS, _load_tables, load_proposal_tables
from wellbeing_budget.model.proposal import ProposalSet

LSF = wb.load_framework("nz-lsf-2021")

# (indicator, how its change may be written): absolute units that fit it, and whether it has
# a baseline (so that a relative change can be scored).
INDICATORS: dict[str, tuple[list[str], bool]] = {
    "nz.life-expectancy": (["year", "years", "months", "week"], True),
    "nz.self-rated-health": (["percentage_point", "pp"], True),
    "nz.psychological-distress": (["percentage_point", "percent"], False),
    "nz.student-skills": (["point", ""], True),
    "nz.household-income": (["NZD", "thousand NZD"], False),
    "nz.net-ghg-emissions": (["MtCO2e"], False),
    "nz.child-poverty": (["percentage_point"], False),
    "nz.no-such-indicator": (["year"], False),
}
GROUPS = [*LSF.group_ids, "nobody"]


def _number(value: float) -> str:
    return repr(value) if not value.is_integer() else str(int(value))


@st.composite
def impact_rows(draw: st.DrawFn) -> dict[str, Any]:
    indicator = draw(st.sampled_from(sorted(INDICATORS)))
    units, has_baseline = INDICATORS[indicator]
    magnitude = draw(
        st.floats(-50, 50, allow_nan=False).map(lambda v: round(v, draw(st.integers(0, 6))))
    )
    row: dict[str, Any] = {"indicator": indicator}
    if has_baseline and draw(st.booleans()):
        row["relative_change"] = f"{_number(magnitude)} {draw(st.sampled_from(['percent', '']))}"
    else:
        row["change"] = f"{_number(magnitude)} {draw(st.sampled_from(units))}".strip()
    if draw(st.booleans()):
        row["people"] = draw(st.sampled_from([1, 250, 1000, 12_500.5, 10_000_000, "2000"]))
    row["group"] = draw(st.sampled_from([None, *GROUPS]))
    row["start"] = draw(st.sampled_from([2021, 2022, 2025, 2030, 2200]))
    duration = draw(st.integers(1, 40))
    row["duration"] = f"{duration} {draw(st.sampled_from(['years', 'year', 'months']))}"
    row["ramp_up"] = draw(
        st.sampled_from([None, "0 years", "1 year", "18 months", "2 years", "50 years"])
    )
    row["persistence"] = draw(st.sampled_from([None, 0.0, 0.5, 0.95]))
    row["evidence"] = draw(st.sampled_from(["high", "medium", "low"]))
    row["note"] = draw(st.sampled_from([None, "a", "b"]))
    return row


@st.composite
def tables(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = draw(st.lists(st.sampled_from(["a", "b", "c.d", "e-1"]), min_size=1, max_size=8))
    rows = []
    for n, ident in enumerate(ids):
        row = {"proposal": ident, **draw(impact_rows())}
        if ids.index(ident) == n or draw(st.booleans()):
            row["title"] = f"Bid {ident}"
            # now and then two rows of a bid disagree on its lead agency
            usual = "Health" if ident in ("a", "c.d") else "Treasury"
            row["lead_agency"] = usual if draw(st.integers(0, 9)) else "Police"
        if draw(st.booleans()):
            row["partner_agencies"] = "Education; Police" if draw(st.integers(0, 5)) else "Health"
        rows.append(row)
    costs = [
        {
            "proposal": draw(st.sampled_from(ids)),
            "year": draw(st.sampled_from([2021, 2023, 2024])),
            "amount": draw(st.sampled_from(["12 million NZD", "-3.5 thousand NZD", "40 NZD"])),
            "kind": draw(st.sampled_from([None, "cost", "saving", "revenue"])),
        }
        for _ in range(draw(st.integers(0, 4)))
    ]
    # an empty cell is None (a NaN is refused where it would change a figure)
    names = list(dict.fromkeys(k for row in rows for k in row))
    impacts = pd.DataFrame([[row.get(k) for k in names] for row in rows], columns=names)
    impacts = impacts.astype(object).where(impacts.notna(), None)
    return impacts, pd.DataFrame(costs, columns=["proposal", "year", "amount", "kind"])


def outcome(read: Callable[[], ProposalSet]) -> tuple[Any, ...]:
    """What reading gives: the proposals and where each part of them was written, or the
    problems (the same ones, in the same order, located the same way)."""
    try:
        bids = read()
    except wb.ValidationError as exc:
        return ("refused", exc.problems, exc.more)
    places = [
        bids.origin(p).problem(path, "")
        for p in range(len(bids))
        for path in (("title",), ("impacts", 0, "change"), ("costs", 0, "amount"), ())
    ]
    return ("read", bids.proposals, places)


def compiled(build: Callable[[], CompiledBudget]) -> Any:
    try:
        return build()
    except wb.ValidationError as exc:
        return exc.problems


def one_impact_at_a_time(bids: ProposalSet) -> Any:
    """The reference: proposal objects compiled one impact at a time (as before arrays)."""
    objects = ProposalSet(bids.proposals, bids.origins, bids.name)
    with mock.patch.object(compile_module, "_object_arrays", return_value=None):
        return compiled(lambda: compile_budget(LSF, objects))


def assert_compiles_alike(bids: ProposalSet) -> None:
    """Columns, objects laid out as arrays, and objects one impact at a time: one result."""
    reference = one_impact_at_a_time(bids)
    objects = ProposalSet(bids.proposals, bids.origins, bids.name)
    assert_identical(compiled(lambda: compile_budget(LSF, bids)), reference)
    assert_identical(compiled(lambda: compile_budget(LSF, objects)), reference)


def assert_identical(a: Any, b: Any) -> None:
    """Two compilations agree exactly: every array bit for bit, every label."""
    assert type(a) is type(b)
    if not isinstance(a, CompiledBudget):
        assert a == b
        return
    for field in dataclasses.fields(a):
        x, y = getattr(a, field.name), getattr(b, field.name)
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype, field.name
            assert x.tobytes() == y.tobytes(), field.name
        elif field.name != "proposals":
            assert x == y, field.name


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_dataframes_read_as_columns_equal_the_row_by_row_reader(
    frames: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    impacts, costs = frames
    columns = outcome(lambda: load_proposal_tables(impacts, costs))
    rows = outcome(lambda: _load_tables(impacts, costs, ".", ",", DEFAULT_TABLE_LIMITS))
    assert columns == rows
    if columns[0] == "read":
        assert_compiles_alike(load_proposal_tables(impacts, costs))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_csv_files_read_as_columns_equal_the_row_by_row_reader(
    frames: tuple[pd.DataFrame, pd.DataFrame], newline: str, blank_lines: bool
) -> None:
    impacts, costs = frames
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "impacts.csv"
        text = impacts.to_csv(index=False, lineterminator=newline)
        if blank_lines:  # blank lines and rows of empty cells count as lines, not rows
            lines = text.split(newline)
            lines.insert(2, "")
            lines.insert(1, "," * (len(impacts.columns) - 1))
            text = newline.join(lines)
        path.write_bytes(text.encode())
        cost_path = Path(folder) / "costs.csv"
        costs.to_csv(cost_path, index=False)
        columns = outcome(lambda: load_proposal_tables(path, cost_path))
        rows = outcome(lambda: _load_tables(path, cost_path, ".", ",", DEFAULT_TABLE_LIMITS))
        assert columns == rows
        if columns[0] == "read":
            bids = load_proposal_tables(path, cost_path)
            assert bids.source is not None, "a plain CSV file is read as columns"
            assert_compiles_alike(bids)


def test_a_table_is_kept_as_columns_and_its_proposals_built_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "impacts.csv"
    path.write_text(
        "proposal,title,lead_agency,indicator,change,start,duration,evidence\n"
        "a,A,Health,nz.life-expectancy,0.1 year,2022,5 years,high\n"
        "\n"
        "b,B,Police,nz.life-expectancy,2 months,2023,5 years,low\n",
        encoding="utf-8",
    )
    bids = wb.load_proposals(path)
    assert bids.source is not None
    assert bids.ids == ("a", "b")
    assert bids.get("b").impacts[0].change == wb.Quantity(2.0, "months")
    assert [p.id for p in bids[::-1]] == ["b", "a"]
    assert bids == ProposalSet(bids.proposals, bids.origins, bids.name)
    # a quoted cell may hold a line break: such a file is read row by row, to the same bids
    quoted = path.read_text(encoding="utf-8").replace("a,A,", 'a,"A, the first",')
    path.write_text(quoted, encoding="utf-8")
    row_by_row = wb.load_proposals(path)
    assert row_by_row.source is None
    assert row_by_row[0].title == "A, the first"
    assert row_by_row[1] == bids[1]
    # an impact the framework cannot score is located on its line (the blank line counts)
    wrong = path.read_text(encoding="utf-8").replace("2 months", "2 kg")
    path.write_text(wrong, encoding="utf-8")
    with pytest.raises(wb.ValidationError) as info:
        wb.score(LSF, wb.load_proposals(path))
    (problem,) = info.value.problems
    assert (Path(problem.file or "").name, problem.line, problem.column) == ("impacts.csv", 4, 5)
    assert problem.path == ("rows", 1, "change")


@pytest.mark.parametrize("row", [1, 2])
def test_a_row_longer_than_the_header_is_refused_not_cut(tmp_path: Path, row: int) -> None:
    # pandas would drop the stray cell of a first data row longer than the header
    header = "proposal,title,lead_agency,indicator,change,start,duration,evidence"
    first = "a,A,Health,nz.life-expectancy,0.1 year,2022,5 years,high"
    lines = [header, first, first.replace("2022", "2023")]
    lines[row] += ",stray"
    path = tmp_path / "impacts.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(wb.ValidationError) as info:
        wb.load_proposals(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (row + 1, 9)
    assert "cells" in problem.message


def _scorable(impacts: pd.DataFrame, lists: list[tuple[str, str]]) -> pd.DataFrame:
    """The generated table with what no framework accepts replaced (so that most examples
    score), and proposal-level list columns added: ``lists`` gives each row's groups and
    priorities (the LSF has no priorities: they stay labels)."""
    table = impacts.replace({"nz.no-such-indicator": "nz.life-expectancy", "nobody": None})
    table["groups"] = [lists[n % len(lists)][0] or None for n in range(len(table))]
    table["priorities"] = [lists[n % len(lists)][1] or None for n in range(len(table))]
    return table.astype(object).where(table.notna(), None)


def _scored(bids: ProposalSet) -> Any:
    try:
        return wb.score(LSF, bids)
    except wb.ValidationError as exc:
        return exc.problems


LISTED = st.lists(
    st.tuples(
        st.sampled_from(["", "maori", "women; children_0_14"]),
        st.sampled_from(["", "child-wellbeing", "a; b.c"]),
    ),
    min_size=1,
    max_size=3,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), LISTED)
def test_a_card_read_as_columns_reads_as_a_card_of_objects(
    frames: tuple[pd.DataFrame, pd.DataFrame], lists: list[tuple[str, str]]
) -> None:
    """summary(), explain() and to_json() of a set kept as columns equal those of the same
    bids given as objects, and summary() and to_json() build no proposal."""
    impacts, costs = frames
    impacts = _scorable(impacts, lists)
    try:
        columns = load_proposal_tables(impacts, costs)
    except wb.ValidationError:
        return  # refused tables are compared with the row-by-row reader above
    if columns.source is None:
        return  # doubtful (two identical impacts...): read row by row, as objects already
    rows = _load_tables(impacts, costs, ".", ",", DEFAULT_TABLE_LIMITS)
    objects = ProposalSet(rows.proposals, rows.origins, rows.name)
    for name in ("ids", "titles", "lead_agencies", "partner_agencies", "agencies", "groups"):
        assert getattr(columns, name) == getattr(objects, name), name
    assert columns.priorities == objects.priorities
    assert columns.impact_columns() == objects.impact_columns()
    assert columns.money_columns() == objects.money_columns()
    scored = _scored(columns)
    if not isinstance(scored, wb.Scorecard):
        assert _scored(objects) == scored, "refused alike, with the same problems"
        return
    event("scored")
    by_columns, by_objects = scored, wb.score(LSF, objects)
    pd.testing.assert_frame_equal(by_columns.summary(), by_objects.summary(), check_exact=True)
    assert by_columns.to_json() == by_objects.to_json()
    assert all(item is None for item in columns._items), "summary() built proposals"
    for ident in dict.fromkeys(columns.ids):
        one, other = by_columns.explain(ident), by_objects.explain(ident)
        assert one.proposal == other.proposal
        pd.testing.assert_frame_equal(one.impacts, other.impacts, check_exact=True)
        pd.testing.assert_frame_equal(one.money, other.money, check_exact=True)
        assert pd.Series(one.totals).equals(pd.Series(other.totals))  # NaN equals NaN here
        assert one.notes == other.notes
        assert str(one) == str(other)


def test_a_varied_card_read_as_columns_reads_as_a_card_of_objects() -> None:
    """A fixed table with every kind of column: partner agencies, groups, priorities, people
    in units, relative changes, costs, savings and revenue on both budgets."""
    impacts = pd.DataFrame(
        {
            "proposal": ["b", "a", "b", "a", "c"],
            "title": ["Bid B", "Bid A", None, None, "Bid C"],
            "lead_agency": ["Health", "Police", None, "Police", "Treasury"],
            "partner_agencies": ["Education; Police", None, None, None, "Health"],
            "groups": [None, "maori; women", None, None, None],
            "priorities": ["child-wellbeing", None, None, None, "a; b"],
            "indicator": ["nz.life-expectancy", "nz.self-rated-health"] * 2 + ["nz.student-skills"],
            "change": ["0.1 year", None, "2 months", "1.5 pp", "3 point"],
            "relative_change": [None, "-5 percent", None, None, None],
            "people": [None, "2000", "12 thousand person", None, "250"],
            "start": [2021, 2022, 2025, 2021, 2030],
            "duration": ["5 years", "10 years", "18 months", "3 years", "1 year"],
            "evidence": ["high", "low", "medium", "high", "low"],
        }
    ).astype(object)
    impacts = impacts.where(impacts.notna(), None)
    costs = pd.DataFrame(
        {
            "proposal": ["a", "b", "a", "a", "c"],
            "year": [2022, 2021, 2021, 2023, 2024],
            "amount": ["3 million NZD", "12 million NZD", "40 NZD", "1 million NZD", "2 NZD"],
            "kind": ["saving", None, "cost", "revenue", "cost"],
            "budget": [None, "capital", None, None, "capital"],
        }
    ).astype(object)
    costs = costs.where(costs.notna(), None)
    columns = load_proposal_tables(impacts, costs)
    assert columns.source is not None
    rows = _load_tables(impacts, costs, ".", ",", DEFAULT_TABLE_LIMITS)
    objects = ProposalSet(rows.proposals)
    # Origins are worked out when they locate a problem, and locate it as the row reader does.
    for path in (("impacts", 0, "change"), ("costs", 0, "amount"), ("title",)):
        assert [o.problem(path, "m") for o in columns.origins] == [
            o.problem(path, "m") for o in rows.origins
        ]
    assert all(item is None for item in columns._items)
    assert columns.agencies == (
        ("Health", "Education", "Police"),
        ("Police",),
        ("Treasury", "Health"),
    )
    assert columns.groups == ((), ("maori", "women"), ())
    assert columns.money_columns() == objects.money_columns()
    assert columns.money_columns().kind == ("cost", "cost", "saving", "revenue", "cost")
    assert columns.impact_columns() == objects.impact_columns()
    assert columns.impact_columns().people_counts == (None, 12_000.0, 2000.0, None, 250.0)
    by_columns, by_objects = wb.score(LSF, columns), wb.score(LSF, objects)
    pd.testing.assert_frame_equal(by_columns.summary(), by_objects.summary(), check_exact=True)
    assert by_columns.summary()["n_agencies"].tolist() == [3, 1, 2]
    assert by_columns.to_json() == by_objects.to_json()
    for ident in ("a", "b", "c"):
        assert str(by_columns.explain(ident)) == str(by_objects.explain(ident))
        pd.testing.assert_frame_equal(
            by_columns.explain(ident).money, by_objects.explain(ident).money
        )
    assert by_columns.choose(limits="1 billion NZD").chosen.equals(
        by_objects.choose(limits="1 billion NZD").chosen
    )
