"""Index data that cannot be misread: duplicates, breakdowns, log goalposts, ties, row order."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wellbeing_budget as wb
from wellbeing_budget.analysis.composite import index_uncertainty
from wellbeing_budget.engine.indices import normalise
from wellbeing_budget.model.framework import LevelRule, Treatment

from ..conftest import hdi_sample, hdi_series

HDI = wb.load_framework("undp-hdi")


def _index_of(result: pd.DataFrame) -> pd.Series:
    return result[result.level == "index"].set_index("jurisdiction")["score"]


def test_a_duplicated_observation_is_refused_listing_both_rows() -> None:
    data = hdi_sample()
    nz = data[(data.jurisdiction == "United Kingdom") & (data.indicator == "life_expectancy_years")]
    doubled = pd.concat([data, nz.assign(value=50.0)], ignore_index=True)
    with pytest.raises(wb.ValidationError) as info:
        HDI.index(doubled)
    message = str(info.value)
    assert "2 observations of (United Kingdom, undp.life-expectancy, 2022)" in message
    assert f"rows {nz.index[0]}, {len(data)}" in message
    with pytest.raises(wb.ValidationError, match="observations of"):
        HDI.status(doubled)


def test_duplicates_in_a_file_are_located_by_line(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text(
        "jurisdiction,indicator,year,value\n"
        "NZ,undp.life-expectancy,2020,82\n"
        "NZ,undp.life-expectancy,2021,82.1\n"
        "NZ,undp.life-expectancy,2020,81\n",
        encoding="utf-8",
    )
    with pytest.raises(wb.ValidationError) as info:
        HDI.status(path)
    problem = info.value.problems[0]
    assert problem.line == 2 and "rows 0, 2" in problem.message


def test_breakdown_rows_without_a_total_need_a_group() -> None:
    data = hdi_sample()
    women = data.assign(group="women")
    men = data.assign(group="men", value=data.value * 0.98)
    both = pd.concat([women, men], ignore_index=True)
    with pytest.raises(wb.WellbeingBudgetError, match=r"no 'all' total.*pass group="):
        HDI.index(both)
    only_women = _index_of(HDI.index(both, group="women"))
    assert np.allclose(only_women, _index_of(HDI.index(hdi_sample())).loc[only_women.index])
    with pytest.raises(wb.WellbeingBudgetError, match="did you mean 'women'"):
        HDI.index(both, group="wemen")
    # a total present: the total is indexed, the breakdown kept out
    total = pd.concat([hdi_sample().assign(group="all"), men], ignore_index=True)
    assert np.allclose(_index_of(HDI.index(total)), _index_of(HDI.index(hdi_sample())))


def test_a_value_outside_a_log_goalpost_is_refused_not_skipped() -> None:
    data = hdi_sample()
    gni = (data.jurisdiction == "United Kingdom") & (data.indicator == "gni_per_capita_ppp2017_usd")
    data.loc[gni, "value"] = 0.0
    with pytest.raises(wb.ValidationError, match=r"undp.gni-per-capita of United Kingdom in 2022"):
        HDI.index(data)


def test_tied_values_share_their_average_rank() -> None:
    values = np.array([[[3.0]], [[1.0]], [[3.0]], [[2.0]]])
    scaled = normalise(values, "rank", np.array([True]))[:, 0, 0]
    assert scaled.tolist() == [
        pytest.approx(5 / 6),
        0.0,
        pytest.approx(5 / 6),
        pytest.approx(1 / 3),
    ]


def test_a_constant_indicator_gives_no_score_with_a_warning() -> None:
    data = hdi_sample()
    data.loc[data.indicator == "mean_schooling_years", "value"] = 10.0
    with pytest.warns(UserWarning, match="undp.mean-schooling is the same for every"):
        result = HDI.index(
            data, normalise_with="minmax", missing="renormalise", aggregate_domains="arithmetic"
        )
    schooling = result[result.id == "undp.mean-schooling"]
    assert schooling.score.isna().all()


# -- properties --------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 4), min_size=6, max_size=6 * 4),
    st.sampled_from(["rank", "minmax", "zscore", "goalposts"]),
    st.randoms(use_true_random=False),
)
def test_the_index_is_invariant_to_row_order(
    levels: list[int], method: str, shuffle: object
) -> None:
    """Small integer levels make ties common: the ranks and scores must not depend on the
    order in which tied rows arrive."""
    series = hdi_series()
    series = series[series.year == 2022].reset_index(drop=True)
    ticks = (levels * 20)[: len(series)]
    data = series.assign(value=1.0 + np.array(ticks, dtype=float))
    order = list(range(len(data)))
    shuffle.shuffle(order)  # type: ignore[attr-defined]
    shuffled = data.iloc[order].reset_index(drop=True)
    options = {
        "normalise_with": method,
        "missing": "renormalise",
        "aggregate_domains": "arithmetic",
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # constant columns, tested above
        a = HDI.index(data, **options).sort_values(["level", "id", "jurisdiction"])
        b = HDI.index(shuffled, **options).sort_values(["level", "id", "jurisdiction"])
    assert a.jurisdiction.tolist() == b.jurisdiction.tolist()
    assert np.allclose(a.score, b.score, equal_nan=True, rtol=0, atol=0)
    assert (
        a["rank"].astype(float).fillna(-1).tolist() == b["rank"].astype(float).fillna(-1).tolist()
    )


# -- multi-level indices from YAML ----------------------------------------------------------------

FOUR = wb.load_framework(Path(__file__).parents[1] / "fixtures" / "four-level-index.yaml")


def _four_data() -> pd.DataFrame:
    rows = {
        "x1": {"A": 0, "B": 5, "C": 10},
        "x2": {"A": 2, "B": 4, "C": 2},
        "x3": {"A": 1, "B": 3, "C": 2},
        "x4": {"A": 10, "B": 20, "C": 30},
        "x5": {"A": 5, "C": 1},
    }
    return pd.DataFrame(
        [
            {"jurisdiction": j, "indicator": i, "year": 2020, "value": float(v)}
            for i, values in rows.items()
            for j, v in values.items()
        ]
    )


def test_a_four_level_index_written_in_yaml_runs() -> None:
    """indicators -> sub-pillars (domains) -> pillars (nodes) -> index: min-max to 0-100,
    arithmetic means renormalised over present values, a power mean (p = 2), a geometric
    mean with a declared offset of 1. Expected values worked by hand."""
    result = FOUR.index(_four_data())
    scores = result.set_index(["level", "id", "jurisdiction"])["score"]
    sp3 = {"A": (0 + 2 * 100) / 3, "B": 50.0, "C": (100 + 2 * 0) / 3}
    p1 = {"A": math.sqrt((0**2 + 100**2) / 2), "B": math.sqrt((75**2 + 0**2) / 2), "C": 50.0}
    for j in "ABC":
        assert scores["domain", "sp3", j] == pytest.approx(sp3[j])
        assert scores["node", "p1", j] == pytest.approx(p1[j])
        index = math.sqrt((p1[j] + 1) * (sp3[j] + 1)) - 1
        assert scores["index", "Four-level index", j] == pytest.approx(index)
    # B has no x5: its sp3 is a mean over the present members, and the log says so
    renormalised = [e for e in result.attrs["log"] if e["action"] == "renormalised"]
    assert [(e["jurisdiction"], e["id"]) for e in renormalised] == [("B", "sp3")]
    assert renormalised[0]["detail"].endswith("1 missing: x5")
    # a missing= keyword replaces only the missing rule: the declared means stay
    again = FOUR.index(_four_data(), missing="renormalise")
    assert np.allclose(again.score, result.score, equal_nan=True)
    weights = result.attrs["effective_weights"]
    assert weights["x1"] == pytest.approx(1 / 8) and weights["x5"] == pytest.approx(1 / 3)
    assert sum(weights.values()) == pytest.approx(1.0)


def test_a_missing_value_at_a_refusing_level_is_refused_located() -> None:
    data = _four_data()
    data = data[~((data.indicator == "x3") & (data.jurisdiction == "B"))]
    with pytest.raises(wb.ValidationError, match="no value of 'sp2' for B in 2020"):
        FOUR.index(data)


def test_geometric_mean_over_zero_is_refused_unless_offset() -> None:
    with pytest.raises(wb.ValidationError, match="needs values above zero"):
        FOUR.index(_four_data(), aggregate_domains="geometric", missing="renormalise")


def _spec(**changes: object) -> wb.Framework:
    assert FOUR.index_spec is not None
    return FOUR.model_copy(update={"index_spec": FOUR.index_spec.model_copy(update=changes)})


def test_regional_mean_imputation_with_a_condition() -> None:
    """x5 of B is filled with the mean of B's region (A only: 100 after normalising), and only
    because B has another member of sp3 (x4)."""
    rule = LevelRule(impute="group_mean", impute_min_present=1, missing="refuse")
    framework = _spec(rules={"sp3": rule})
    data = _four_data().assign(
        region=lambda d: d.jurisdiction.map({"A": "r1", "B": "r1", "C": "r2"})
    )
    result = framework.index(data)
    sp3 = result.set_index(["level", "id", "jurisdiction"])["score"]["domain", "sp3", "B"]
    assert sp3 == pytest.approx((50 + 2 * 100) / 3)
    assert any(e["action"] == "imputed" and e["jurisdiction"] == "B" for e in result.attrs["log"])
    without = data[~((data.indicator == "x4") & (data.jurisdiction == "B"))]
    with pytest.raises(wb.ValidationError, match="no value of 'x4' for B"):
        framework.index(without)  # no member present: the condition forbids imputing


def test_not_applicable_latest_value_rank_rounding_and_aggregates() -> None:
    data = _four_data()
    earlier = data[data.indicator == "x5"].assign(year=2018, value=[4.0, 2.0])
    later = data[data.indicator != "x5"].assign(year=2021)
    panel = pd.concat([data, earlier, later], ignore_index=True)
    framework = _spec(
        latest_within=3, not_applicable={"p2": ("C",)}, aggregates=("C",), rank_round=0,
        levels=(LevelRule(missing="renormalise"),
                LevelRule(aggregate="power", power=2, missing="renormalise"),
                LevelRule(missing="renormalise")),
    )  # fmt: skip
    result = framework.index(panel)
    log = pd.DataFrame(result.attrs["log"])
    assert ((log.action == "latest value") & (log.year == 2021) & (log.id == "x5")).sum() == 2
    index = result[(result.level == "index") & (result.year == 2021)].set_index("jurisdiction")
    nodes = result[(result.level == "node") & (result.year == 2021)]
    assert nodes[(nodes.id == "p2") & (nodes.jurisdiction == "C")].score.isna().all()
    assert pd.isna(index.loc["C", "rank"])  # an aggregate is never ranked
    assert sorted(index["rank"].dropna().astype(int)) == [1, 2]


def test_screening_by_data_availability() -> None:
    lenient = LevelRule(missing="renormalise")
    framework = _spec(
        levels=(lenient, lenient, lenient),
        rules={"sp3": LevelRule(missing="renormalise", min_present=2)},
    )
    result = framework.index(_four_data())
    sp3 = result[(result.id == "sp3")].set_index("jurisdiction").score
    assert "B" not in sp3.index or pd.isna(sp3.get("B"))
    assert any(e["action"] == "dropped" and e["id"] == "sp3" for e in result.attrs["log"])


def test_index_uncertainty_gives_rank_intervals_reproducibly() -> None:
    data = hdi_sample()
    options = {"draws": 30, "seed": 7, "normalisations": ["minmax", "rank"],
               "aggregations": ["arithmetic"], "missing": "renormalise",
               "aggregate_domains": "arithmetic"}  # fmt: skip
    a = index_uncertainty(HDI, data, **options)  # type: ignore[arg-type]
    b = index_uncertainty(HDI, data, **options)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(a, b)
    assert (a.rank_high >= a.rank_low).all() and (a.rank_high - a.rank_low).max() > 0
    assert set(a.attrs["sensitivity"]) >= {"weights"}
    none = index_uncertainty(HDI, data, draws=5, weight_noise=0.0)
    assert (none.rank_low == none["rank"]).all() and (none.rank_high == none["rank"]).all()


def test_minmax_and_zscore_to_a_chosen_scale_as_coinr() -> None:
    """tests/testthat/test-normalise.R (bluefoxr/COINr), "Normalise": x = 1:10 normalised
    with n_minmax, l_u = c(2, 7) has min 2 and max 7; with n_zscore, m_sd = c(5, 2) mean 5
    and (sample) sd 2."""
    data = pd.DataFrame(
        {"jurisdiction": [f"u{k:02d}" for k in range(10)], "indicator": "x1", "year": 2020,
         "value": np.arange(1.0, 11.0)}
    )  # fmt: skip
    options = {"missing": "renormalise", "aggregate_domains": "arithmetic"}
    minmax = _spec(minmax_range=(2.0, 7.0), scale=1.0).index(data, **options)  # type: ignore[arg-type]
    x1 = minmax[minmax.id == "x1"].score
    assert x1.min() == pytest.approx(2.0) and x1.max() == pytest.approx(7.0)
    z = _spec(normalise="zscore", zscore_scale=(5.0, 2.0), scale=1.0).index(data, **options)  # type: ignore[arg-type]
    x1 = z[z.id == "x1"].score
    assert x1.mean() == pytest.approx(5.0) and x1.std(ddof=1) == pytest.approx(2.0)


def test_interpolation_and_a_window_per_indicator() -> None:
    data = _four_data()
    years = pd.concat(
        [data.assign(year=2018), data.assign(year=2022, value=data.value + 4)], ignore_index=True
    )
    inner = _spec(interpolate=True).index(years, missing="renormalise")
    x1 = inner[(inner.id == "x1") & (inner.jurisdiction == "A")].set_index("year").value
    assert list(x1.index) == [2018, 2022]  # no year in between to fill: nothing invented
    sparse = pd.concat([years, data.assign(year=2020)[lambda d: d.indicator != "x2"]])
    filled = _spec(interpolate=True).index(sparse, missing="renormalise")
    x2 = filled[(filled.id == "x2") & (filled.jurisdiction == "B")].set_index("year").value
    assert x2[2020] == pytest.approx((4 + 8) / 2)
    assert any(e["action"] == "interpolated" for e in filled.attrs["log"])
    window = _spec(latest_within={"x2": 2}).index(sparse[sparse.year < 2022], missing="renormalise")
    x2 = window[(window.id == "x2") & (window.year == 2020)]
    assert len(x2) == 3 and (x2.value.to_numpy() == [2.0, 4.0, 2.0]).all()


def test_problems_in_an_indicator_file_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text(
        "jurisdiction,indicator,year,value\n"
        "NZ,undp.life-expectancy,2020,82\n"
        "NZ,undp.life-expectancie,2021,eighty\n",
        encoding="utf-8",
    )
    with pytest.raises(wb.ValidationError) as info:
        HDI.status(path)
    lines = {p.line for p in info.value.problems}
    assert lines == {3}
    assert any("did you mean 'undp.life-expectancy'" in str(p) for p in info.value.problems)


def test_outliers_are_winsorised_in_the_index_and_logged() -> None:
    """COINr's default treatment, declared in YAML terms (treat: {winmax: 5})."""
    values = [*range(1, 11), 100]
    data = pd.DataFrame(
        {"jurisdiction": [f"u{k:02d}" for k in range(11)], "indicator": "x1", "year": 2020,
         "value": np.array(values, dtype=float)}
    )  # fmt: skip
    framework = _spec(treat=Treatment(winmax=5), scale=1.0)
    result = framework.index(data, missing="renormalise", aggregate_domains="arithmetic")
    x1 = result[result.id == "x1"].set_index("jurisdiction")
    assert x1.loc["u10", "value"] == 100  # the raw value is kept for explanation
    assert x1.loc["u10", "score"] == 1.0 and x1.loc["u09", "score"] == 1.0
    assert x1.loc["u08", "score"] == pytest.approx(8 / 9)
    treated = [e for e in result.attrs["log"] if e["action"] == "treated"]
    assert len(treated) == 1 and "100 -> 10" in treated[0]["detail"]
    logged = _spec(treat=Treatment(winmax=0, fallback="log"), scale=1.0).index(
        data, missing="renormalise", aggregate_domains="arithmetic"
    )
    assert any("log transform" in e["detail"] for e in logged.attrs["log"])


