"""Composite indices: the HDI reproduced from published data, methods and properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wellbeing_budget as wb
from wellbeing_budget.engine.indices import (
    aggregate,
    interpolate_years,
    kurtosis,
    last_value,
    normalise,
    skew,
    winsorise,
)

from ..conftest import DATA, hdi_sample, hdi_series

HDI = wb.load_framework("undp-hdi")


def sample() -> pd.DataFrame:
    return pd.read_csv(DATA / "hdi-2022-sample.csv")


def sample_data() -> pd.DataFrame:
    return hdi_sample()


def test_hdi_reproduces_the_published_values() -> None:
    """UNDP Human Development Report 2023/2024, composite indices time series: HDI 2022 for
    15 countries, published to 3 decimals (tests/data/hdi-2022-sample.csv)."""
    result = HDI.index(sample_data())
    index = result[result.level == "index"].set_index("jurisdiction")["score"]
    published = sample().set_index("country")["hdi_published"]
    assert len(index) == 15
    assert (index - published).abs().max() <= 0.0005


def test_hdi_holds_across_the_whole_series_and_caps_the_goalposts() -> None:
    result = HDI.index(hdi_series())
    index = result[result.level == "index"]
    assert len(index) == 5 * 33
    assert index.score.between(0, 1).all()
    # Australia's expected schooling exceeds the 18-year goalpost: its index is capped at 1
    aus = result[(result.jurisdiction == "Australia") & (result.id == "undp.expected-schooling")]
    assert (aus.value > 18).any() and aus.score.max() == 1.0
    ranks = index[index.year == 2022].set_index("jurisdiction")["rank"]
    assert sorted(ranks.tolist()) == [1, 2, 3, 4, 5]


def test_missing_components_are_refused_by_default() -> None:
    data = sample_data()
    data = data[~((data.jurisdiction == "Chad") & (data.indicator == "mean_schooling_years"))]
    with pytest.raises(wb.ValidationError, match=r"undp\.mean-schooling.*Chad"):
        HDI.index(data)
    dropped = HDI.index(data, missing="drop")
    assert ("Chad", 2022) in dropped.attrs["dropped"]
    assert "Chad" not in set(dropped[dropped.level == "index"].jurisdiction)
    renormalised = HDI.index(data, missing="renormalise")
    assert "Chad" in set(renormalised[renormalised.level == "index"].jurisdiction)


def test_better_life_index_with_equal_weights() -> None:
    raw = pd.read_csv(DATA / "oecd_bli_2015.csv", encoding="utf-8-sig")
    bli = wb.load_framework("oecd-better-life-index")
    rows = raw[(raw.INEQUALITY == "TOT") & ~raw.LOCATION.isin(["OECD"])]
    data = pd.DataFrame(
        {
            "jurisdiction": rows.Country,
            "indicator": rows.INDICATOR,
            "year": 2015,
            "value": rows.Value,
        }
    )
    result = bli.index(data)
    index = result[result.level == "index"].set_index("jurisdiction")
    assert len(index) == 36
    assert index.score.between(0, 1).all()
    # min-max: the best country on an indicator scores 1, the worst 0, whatever the direction
    homicide = result[result.id == "oecd.bli.homicide-rate"]
    lowest = homicide.loc[homicide.value.idxmin()]
    assert lowest.score == 1.0
    norway = index.loc["Norway", "rank"]
    assert norway <= 5


@pytest.mark.parametrize("method", ["minmax", "zscore", "rank"])
def test_methods_run_on_real_data(method: str) -> None:
    result = HDI.index(sample_data(), normalise_with=method, aggregate_domains="arithmetic")
    scores = result[result.level == "indicator"].score
    assert scores.notna().all()


def test_lower_is_better_is_turned_round() -> None:
    values = np.array([[[1.0]], [[2.0]], [[3.0]]])
    low = normalise(values, "minmax", np.array([False]))
    assert low[:, 0, 0].tolist() == [1.0, 0.5, 0.0]


# -- properties ------------------------------------------------------------------------------

finite = st.floats(min_value=0.1, max_value=1e4, allow_nan=False, allow_infinity=False)


# Values a tenth apart at least: two values one rounding step apart may tie after a unit
# conversion, and a tie is (rightly) ranked differently from a strict order.
distinct = st.lists(st.integers(1, 100_000), min_size=3, max_size=12, unique=True).map(
    lambda xs: [x / 10 for x in xs]
)


@settings(max_examples=100, deadline=None)
@given(distinct, st.sampled_from(["minmax", "zscore", "rank"]))
def test_normalisation_is_invariant_to_the_unit_of_the_data(
    values: list[float], method: str
) -> None:
    years = pd.DataFrame(
        {
            "jurisdiction": [f"c{i}" for i in range(len(values))],
            "indicator": "undp.life-expectancy",
            "year": 2020,
            "value": values,
        }
    )
    months = years.assign(value=years.value * 12, unit="month")
    options = {
        "normalise_with": method,
        "missing": "renormalise",
        "aggregate_domains": "arithmetic",
    }
    a = HDI.index(years, **options)  # type: ignore[arg-type]
    b = HDI.index(months, **options)  # type: ignore[arg-type]
    assert np.allclose(
        a.score.to_numpy(dtype=float),
        b.score.to_numpy(dtype=float),
        rtol=1e-9,
        atol=1e-9,
        equal_nan=True,
    )
    indicators = a[a.level == "indicator"]
    assert indicators[indicators.value.isna()].score.isna().all()  # missing stays missing


@settings(max_examples=100, deadline=None)
@given(finite, st.lists(st.floats(0.1, 10), min_size=1, max_size=8))
def test_arithmetic_mean_of_equal_values_is_that_value(value: float, weights: list[float]) -> None:
    x = np.full((1, len(weights)), value)
    for method in ("arithmetic", "geometric", "harmonic"):
        assert aggregate(x, np.array(weights), method)[0] == pytest.approx(value)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(finite, st.floats(0.1, 10)), min_size=1, max_size=8))
def test_geometric_never_exceeds_arithmetic(pairs: list[tuple[float, float]]) -> None:
    x = np.array([[v for v, _ in pairs]])
    w = np.array([w for _, w in pairs])
    arithmetic = aggregate(x, w, "arithmetic")[0]
    geometric = aggregate(x, w, "geometric")[0]
    harmonic = aggregate(x, w, "harmonic")[0]
    assert harmonic <= geometric * (1 + 1e-12) and geometric <= arithmetic * (1 + 1e-12)


# -- COINr's own expected numbers ---------------------------------------------------------------
# Literal values from the test files of COINr (bluefoxr/COINr, MIT licence), cited per test.
# COINr's direction -1 is our lower_is_better.

HIGH, LOW = np.array([True]), np.array([False])


def _column(values: list[float]) -> np.ndarray:
    return np.array(values, dtype=float)[:, None, None]


def test_goalposts_as_coinr() -> None:
    """tests/testthat/test-normalise.R, "n_funcs": n_goalposts(1, c(0, 10, 1)) is 0.1; 11 is
    1; -1 is 0; with direction -1: 0.9, 1 and 0."""
    posts = (np.array([0.0]), np.array([10.0]), np.array([False]))
    x = _column([1.0, 11.0, -1.0])
    assert normalise(x, "goalposts", HIGH, goalposts=posts)[:, 0, 0].tolist() == pytest.approx(
        [0.1, 1.0, 0.0]
    )
    assert normalise(x, "goalposts", LOW, goalposts=posts)[:, 0, 0].tolist() == pytest.approx(
        [0.9, 0.0, 1.0]
    )


def test_distance_to_target_as_coinr() -> None:
    """tests/testthat/test-normalise.R, "dist2targ": x = c(0, 5, 11), target 10 gives
    c(0, 0.5, 1.1) uncapped and c(0, 0.5, 1) capped; x = c(-1, 1, 10), target 0, direction
    -1 gives c(1.1, 0.9, 0) uncapped and c(1, 0.9, 0) capped."""
    up = _column([0.0, 5.0, 11.0])
    ten = np.array([10.0])
    assert normalise(up, "distance_to_target_uncapped", HIGH, targets=ten)[:, 0, 0].tolist() == (
        pytest.approx([0.0, 0.5, 1.1])
    )
    assert normalise(up, "distance_to_target", HIGH, targets=ten)[:, 0, 0].tolist() == (
        pytest.approx([0.0, 0.5, 1.0])
    )
    down = _column([-1.0, 1.0, 10.0])
    zero = np.array([0.0])
    assert normalise(down, "distance_to_target_uncapped", LOW, targets=zero)[:, 0, 0].tolist() == (
        pytest.approx([1.1, 0.9, 0.0])
    )
    assert normalise(down, "distance_to_target", LOW, targets=zero)[:, 0, 0].tolist() == (
        pytest.approx([1.0, 0.9, 0.0])
    )


def test_means_as_coinr() -> None:
    """tests/testthat/test-aggregate.R, "agg_functions": a_gmean(c(1, 2, 3)) is
    (1*2*3)^(1/3); with weights c(1, 1, 2) (1*2*3^2)^(1/4); a zero or negative value is an
    error; a_hmean(x, c(2, 1, 1)) is 4/(2/1 + 1/2 + 1/3); a_genmean with p = -1 equals it;
    a_genmean(x, p = 1) is 2."""
    x = np.array([[1.0, 2.0, 3.0]])
    ones = np.ones(3)
    assert aggregate(x, ones, "geometric")[0] == pytest.approx((1 * 2 * 3) ** (1 / 3))
    assert aggregate(x, np.array([1.0, 1.0, 2.0]), "geometric")[0] == pytest.approx(
        (1 * 2 * 3**2) ** (1 / 4)
    )
    for bad in ([1.0, 2.0, -1.0], [1.0, 2.0, 0.0]):
        with pytest.raises(wb.WellbeingBudgetError, match="above zero"):
            aggregate(np.array([bad]), ones, "geometric")
    w = np.array([2.0, 1.0, 1.0])
    harmonic = 4 / (2 / 1 + 1 / 2 + 1 / 3)
    assert aggregate(x, w, "harmonic")[0] == pytest.approx(harmonic)
    assert aggregate(x, w, "power", power=-1)[0] == pytest.approx(harmonic)
    assert aggregate(x, ones, "power", power=1)[0] == pytest.approx(2.0)


def test_percentile_ranks_with_ties_as_coinr() -> None:
    """R/normalise.R, n_prank: (rank(x, ties.method = "min") - 1) / (n - 1); n_borda:
    rank - 1. Tied values share a rank."""
    x = _column([3.0, 1.0, 3.0, 2.0, 5.0])
    assert normalise(x, "percentile", HIGH)[:, 0, 0].tolist() == pytest.approx(
        [0.5, 0.0, 0.5, 0.25, 1.0]
    )
    assert normalise(x, "borda", HIGH)[:, 0, 0].tolist() == [2.0, 0.0, 2.0, 1.0, 4.0]


def test_winsorising_as_coinr() -> None:
    """tests/testthat/test-treat.R, "treat_num": x = c(1:10, 100) fails the skew/kurtosis
    check; winsorised with winmax = 5 the 100 becomes 10, the rest unchanged, and it passes.
    x = c(1:20, 100, 200) with winmax = 1 still fails (COINr then takes logs)."""
    x = np.array([*range(1, 11), 100.0])
    treated, changed, ok = winsorise(x, winmax=5)
    assert treated[-1] == 10 and (treated[:10] == x[:10]).all() and ok
    assert changed.tolist() == [False] * 10 + [True]
    y = np.array([*range(1, 21), 100.0, 200.0])
    _, _, ok = winsorise(y, winmax=1)
    assert not ok
    assert skew(x) > 2 and kurtosis(x) > 3.5


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.floats(-1e6, 1e6)), min_size=1, max_size=8),
    st.lists(st.integers(1, 4), min_size=8, max_size=8),
    st.integers(0, 6),
)
def test_last_value_fills_only_from_earlier_observations_within_the_window(
    cells: list[float | None], steps: list[int], window: int
) -> None:
    x = np.array([np.nan if c is None else c for c in cells])[None, :, None]
    years = np.cumsum(steps[: len(cells)]) + 2000
    filled, source = last_value(x, years, window)
    seen = ~np.isnan(x)
    assert np.array_equal(filled[seen], x[seen])  # an observation is never replaced
    for b in np.flatnonzero(~seen[0, :, 0]):
        k = source[0, b, 0]
        if k < 0:
            earlier = [e for e in range(b) if seen[0, e, 0] and years[b] - years[e] <= window]
            assert not earlier
        else:
            assert k < b and years[b] - years[k] <= window and filled[0, b, 0] == x[0, k, 0]
            assert not seen[0, k + 1 : b, 0].any()  # the latest one, not any one


def test_interpolation_follows_the_year_numbers_not_the_positions() -> None:
    x = np.array([[[0.0], [np.nan], [10.0]]])
    assert interpolate_years(x, [2000, 2001, 2010])[0, 1, 0] == pytest.approx(1.0)
