"""Indicator status from real data: the UNDP HDI components, 1990-2022."""

from __future__ import annotations

import pandas as pd
import pytest

import wellbeing_budget as wb

from ..conftest import DATA, hdi_series

HDI = wb.load_framework("undp-hdi")


def hdi_data() -> pd.DataFrame:
    return hdi_series()


def test_status_of_real_series() -> None:
    status = HDI.status(hdi_data()).frame
    assert len(status) == 5 * 4
    nz = status[status.jurisdiction == "New Zealand"].set_index("indicator")
    assert nz.loc["undp.life-expectancy", "latest_year"] == 2022
    assert nz.loc["undp.life-expectancy", "latest_value"] == pytest.approx(83.006)
    assert nz.loc["undp.life-expectancy", "trend"] == "improving"
    # Australia's expected schooling fell by about two standard effects over 2012-2022
    au = status[status.jurisdiction == "Australia"].set_index("indicator")
    assert au.loc["undp.expected-schooling", "trend"] == "worsening"


def test_trend_classes_follow_direction_and_tolerance() -> None:
    lsf = wb.load_framework("nz-lsf-2021")
    data = pd.DataFrame(
        {
            "jurisdiction": "NZ",
            "indicator": ["nz.loneliness"] * 3 + ["nz.life-expectancy"] * 3 + ["nz.voter-turnout"],
            "year": [2010, 2015, 2020, 2010, 2015, 2020, 2020],
            "value": [20, 18, 16, 81.0, 81.01, 81.02, 79],
        }
    )
    status = lsf.status(data).frame.set_index("indicator")
    assert status.loc["nz.loneliness", "trend"] == "improving"  # lower is better, falling
    assert status.loc["nz.life-expectancy", "trend"] == "maintaining"  # < 0.1 standard effects
    assert status.loc["nz.voter-turnout", "trend"] == "unknown"  # one observation


def test_units_are_converted_once_per_unit() -> None:
    data = pd.DataFrame(
        {
            "jurisdiction": "NZ",
            "indicator": "undp.life-expectancy",
            "year": [2020, 2021],
            "value": [960.0, 972.0],
            "unit": "month",
        }
    )
    status = HDI.status(data).frame
    assert status.loc[0, "latest_value"] == pytest.approx(81.0)


def test_bad_data_is_reported_by_row() -> None:
    data = hdi_data().head(6).copy()
    data.loc[1, "indicator"] = "undp.life-expectancyy"
    data["value"] = data["value"].astype(object)
    data.loc[2, "value"] = "n/a"
    with pytest.raises(wb.ValidationError) as info:
        HDI.status(data)
    messages = [str(p) for p in info.value.problems]
    assert any("rows[2].value" in m for m in messages)
    assert any("did you mean 'undp.life-expectancy'" in m for m in messages)
    with pytest.raises(wb.ValidationError, match="missing column 'year'"):
        HDI.status(data.drop(columns="year"))


def test_a_decimal_comma_and_a_fractional_year_are_quoted_as_written(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data.csv"
    data.write_text(
        'jurisdiction,indicator,year,value\nNorway,le,2022.5,83.4\nChad,le,2022,"52,5"\n',
        encoding="utf-8",
    )
    with pytest.raises(wb.ValidationError) as info:
        HDI.status(data)
    messages = [str(p) for p in info.value.problems]
    assert (
        f"{data}:3: rows[1].value: value '52,5' is not a number; a decimal comma? write '52.5'"
        in messages
    )
    assert f"{data}:2: rows[0].year: year '2022.5' is not a whole year" in messages


def test_status_renders_arrows_and_sparklines(tmp_path) -> None:  # type: ignore[no-untyped-def]
    status = HDI.status(hdi_data())
    html = status._repr_html_()
    assert "▲" in html and "<polyline" in html
    page = status.to_html(tmp_path / "status.html")
    assert "<script" not in page
    fig = status.plot()
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 4


def test_better_life_index_single_year_has_no_trend() -> None:
    raw = pd.read_csv(DATA / "oecd_bli_2015.csv", encoding="utf-8-sig")
    rows = raw[(raw.INEQUALITY == "TOT") & (raw.INDICATOR == "HS_LEB")]
    data = pd.DataFrame(
        {
            "jurisdiction": rows.Country,
            "indicator": "undp.life-expectancy",
            "year": 2015,
            "value": rows.Value,
        }
    )
    status = HDI.status(data).frame
    assert (status.trend == "unknown").all()
    assert len(status) == rows.Country.nunique()


def test_status_plot_draws_dollar_signs_as_text() -> None:
    """A place or indicator name with an even number of '$' is not parsed as a formula (an
    invalid one stopped the figure with ValueError)."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    data = hdi_data()
    data["jurisdiction"] = data["jurisdiction"].str.replace("New Zealand", "NZ $x^$")
    fig = HDI.status(data).plot()
    fig.savefig(io.BytesIO(), format="png")
    legend = fig.axes[0].get_legend()
    assert "NZ \\$x^\\$" in [t.get_text() for t in legend.get_texts()]


def test_repeated_observations_are_listed_to_the_cap_and_counted_beyond() -> None:
    """Every repeated observation is either listed, located, or counted in "and N more":
    the shared cap (MAX_PROBLEMS), not a private one that only states the total."""
    from wellbeing_budget.errors import MAX_PROBLEMS

    years = MAX_PROBLEMS + 37
    once = pd.DataFrame(
        {
            "jurisdiction": "NZ",
            "indicator": "undp.life-expectancy",
            "year": range(1000, 1000 + years),
            "value": 80.0,
        }
    )
    with pytest.raises(wb.ValidationError) as info:
        HDI.status(pd.concat([once, once], ignore_index=True))
    error = info.value
    assert len(error.problems) == MAX_PROBLEMS and error.more == 37
    assert "2 observations of (NZ, undp.life-expectancy, 1000): rows 0, " in str(error.problems[0])
    assert f"and {37} more problems" in str(error)


def test_a_file_of_indicator_data_is_located_by_physical_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """'#N/A' is refused (not read as a missing observation), and a blank line or a name
    quoted over two lines does not shift the lines of the rows after it."""
    path = tmp_path / "status.csv"
    path.write_text(
        "jurisdiction,indicator,year,value\n\n"
        '"Aotearoa\nNew Zealand",undp.life-expectancy,2021,#N/A\n'
        "NZ,undp.life-expectancy,2022,82\n"
        "NZ,undp.life-expectancyy,2020,82\n",
        encoding="utf-8",
    )
    with pytest.raises(wb.ValidationError) as info:
        HDI.status(path)
    lines = {p.line: p.message for p in info.value.problems}
    assert lines[3] == "value '#N/A' is not a number"
    assert "has no indicator 'undp.life-expectancyy'" in lines[6]
    assert len(lines) == 2