def test_distance_to_reference_and_fraction_of_max_as_coinr() -> None:
    """R/normalise.R and tests/testthat/test-normalise.R, "n_funcs" (bluefoxr/COINr):
    n_dist2ref(x, iref) = 1 - (x_ref - x) / (x_ref - min(x)); n_fracmax(x) = x / max(x)."""
    x = np.array([2.0, 4.0, 1.0, 5.0])
    column = x[:, None, None]
    ref = normalise(column, "distance_to_reference", np.array([True]), reference=0)[:, 0, 0]
    assert ref.tolist() == pytest.approx((1 - (x[0] - x) / (x[0] - x.min())).tolist())
    frac = normalise(column, "fraction_of_max", np.array([True]))[:, 0, 0]
    assert frac.tolist() == pytest.approx((x / x.max()).tolist())


# -- imputation per level: over the years (last_value, interpolate) ----------------------------


def _years_panel(x5: dict[int, dict[str, float]], x3: dict[int, dict[str, float]] | None = None):  # type: ignore[no-untyped-def]
    """The four-level data in each year of ``x5``, with these values of x5 (and of x3)."""
    base = _four_data()
    frames = []
    for year, values in x5.items():
        rows = base[~base.indicator.isin(["x5", "x3"] if x3 else ["x5"])].assign(year=year)
        extra = [{"jurisdiction": j, "indicator": "x5", "year": year, "value": v}
                 for j, v in values.items()]  # fmt: skip
        if x3:
            extra += [{"jurisdiction": j, "indicator": "x3", "year": year, "value": v}
                      for j, v in x3[year].items()]  # fmt: skip
        frames += [rows, pd.DataFrame(extra)]
    return pd.concat(frames, ignore_index=True)


