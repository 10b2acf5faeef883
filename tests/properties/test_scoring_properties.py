"""Properties of scoring that hold by construction (linearity), checked on generated bids."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import wellbeing_budget as wb
from wellbeing_budget.units import is_share_unit

LSF = wb.load_framework("nz-lsf-2021")
INDICATORS = [i for i in LSF.indicators if i.direction.kind != "target"]
BASE = LSF.price_year

magnitude = st.floats(min_value=-50, max_value=50, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=0.01, max_value=50, allow_nan=False, allow_infinity=False)


def change_unit(indicator: wb.Indicator) -> str:
    return "percentage_point" if is_share_unit(indicator.unit) else indicator.unit


# Quarter years: timings need not be whole years (a programme may run 2.25 years).
quarters = st.integers(1, 320).map(lambda q: q / 4)


@st.composite
def impacts(draw: st.DrawFn) -> dict[str, Any]:
    indicator = draw(st.sampled_from(INDICATORS))
    duration = draw(quarters)
    relative = indicator.baseline is not None and draw(st.booleans())
    return {
        "indicator": indicator.id,
        "change": (draw(magnitude), change_unit(indicator)),
        "relative": relative,
        "people": draw(st.one_of(st.none(), st.integers(1, 100_000))),
        "group": draw(st.sampled_from(["all", "children_0_14", "maori"])),
        "start": BASE + draw(st.integers(0, 60)),
        "ramp_years": draw(st.integers(0, int(duration * 4)).map(lambda q: q / 4)),
        "duration_years": duration,
        "persistence": draw(st.floats(0, 0.95)),
        "evidence": draw(st.sampled_from(["high", "medium", "low"])),
    }


def _impact_key(item: dict[str, Any]) -> str:
    return repr(sorted(item.items()))


@st.composite
def bids(draw: st.DrawFn, pid: str = "p") -> dict[str, Any]:
    return {
        "id": pid,
        # two identical impacts are refused (the effect would count twice)
        "impacts": draw(st.lists(impacts(), min_size=1, max_size=4, unique_by=_impact_key)),
        "costs": draw(st.lists(st.tuples(st.integers(0, 10), positive), max_size=3)),
        "fiscal": draw(
            st.lists(
                st.tuples(st.integers(0, 10), positive, st.sampled_from(["saving", "revenue"])),
                max_size=2,
            )
        ),
    }


def build(spec: dict[str, Any], *, money: str = "million NZD", time: str = "year") -> wb.Proposal:
    """The proposal, with money written in ``money`` and durations in ``time``."""
    per_year = {"year": 1.0, "month": 12.0}[time]
    per_million = {"million NZD": 1.0, "NZD": 1e6}[money]
    impacts = []
    for item in spec["impacts"]:
        size, unit = item["change"]
        impact: dict[str, Any] = {
            "indicator": item["indicator"],
            **(
                {"relative_change": f"{size / 100!r}"}
                if item.get("relative")
                else {"change": f"{size!r} {unit}"}
            ),
            "group": item["group"],
            "evidence": item["evidence"],
            "timing": {
                "start": item["start"],
                "ramp_up": f"{item['ramp_years'] * per_year!r} {time}",
                "duration": f"{item['duration_years'] * per_year!r} {time}",
                "persistence": item["persistence"],
            },
        }
        if item["people"] is not None:
            impact["people"] = item["people"]
        if "note" in item:
            impact["note"] = item["note"]
        impacts.append(impact)
    return wb.Proposal.model_validate(
        {
            "id": spec["id"],
            "title": spec["id"],
            "lead_agency": "A",
            "impacts": impacts,
            "costs": [
                {"year": BASE + offset, "amount": f"{amount * per_million!r} {money}"}
                for offset, amount in spec["costs"]
            ],
            "fiscal_effects": [
                {"year": BASE + offset, "amount": f"{amount * per_million!r} {money}", "kind": kind}
                for offset, amount, kind in spec.get("fiscal", [])
            ],
        }
    )


def figures(card: wb.Scorecard) -> pd.DataFrame:
    return card.summary().drop(columns=["title", "lead_agency"])


@settings(max_examples=60, deadline=None)
@given(bids())
def test_the_same_bid_in_other_units_scores_the_same(spec: dict[str, Any]) -> None:
    plain = figures(wb.score(LSF, [build(spec)]))
    other = figures(wb.score(LSF, [build(spec, money="NZD", time="month")]))
    pd.testing.assert_frame_equal(plain, other, check_exact=False, rtol=1e-12, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(bids(), st.floats(0.0, 1.0))
def test_splitting_an_impact_sums_exactly(spec: dict[str, Any], share: float) -> None:
    whole = build(spec)
    first = dict(spec["impacts"][0])
    size, unit = first["change"]
    part_a = {**first, "change": (size * share, unit)}
    # told apart by a note: two identical impacts are refused
    part_b = {**first, "change": (size * (1 - share), unit), "note": "second part"}
    split = build({**spec, "impacts": [part_a, part_b, *spec["impacts"][1:]]})
    a = figures(wb.score(LSF, [whole]))
    b = figures(wb.score(LSF, [split]))
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.lists(bids(), min_size=2, max_size=6), st.randoms(use_true_random=False))
def test_order_of_proposals_changes_no_figure(specs: list[dict[str, Any]], rng: Any) -> None:
    proposals = [build({**s, "id": f"p{i}"}) for i, s in enumerate(specs)]
    shuffled = list(proposals)
    rng.shuffle(shuffled)
    a = figures(wb.score(LSF, proposals))
    b = figures(wb.score(LSF, shuffled)).loc[a.index]
    pd.testing.assert_frame_equal(a, b, check_exact=True)


@settings(max_examples=60, deadline=None)
@given(bids(), positive)
def test_a_larger_beneficial_change_never_lowers_a_score(
    spec: dict[str, Any], extra: float
) -> None:
    first = spec["impacts"][0]
    indicator = LSF.indicator(first["indicator"])
    sign = 1.0 if indicator.direction.kind == "higher_is_better" else -1.0
    size, unit = first["change"]
    better = {**first, "change": (size + sign * extra, unit)}
    a = figures(wb.score(LSF, [build(spec)]))
    b = figures(wb.score(LSF, [build({**spec, "impacts": [better, *spec["impacts"][1:]]})]))
    for column in ("current_total", "future_total"):
        assert b[column].iloc[0] >= a[column].iloc[0] - 1e-12


@settings(max_examples=60, deadline=None)
@given(bids())
def test_none_discounting_equals_the_plain_profile_sum(spec: dict[str, Any]) -> None:
    card = wb.score(LSF, [build(spec)], wellbeing_discount="none")
    explanation = card.explain(spec["id"]).impacts
    assert np.allclose(explanation.discounted_current, explanation.years_current)
    assert np.allclose(explanation.discounted_future, explanation.years_future)
    expected = (explanation.years_current * explanation.standard_effect * explanation.weight).sum()
    assert np.isclose(card.summary().current_total.iloc[0], expected, rtol=1e-12, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(bids())
def test_scoring_is_deterministic(spec: dict[str, Any]) -> None:
    a = wb.score(LSF, [build(spec)])
    b = wb.score(LSF, [build(spec)])
    assert a.to_json() == b.to_json()
    assert a.to_csv() == b.to_csv()
