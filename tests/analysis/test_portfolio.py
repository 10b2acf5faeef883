"""The package within the money: proven optimal, equal to brute force, and explained."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wellbeing_budget as wb
from wellbeing_budget.analysis.portfolio import frontier, mission_summary, solve
from wellbeing_budget.io.limits import parse_limits

from ..conftest import ROOT

NZ = ROOT / "examples" / "nz-wellbeing-budget-2019" / "proposals.yaml"


@pytest.fixture(scope="module")
def nz() -> wb.Scorecard:
    return wb.score(wb.load_framework("nz-wellbeing-budget-2019"), wb.load_proposals(NZ))


def _brute_force(
    values: np.ndarray, costs: np.ndarray, limits: np.ndarray, exclusive: list[list[int]]
) -> float:
    n = len(values)
    subsets = np.array(list(itertools.product([0, 1], repeat=n)), dtype=np.float64)
    feasible = (subsets @ costs.T <= limits[None, :] + 1e-9).all(axis=1)
    for group in exclusive:
        feasible &= subsets[:, group].sum(axis=1) <= 1
    return float((subsets[feasible] @ values).max())


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 14),
    years=st.integers(1, 4),
    data=st.data(),
)
def test_equals_brute_force_up_to_14_bids(n: int, years: int, data: st.DataObject) -> None:
    values = np.array(data.draw(st.lists(st.integers(-20, 100), min_size=n, max_size=n)), float)
    costs = np.array(
        data.draw(
            st.lists(
                st.lists(st.integers(0, 50), min_size=n, max_size=n), min_size=years, max_size=years
            )
        ),
        float,
    )
    limits = np.array(
        data.draw(st.lists(st.integers(0, 200), min_size=years, max_size=years)), float
    )
    exclusive = [[0, n - 1]] if n >= 2 and data.draw(st.booleans()) else []
    solution = solve(values, costs, limits, exclusive=exclusive)
    assert solution.optimal
    assert solution.objective == pytest.approx(
        _brute_force(values, costs, limits, exclusive), abs=1e-6
    )
    assert (costs @ solution.shares <= limits + 1e-6).all()
    assert set(np.unique(solution.shares)) <= {0.0, 1.0}


def test_proven_optimal_on_1000_bids_with_10_yearly_limits() -> None:
    """Bids that each spend in one of 10 years, values tied loosely to costs (as bids that
    cost more tend to do more). benchmarks/portfolio.py solves a harder multi-year version."""
    rng = np.random.default_rng(7)
    n, years = 1000, 10
    costs = np.zeros((years, n))
    costs[rng.integers(0, years, n), np.arange(n)] = rng.uniform(1, 100, n) * 1e6
    values = costs.sum(axis=0) / 1e6 * rng.uniform(0.5, 1.5, n)
    limits = costs.sum(axis=1) * 0.3
    solution = solve(values, costs, limits, time_limit=120)
    assert solution.optimal, solution.status
    assert (costs @ solution.shares <= limits * (1 + 1e-9)).all()
    relaxed = solve(values, costs, limits, scalable=list(range(n)))
    assert relaxed.objective * (1 - 0.02) <= solution.objective <= relaxed.objective + 1e-6


def test_scalable_bid_is_funded_in_part() -> None:
    solution = solve(np.array([10.0, 1.0]), np.array([[4.0, 1.0]]), np.array([2.0]), scalable=[0])
    assert solution.objective == pytest.approx(max(5.0, 0.25 * 10 + 1.0))


def test_package_reports_limits_and_reasons(nz: wb.Scorecard) -> None:
    package = nz.choose(limits="1 billion NZD")
    assert package.optimal
    assert set(package.limits["limit"]) == {f"total {y}" for y in range(2019, 2024)}
    assert (package.limits["used"] <= package.limits["amount"] + 1e-6).all()
    assert len(package.chosen) + len(package.excluded) == len(nz)
    for reason in package.excluded["reason"]:
        assert reason.startswith("limit total 2019")
    assert nz.decision["package"] is package
    summary = nz.summary()
    assert package.objective == pytest.approx(summary.loc[package.ids, "current_total"].sum())


def test_must_fund_exclusive_and_missions(nz: wb.Scorecard) -> None:
    free = nz.choose(limits="1 billion NZD")
    left_out = free.excluded["proposal"].iloc[0]
    forced = nz.choose(limits="1 billion NZD", must_fund=[left_out])
    assert left_out in forced.ids and forced.objective <= free.objective
    pair = ["kiwirail", "mh-access-choice"]
    one = nz.choose(limits="10 billion NZD", exclusive=[pair])
    assert len(set(pair) & set(one.ids)) == 1
    out = next(p for p in pair if p not in one.ids)
    reason = one.excluded.set_index("proposal").loc[out, "reason"]
    assert "mutually exclusive" in reason
    tied = nz.choose(limits="1 billion NZD", missions={"m": ["housing-first", "kiwirail"]})
    assert ("housing-first" in tied.ids) == ("kiwirail" in tied.ids)


def test_minimum_share_is_met(nz: wb.Scorecard) -> None:
    package = nz.choose(limits="600 million NZD", min_share={"pillar:environment": 0.5})
    table = nz.to_frame()
    chosen = table[table.proposal.isin(package.ids) & (table.generation == "current")]
    share = (
        chosen.loc[chosen.pillar == "environment", "effect_years"].sum() / chosen.effect_years.sum()
    )
    assert share >= 0.5 - 1e-6


def test_capital_limit_counts_capital_lines_only() -> None:
    framework = wb.load_framework("nz-wellbeing-budget-2019")
    base = wb.load_proposals(NZ)
    proposals = [
        p.model_copy(
            update={"costs": tuple(c.model_copy(update={"budget": "capital"}) for c in p.costs)}
        )
        if p.id == "kiwirail"
        else p
        for p in base
    ]
    card = wb.score(framework, proposals)
    package = card.choose(limits=[{"limit": "0 NZD", "kind": "capital"}])
    assert "kiwirail" not in package.ids and len(package.ids) == len(card) - 1


def test_frontier_is_efficient(nz: wb.Scorecard) -> None:
    table = frontier(nz, limits="500 million NZD", points=5)
    assert len(table) >= 1
    for _, row in table.iterrows():
        dominated = (table.current_total > row.current_total + 1e-9) & (
            table.future_total > row.future_total + 1e-9
        )
        assert not dominated.any()


def test_mission_scored_as_one(nz: wb.Scorecard) -> None:
    table = mission_summary(nz, {"mental-health": ["mh-access-choice", "suicide-prevention"]})
    summary = nz.summary()
    expected = summary.loc[["mh-access-choice", "suicide-prevention"], "current_total"].sum()
    assert table.loc["mental-health", "current_total"] == pytest.approx(expected)


def test_limits_file_problems_are_located() -> None:
    with pytest.raises(wb.ValidationError) as info:
        parse_limits("limit,year,knd\n1 billion NZD,2020,operating\n", "limits.csv")
    assert "limits.csv:1:3" in str(info.value) and "did you mean 'kind'" in str(info.value)
    with pytest.raises(wb.ValidationError) as info:
        parse_limits(
            "limit,year\n1.9 billion,2020\n5 million NZD,2020\n5 million NZD,2020\n", "l.csv"
        )
    text = str(info.value)
    assert "l.csv:2:1" in text and "l.csv:4" in text and "second total 2020" in text
    assert (
        parse_limits("limit,year,kind\n1 million NZD,,capital\n")[0].label == "capital, every year"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"limits": "1 billion DKK"}, "never converted"),
        ({"limits": "1 billion NZD", "must_fund": ["kiwirial"]}, "did you mean 'kiwirail'"),
        ({"limits": "1 billion NZD", "objective": "curent"}, "did you mean 'current'"),
        ({"limits": "1 billion NZD", "min_share": {"pillar:peple": 0.2}}, "did you mean 'people'"),
        ({"limits": "1 NZD", "must_fund": ["kiwirail"]}, "no package satisfies"),
    ],
)
def test_bad_requests_are_our_errors(nz: wb.Scorecard, options: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(wb.WellbeingBudgetError, match=message):
        nz.choose(**options)


def test_the_frontier_reaches_the_report() -> None:
    import wellbeing_budget as wb

    from ..conftest import ROOT

    card = wb.score(
        wb.load_framework("nz-wellbeing-budget-2019"),
        wb.load_proposals(ROOT / "examples" / "nz-wellbeing-budget-2019" / "proposals.yaml"),
    )
    assert "frontier" not in card.decision
    table = card.frontier(limits="1 billion NZD", points=3)
    assert len(table) >= 1 and card.decision["frontier"] is table
    assert (table["cost_npv"] > 0).all()
    assert "<h2>Current/future frontier</h2>" in card.to_html()