def _lenient(first: LevelRule, second: LevelRule | None = None) -> wb.Framework:
    return _spec(
        levels=(first,
                second or LevelRule(aggregate="power", power=2, missing="renormalise"),
                LevelRule(aggregate="geometric", offset=1, missing="renormalise")),
    )  # fmt: skip


def _score(result: pd.DataFrame, ident: str, unit: str, year: int) -> float:
    row = result[(result.id == ident) & (result.jurisdiction == unit) & (result.year == year)]
    return float(row.score.iloc[0])


def test_last_value_at_the_indicator_level_fills_from_earlier_years_within_the_window() -> None:
    """x5 of A is missing in 2019. Filled with A's 2018 value (4): x5 in 2019 is A 4, B 2,
    C 1, so min-max gives B (2 - 1) / (4 - 1) = 1/3, and sp3 of B = (x4 50 + 2 x 100/3) / 3
    = 350/9. Without the fill (window 0) x5 is B 2, C 1 only: B 100, so sp3 of B = 250/3."""
    data = _years_panel({2018: {"A": 4, "B": 2, "C": 1}, 2019: {"B": 2, "C": 1}})
    rule = LevelRule(impute="last_value", impute_within=1, missing="renormalise")
    result = _lenient(rule).index(data)
    assert _score(result, "sp3", "B", 2019) == pytest.approx(350 / 9)
    assert _score(result, "sp3", "A", 2019) == pytest.approx(200 / 3)
    imputed = [e for e in result.attrs["log"] if e["action"] == "imputed"]
    assert imputed == [
        {"jurisdiction": "A", "year": 2019, "id": "x5", "action": "imputed",
         "detail": "last_value (4, of 2018) for sp3"}
    ]  # fmt: skip
    x5 = result[(result.id == "x5") & (result.jurisdiction == "A") & (result.year == 2019)]
    assert x5.value.tolist() == [4.0]  # the filled value is the one reported
    stale = _lenient(rule.model_copy(update={"impute_within": 0})).index(data)
    assert _score(stale, "sp3", "B", 2019) == pytest.approx(250 / 3)
    assert not any(e["action"] == "imputed" for e in stale.attrs["log"])


