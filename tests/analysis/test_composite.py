"""Index data that cannot be misread: duplicates, breakdowns, log goalposts, ties, row order."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wellbeing_budget as wb
from wellbeing_budget.engine.indices import normalise

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
