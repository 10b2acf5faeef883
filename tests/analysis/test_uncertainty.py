"""Monte Carlo over a scored budget: exact when nothing is uncertain, reproducible by seed."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wellbeing_budget as wb
from wellbeing_budget.analysis.uncertainty import FIGURES, _argsort_rows_stable
from wellbeing_budget.engine.simulate import BLOCK
from wellbeing_budget.model.uncertainty import EvidenceUncertainty, Uncertainty

from ..conftest import ROOT

NZ = ROOT / "examples" / "nz-wellbeing-budget-2019" / "proposals.yaml"
DK = ROOT / "examples" / "dk-trivsel"


def _zero(distribution: str = "lognormal") -> Uncertainty:
    level = EvidenceUncertainty(
        adjustment=1,
        spread=0,
        distribution=distribution,
        basis="judgement",  # type: ignore[arg-type]
    )
    return Uncertainty(
        evidence={"high": level, "medium": level, "low": level},
        judgement_scale_spread=0,
        weight_spread=0,
    )


@pytest.fixture(scope="module")
def nz() -> wb.Scorecard:
    return wb.score(wb.load_framework("nz-wellbeing-budget-2019"), wb.load_proposals(NZ))


@pytest.fixture(scope="module")
def dk() -> wb.Scorecard:
    return wb.score(
        wb.load_framework(DK / "framework.yaml"), wb.load_proposals(DK / "proposals.yaml")
    )


@pytest.mark.parametrize("distribution", ["lognormal", "normal"])
def test_no_spread_equals_the_deterministic_score_exactly(
    nz: wb.Scorecard, distribution: str
) -> None:
    sim = nz.simulate(draws=300, seed=3, uncertainty=_zero(distribution), values=False)
    summary = nz.summary()
    for name in FIGURES:
        draws = sim.figure(name)
        expected = np.broadcast_to(summary[name].to_numpy(), draws.shape)
        assert np.array_equal(draws, expected, equal_nan=True), name
    order = list(summary.sort_values("current_total", ascending=False, kind="stable").index)
    first = sim.rank_probabilities(1).iloc[:, 0]
    assert first[order[0]] == 1.0 and first.drop(order[0]).eq(0).all()


def test_no_spread_with_a_priced_framework_is_exact(dk: wb.Scorecard) -> None:
    sim = dk.simulate(draws=50, seed=1, uncertainty=_zero(), values=False)
    for name in ("current_total", "future_total", "benefit_npv", "net_cost_npv"):
        assert np.array_equal(sim.figure(name)[0], dk.summary()[name].to_numpy())


def test_spread_changes_draws_but_keeps_signs(nz: wb.Scorecard) -> None:
    sim = nz.simulate(draws=2000, seed=5)
    current = sim.figure("current_total")
    assert current.std(axis=0).max() > 0
    scored = nz.summary()["current_total"].to_numpy()
    # every effect of the NZ example is beneficial; log-normal factors never flip a sign
    assert (np.sign(current[:, scored > 0]) >= 0).all()
    table = sim.summary()
    assert (table["current_total_p5"] <= table["current_total_p50"]).all()
    assert (table["current_total_p50"] <= table["current_total_p95"]).all()


def test_mean_of_draws_is_near_the_expected_value(nz: wb.Scorecard) -> None:
    sim = nz.simulate(draws=20_000, seed=11, weights=False, scales=False)
    scored = nz.summary()["current_total"].to_numpy()
    mean = sim.figure("current_total").mean(axis=0)
    assert np.allclose(mean, scored, rtol=0.05)


def test_rank_probabilities_are_cumulative_and_sum_to_one(nz: wb.Scorecard) -> None:
    sim = nz.simulate(draws=500, seed=2)
    table = sim.rank_probabilities()
    assert np.allclose(table.iloc[:, -1], 1.0)
    assert (table.diff(axis=1).iloc[:, 1:] >= 0).all().all()
    assert np.allclose(table.iloc[:, 0].sum(), 1.0)
    a, b = "kiwirail", "mh-access-choice"
    assert sim.prob_beats(a, b) + sim.prob_beats(b, a) == pytest.approx(1.0)
    assert sim.beats([a, b]).loc[a, b] == sim.prob_beats(a, b)


def test_same_seed_same_draws_in_separate_processes(nz: wb.Scorecard, tmp_path) -> None:  # type: ignore[no-untyped-def]
    code = (
        "import sys, numpy as np, wellbeing_budget as wb\n"
        f"card = wb.score(wb.load_framework('nz-wellbeing-budget-2019'), wb.load_proposals({str(NZ)!r}))\n"
        "sim = card.simulate(draws=700, seed=42, discount=['uk-green-book-standard'])\n"
        "np.save(sys.argv[1], np.stack([sim.figure(f) for f in ('current_total', 'future_total', 'net_cost_npv')]))\n"
    )
    paths = [tmp_path / "a.npy", tmp_path / "b.npy"]
    for path in paths:
        subprocess.run([sys.executable, "-c", code, str(path)], check=True, cwd=ROOT)
    first, second = (np.load(p) for p in paths)
    assert np.array_equal(first, second)
    here = nz.simulate(draws=700, seed=42, discount=["uk-green-book-standard"])
    assert np.array_equal(first[0], here.figure("current_total"))
    other = nz.simulate(draws=700, seed=43, discount=["uk-green-book-standard"])
    assert not np.array_equal(first[0], other.figure("current_total"))


def test_results_do_not_depend_on_the_number_of_draws_asked(nz: wb.Scorecard) -> None:
    # whole blocks of draws are the same whatever the total asked for
    short = nz.simulate(draws=2 * BLOCK, seed=9).figure("current_total")
    long = nz.simulate(draws=3 * BLOCK + 5, seed=9).figure("current_total")
    assert np.array_equal(short, long[: 2 * BLOCK])


def test_switching_an_input_off_keeps_the_others_draws(nz: wb.Scorecard) -> None:
    both = nz.simulate(draws=200, seed=4, weights=False, scales=False, costs=False)
    effects_only = nz.simulate(draws=200, seed=4, weights=False, scales=False)
    assert np.array_equal(both.figure("current_total"), effects_only.figure("current_total"))


def test_discount_alternatives_mix_schedules(nz: wb.Scorecard) -> None:
    sim = nz.simulate(draws=400, seed=1, discount=["nz-treasury-2024-commercial"])
    assert set(np.unique(sim.result.alternative)) == {0, 1}
    assert sim.settings["discount"] == ["scored", "nz-treasury-2024-commercial"]


def test_cost_overrun_raises_costs_within_the_range(nz: wb.Scorecard) -> None:
    settings = nz.framework.uncertainty_settings.model_copy(
        update={
            "cost_overrun": wb.model.uncertainty.CostOverrun.model_validate(
                {"low": "2 percent", "high": "24 percent", "source": {"title": "Green Book"}}
            )
        }
    )
    sim = nz.simulate(draws=300, seed=1, uncertainty=settings)
    ratio = sim.result.cost / nz.summary()["cost_npv"].to_numpy()
    assert ratio.min() >= 1.02 - 1e-12 and ratio.max() <= 1.24 + 1e-12


def test_the_card_carries_the_latest_simulation(nz: wb.Scorecard) -> None:
    sim = nz.simulate(draws=10, seed=0)
    assert nz.decision["simulation"] is sim


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"draws": 0}, "draws must be"),
        ({"seed": -1}, "seed must be"),
        ({"rank_by": "curent_total"}, "did you mean 'current_total'"),
        ({"discount": ["nz-tresury"]}, "nz-tre"),
    ],
)
def test_bad_options_are_our_errors(nz: wb.Scorecard, options: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(wb.WellbeingBudgetError, match=message):
        nz.simulate(**options)


@settings(max_examples=40, deadline=None)
@given(
    draws=st.integers(1, 60),
    q=st.lists(st.floats(0, 100), min_size=1, max_size=5),
    seed=st.integers(0, 2**16),
)
def test_percentiles_equal_numpys(nz: wb.Scorecard, draws: int, q: list[float], seed: int) -> None:
    sim = nz.simulate(draws=draws, seed=seed)
    table = sim.percentiles(q)
    for name in ("current_total", "net_cost_npv"):
        expected = np.percentile(sim.figure(name), q, axis=0)
        for row, pct in enumerate(q):
            assert np.array_equal(table[f"{name}_p{pct:g}"].to_numpy(), expected[row]), pct


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.lists(st.sampled_from([-1.0, 0.0, 0.5, 2.0, np.inf]), min_size=1, max_size=12).map(
            tuple
        ),
        min_size=1,
        max_size=8,
    ).filter(lambda r: len({len(x) for x in r}) == 1)
)
def test_ranks_break_ties_by_proposal_order(rows: list[tuple[float, ...]]) -> None:
    # Few distinct values, so most rows have ties: the fast sort must agree with the stable one
    key = np.array(rows)
    assert np.array_equal(_argsort_rows_stable(key), np.argsort(key, axis=1, kind="stable"))