def test_interpolate_at_the_indicator_level_fills_between_observed_years() -> None:
    """x5 of A: 4 in 2018, 10 in 2020, missing in 2019: the straight line gives 7. x5 in
    2019 is then A 7, B 2, C 1: B scores (2 - 1) / (7 - 1) = 1/6, sp3 of B = (50 + 2 x
    100/6) / 3 = 250/9."""
    data = _years_panel(
        {2018: {"A": 4, "B": 2, "C": 1}, 2019: {"B": 2, "C": 1}, 2020: {"A": 10, "B": 2, "C": 1}}
    )
    result = _lenient(LevelRule(impute="interpolate", missing="renormalise")).index(data)
    assert _score(result, "sp3", "B", 2019) == pytest.approx(250 / 9)
    (entry,) = [e for e in result.attrs["log"] if e["action"] == "imputed"]
    assert (entry["jurisdiction"], entry["year"], entry["id"]) == ("A", 2019, "x5")
    assert entry["detail"] == "interpolate (7) for sp3"


def test_last_value_at_a_pillar_level_fills_a_domain_score_from_an_earlier_year() -> None:
    """Above the indicators, last_value acts on the members' scores. x3 (sp2's only
    indicator, lower is better) of B is missing in 2020; in 2019 x3 was A 1, B 2, C 3, so
    sp2 of B scored 50. p1 is the power mean (p = 2) of sp1 and sp2; sp1 of B = (x1 50 +
    x2 100) / 2 = 75. Filled: p1 of B = sqrt((75^2 + 50^2) / 2); unfilled and renormalised:
    75. With the condition that both members be present, nothing is filled."""
    data = _years_panel(
        {2019: {"A": 5, "C": 1}, 2020: {"A": 5, "C": 1}},
        x3={2019: {"A": 1, "B": 2, "C": 3}, 2020: {"A": 1, "C": 2}},
    )
    first = LevelRule(missing="renormalise")
    second = LevelRule(
        aggregate="power", power=2, impute="last_value", impute_within=1, missing="renormalise"
    )
    result = _lenient(first, second).index(data)
    assert _score(result, "p1", "B", 2020) == pytest.approx(math.sqrt((75**2 + 50**2) / 2))
    sp2 = result[(result.id == "sp2") & (result.jurisdiction == "B") & (result.year == 2020)]
    assert sp2.score.isna().all()  # the domain itself stays missing: only p1 used the fill
    (entry,) = [e for e in result.attrs["log"] if e["action"] == "imputed"]
    assert (entry["jurisdiction"], entry["year"], entry["id"]) == ("B", 2020, "sp2")
    assert entry["detail"] == "last_value (50, of 2019) for p1"
    both = second.model_copy(update={"impute_min_present": 2})
    guarded = _lenient(first, both).index(data)
    assert _score(guarded, "p1", "B", 2020) == pytest.approx(75.0)
    assert not any(e["action"] == "imputed" for e in guarded.attrs["log"])


