"""The scorecard's JSON: the text ``json.dumps(indent=2)`` would give, built a column at a
time, with Python's rounding to the bit."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wellbeing_budget as wb
from wellbeing_budget.analysis.results import round_decimals
from wellbeing_budget.model.proposal import Impact, MoneyLine, Proposal, Timing
from wellbeing_budget.units import Quantity

FRAMEWORK = wb.load_framework("nz-wellbeing-budget-2019")
EXAMPLE = wb.example_path("nz-wellbeing-budget-2019/proposals.yaml")


def canonical(text: str) -> str:
    return json.dumps(json.loads(text), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


@pytest.mark.parametrize("future_weight", [None, 0.3])
def test_json_is_the_text_json_dumps_gives(future_weight: float | None) -> None:
    card = wb.score(FRAMEWORK, wb.load_proposals(EXAMPLE), future_weight=future_weight)
    text = card.to_json()
    assert text == canonical(text)
    document = json.loads(text)
    assert ("combined_total" in document["proposals"][0]) is (future_weight is not None)
    assert [p["id"] for p in document["proposals"]] == [p.id for p in card.proposals]
    summary = card.summary()
    for entry in document["proposals"]:
        row = summary.loc[entry["id"]]
        assert entry["title"] == row["title"]
        assert entry["current"]["total"] == round(float(row["current_total"]), 10)
        assert entry["future"]["people"] == round(float(row["future_people"]), 10)
        assert entry["cost_npv"] == round(float(row["cost_npv"]), 10)
        assert entry["breadth"]["domains"] == int(row["n_domains"])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(min_size=1, max_size=30).filter(lambda s: s.strip() == s and s != ""),
            st.floats(-50, 50, allow_nan=False),
            st.booleans(),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_any_titles_and_figures_give_strict_canonical_json(
    bids: list[tuple[str, float, bool]],
) -> None:
    proposals = [
        Proposal(
            id=f"p{n}",
            title=title,
            lead_agency='Te "Manatū" %s {0} \\ agency',
            impacts=(
                Impact(
                    indicator="nz.psychological-distress",
                    change=Quantity(change, "percentage_point"),
                    timing=Timing(start=2020, duration=Quantity(5, "years")),
                    evidence="medium",
                ),
            ),
            costs=(MoneyLine(year=2020, amount=Quantity(3, "million NZD")),) if costed else (),
        )
        for n, (title, change, costed) in enumerate(bids)
    ]
    card = wb.score(FRAMEWORK, proposals)
    text = card.to_json()
    assert text == canonical(text)
    document = json.loads(text, parse_constant=lambda c: pytest.fail(f"non-strict JSON {c}"))
    assert [p["title"] for p in document["proposals"]] == [b[0] for b in bids]
    # a bid without cost has no effect-years per million: null, never NaN
    assert [p["ce_current"] is None for p in document["proposals"]] == [not b[2] for b in bids]


def test_json_of_no_proposals_is_an_empty_list() -> None:
    card = wb.score(FRAMEWORK, [])
    text = card.to_json()
    assert json.loads(text)["proposals"] == []
    assert text == canonical(text)


@settings(max_examples=300)
@given(
    st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), max_size=50),
    st.integers(0, 12),
)
def test_round_decimals_is_pythons_round_bit_for_bit(values: list[float], decimals: int) -> None:
    got = round_decimals(np.array(values, dtype=np.float64), decimals).tolist()
    assert [repr(v) for v in got] == [repr(round(v, decimals)) for v in values]


def test_round_decimals_on_halves_and_scaling_noise() -> None:
    # 2.675 is 2.67499999... in binary: Python says 2.67, where a naive scale-and-round
    # could say 2.68; 1.0000000000000000555e-10 scales to exactly a half.
    values = [2.675, 0.125, 0.375, -0.125, 1.5e-10, 2.5e-10, 1e16 + 2, 5e-324, -0.0]
    for decimals in (2, 10):
        got = round_decimals(np.array(values), decimals).tolist()
        assert [repr(v) for v in got] == [repr(round(v, decimals)) for v in values]
    assert math.isnan(round_decimals(np.array([math.nan]), 10)[0])