def test_an_over_the_years_imputation_never_fills_a_cell_not_applicable() -> None:
    data = _years_panel({2018: {"A": 4, "B": 2, "C": 1}, 2019: {"B": 2, "C": 1}})
    rule = LevelRule(impute="last_value", impute_within=1, missing="renormalise")
    framework = _lenient(rule)
    assert framework.index_spec is not None
    spec = framework.index_spec.model_copy(update={"not_applicable": {"x5": ("A",)}})
    result = framework.model_copy(update={"index_spec": spec}).index(data)
    assert not any(e["action"] == "imputed" for e in result.attrs["log"])


def test_imputation_rules_in_yaml_are_checked_and_located(tmp_path: Path) -> None:
    """last_value needs its window; regional_mean is group_mean by its other name."""
    text = (Path(__file__).parents[1] / "fixtures" / "four-level-index.yaml").read_text()
    first = "    - {aggregate: arithmetic, missing: renormalise}\n"
    assert first in text
    line = text.splitlines().index(first.rstrip("\n")) + 1
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace(first, first.replace("missing", "impute: last_value, missing")))
    with pytest.raises(
        wb.ValidationError, match=rf"bad.yaml:{line}:\d+: index\.levels\[0\]: .*impute_within"
    ):
        wb.load_framework(bad)
    good = tmp_path / "good.yaml"
    good.write_text(text.replace(first, first.replace("missing", "impute: regional_mean, missing")))
    spec = wb.load_framework(good).index_spec
    assert spec is not None and spec.levels[0].impute == "group_mean"
