"""Publishers' files read as published: UNDP, OECD.Stat, SDSN; the HDI and the SDG Index
reproduced from them with no reshaping by the user."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wellbeing_budget as wb
from wellbeing_budget.io.readers import _read_tidy

from ..conftest import DATA

UNDP = DATA / "hdi-2022-all-countries.csv"  # Latin-1, UNDP's layout
CODEBOOK = DATA / "sdr-2021-codebook.csv"
SDR = DATA / "sdr-2021-oecd-countries.csv"
# One folder for the files hypothesis writes, removed when the tests end.
_SCRATCH = tempfile.TemporaryDirectory()


def test_hdi_ranks_on_three_decimals_equal_the_published_ranks() -> None:
    """All 195 countries of 2022 (HDR 2023/24): values within 0.0005 of the published
    3-decimal HDI, and ranks on the rounded values equal ``hdi_rank_2022`` for all 193
    ranked countries (a rank on unrounded values gets 166 of 193)."""
    data = wb.read_undp(UNDP, years=[2022])
    assert "World" in data.attrs["aggregates"] and "World" not in set(data.jurisdiction)
    result = wb.load_framework("undp-hdi").index(data, missing="drop")
    index = result[result.level == "index"].set_index("jurisdiction")
    published = pd.read_csv(UNDP, encoding="latin-1").set_index("country")
    both = index.join(published[["hdi_2022", "hdi_rank_2022"]], how="inner")
    assert len(both) == 193
    assert (both.score - both.hdi_2022).abs().max() <= 0.0005
    ranked = both.dropna(subset=["hdi_rank_2022"])
    assert len(ranked) == 193
    assert (ranked["rank"].astype(int) == ranked["hdi_rank_2022"].astype(int)).all()
    assert "Côte d'Ivoire" in set(index.index)  # Latin-1 read as such
    hdi = wb.load_framework("undp-hdi")
    assert hdi.index_spec is not None
    unrounded = hdi.model_copy(
        update={"index_spec": hdi.index_spec.model_copy(update={"rank_round": None})}
    )
    again = unrounded.index(data, missing="drop")
    ranks = again[again.level == "index"].set_index("jurisdiction")["rank"]
    same = ranks.loc[ranked.index].astype(int) == ranked["hdi_rank_2022"].astype(int)
    assert int(same.sum()) == 166


def test_undp_reader_names_a_missing_code() -> None:
    with pytest.raises(wb.WellbeingBudgetError, match="no columns for lee; did you mean 'le'"):
        wb.read_undp(UNDP, indicators=["lee"])


def test_undp_reader_says_which_years_the_file_holds() -> None:
    """A year the file has no columns for is named with the years it has, not answered
    with "did you mean" one of the codes asked for."""
    with pytest.raises(wb.WellbeingBudgetError) as caught:
        wb.read_undp(UNDP, years=[2030])
    assert str(caught.value) == (
        f"{UNDP} has no data for 2030 of eys, gnipc, le, mys (its years: 2022)"
    )


def test_oecd_export_is_read_with_units_and_groups() -> None:
    data = wb.read_oecd(DATA / "oecd_bli_2015.csv", year=2015)
    assert set(data.group) == {"all", "men", "women", "high_income", "low_income"}
    assert data.attrs["aggregates"] == ["OECD"]
    assert set(data.unit.dropna()) <= {"percent", "USD", "year", "hour", "microgram / meter ** 3"}
    bli = wb.load_framework("oecd-better-life-index")
    with pytest.raises(wb.WellbeingBudgetError, match="pass group="):
        bli.index(data.drop(columns="unit")[data.group != "all"])
    result = bli.index(data, group="all")
    index = result[result.level == "index"]
    assert len(index) == 36 and index.score.between(0, 1).all()


def test_oecd_unknown_unit_is_refused_located(tmp_path: Path) -> None:
    raw = pd.read_csv(DATA / "oecd_bli_2015.csv", encoding="utf-8-sig").head(3)
    raw.loc[1, "Unit"] = "Percentages"
    with pytest.raises(wb.ValidationError, match=r"rows\[1\]\.Unit.*did you mean 'Percentage'"):
        wb.read_oecd(raw, year=2015)


def test_sdg_index_from_the_published_normalised_scores() -> None:
    """Every goal score and the SDG Index of the 37 OECD rows of the SDR 2021 database,
    from its published normalised scores: within 1e-6 (sdr-2021-oecd-countries.csv)."""
    sdr = wb.read_sdr(SDR, values="normalised")
    sdg = wb.sdg_index_framework(CODEBOOK, sdr, values="normalised")
    result = sdg.index(sdr.data)
    _check_goals(result, tolerance=1e-6, skip=())
    published = pd.read_csv(SDR).set_index("Country")["2021 SDG Index Score"]
    index = result[result.level == "index"].set_index("jurisdiction").score
    assert len(index) == 37
    assert (index - published.loc[index.index]).abs().max() <= 1e-6
    actions = pd.Series([entry["action"] for entry in result.attrs["log"]]).value_counts()
    assert actions["not applicable"] == 6  # SDG 14, landlocked
    assert actions["imputed"] == 28  # 22 SDG 4 cells in 21 countries, 6 goals


def test_sdg_goals_and_index_from_raw_data() -> None:
    """From the raw values: every goal and every index score within 0.0005 of the published
    one. The SDSN publishes no raw value of sdg16_safe (empty for all 193 countries in its
    own workbook, tests/data/README.md): its published normalised score is read instead,
    said in a warning and in ``scored``."""
    with pytest.warns(UserWarning, match="no raw values published for sdg16_safe"):
        sdr = wb.read_sdr(SDR, values="raw")
    assert sdr.scored == ("sdg16_safe",)
    sdg = wb.sdg_index_framework(CODEBOOK, sdr)
    assert sdg.index_spec is not None
    posts = sdg.index_spec.goalposts
    assert (posts["sdg16_safe"].min, posts["sdg16_safe"].max) == (0.0, 100.0)
    assert (posts["sdg16_cpi"].min, posts["sdg16_cpi"].max) != (0.0, 100.0)  # a raw one
    result = sdg.index(sdr.data)
    _check_goals(result, tolerance=0.0005, skip=())
    published = pd.read_csv(SDR).set_index("Country")["2021 SDG Index Score"]
    index = result[result.level == "index"].set_index("jurisdiction").score
    assert len(index) == 37
    assert (index - published.loc[index.index]).abs().max() <= 0.0005
    assert any(entry["action"] == "clipped" for entry in result.attrs["log"])


def test_without_the_published_scores_goal_16_is_off() -> None:
    """The same data with sdg16_safe left out: SDG 16 is the mean of its other indicators,
    and misses the published score (by up to 7 points): what standing in the published
    score repairs."""
    with pytest.warns(UserWarning, match="sdg16_safe"):
        sdr = wb.read_sdr(SDR, values="raw")
    data = sdr.data[sdr.data.indicator != "sdg16_safe"]
    result = wb.sdg_index_framework(CODEBOOK, sdr).index(data)
    goals = result[(result.level == "domain") & (result.id == "sdg16")]
    published = pd.read_csv(SDR).set_index("Country")["Goal 16 Score"]
    off = (goals.set_index("jurisdiction").score - published.loc[goals.jurisdiction]).abs()
    assert off.max() > 1


def _check_goals(result: pd.DataFrame, tolerance: float, skip: tuple[str, ...]) -> None:
    table = pd.read_csv(SDR).set_index("Country")
    goals = result[result.level == "domain"].pivot(
        index="jurisdiction", columns="id", values="score"
    )
    checked = 0
    for goal in range(1, 18):
        if f"sdg{goal}" in skip:
            continue
        published = table[f"Goal {goal} Score"]
        ours = goals[f"sdg{goal}"].reindex(published.index)
        assert (ours.isna() == published.isna()).all(), goal
        present = published.notna()
        assert np.abs(ours[present] - published[present]).max() <= tolerance, goal
        checked += int(present.sum())
    assert checked > 500


def test_the_sdg_framework_is_index_only() -> None:
    sdg = wb.sdg_index_framework(CODEBOOK)
    assert sdg.kind == "index" and len(sdg.domains) == 17
    with pytest.raises(wb.WellbeingBudgetError, match="index-only"):
        wb.score(sdg, [])


def test_the_sdr_workbook_is_read_as_published(tmp_path: Path) -> None:
    """The SDSN publishes one workbook with a data sheet and a codebook sheet."""
    workbook = tmp_path / "SDR-2021-Database.xlsx"
    with pd.ExcelWriter(workbook) as writer:
        pd.read_csv(SDR).to_excel(writer, sheet_name="SDR2021 Data", index=False)
        pd.read_csv(CODEBOOK).to_excel(writer, sheet_name="Codebook", index=False)
    sdr = wb.read_sdr(workbook, values="normalised")
    sdg = wb.sdg_index_framework(workbook, sdr, values="normalised")
    index = sdg.index(sdr.data)
    scores = index[index.level == "index"].set_index("jurisdiction").score
    published = pd.read_csv(SDR).set_index("Country")["2021 SDG Index Score"]
    assert (scores - published.loc[scores.index]).abs().max() <= 1e-6
    assert sdr.not_applicable["sdg14"] == (
        "Austria", "Czech Republic", "Hungary", "Luxembourg", "Slovak Republic", "Switzerland",
    )  # fmt: skip


def test_an_sdr_workbook_without_the_sheet_says_which_sheets_it_has(tmp_path: Path) -> None:
    """Another edition's sheet name, or a workbook with no codebook, is refused by name."""
    workbook = tmp_path / "sdr.xlsx"
    with pd.ExcelWriter(workbook) as writer:
        pd.read_csv(SDR).head(3).to_excel(writer, sheet_name="SDR 2021 Data", index=False)
    with pytest.raises(wb.WellbeingBudgetError) as caught:
        wb.read_sdr(workbook)
    assert str(caught.value) == (
        f"{workbook}: no sheet 'SDR2021 Data' for the SDR data (sheets: SDR 2021 Data); "
        "did you mean 'SDR 2021 Data'?"
    )
    with pytest.raises(wb.WellbeingBudgetError, match="no sheet 'Codebook' for the SDR codebook"):
        wb.sdg_index_framework(workbook)
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(
        wb.ValidationError, match=r"cannot read the SDR data: not an Excel workbook \(\.xlsx\)$"
    ):
        wb.read_sdr(broken)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (
            '"82,5"',
            r"u.csv:2: rows\[0\].le_2022: '82,5' is not a number; a decimal comma\? write '82.5'",
        ),
        ("#N/A", r"u.csv:2: rows\[0\].le_2022: '#N/A' is not a number"),
        ("NA", r"'NA' is not a number"),
    ],
)
def test_undp_values_that_are_not_numbers_are_refused_located(
    tmp_path: Path, cell: str, message: str
) -> None:
    path = tmp_path / "u.csv"
    path.write_text(
        "iso3,country,le_2022,eys_2022,mys_2022,gnipc_2022\n"
        f"NZL,New Zealand,{cell},20.3,12.9,43000\n",
        encoding="utf-8",
    )
    with pytest.raises(wb.ValidationError, match=message):
        wb.read_undp(path)


def test_readers_refuse_repeated_observations(tmp_path: Path) -> None:
    undp = tmp_path / "u.csv"
    row = "NZL,New Zealand,82.5,20.3,12.9,43000\n"
    undp.write_text("iso3,country,le_2022,eys_2022,mys_2022,gnipc_2022\n" + row + row)
    with pytest.raises(wb.ValidationError, match="observation given more than once"):
        wb.read_undp(undp)
    oecd = tmp_path / "o.csv"
    line = "NZL,HS_LEB,TOT,Years,2015,81.7\n"
    oecd.write_text("LOCATION,INDICATOR,INEQUALITY,Unit,TIME,Value\n" + line + line)
    with pytest.raises(wb.ValidationError, match="indicator=HS_LEB, year=2015"):
        wb.read_oecd(oecd)


@pytest.mark.parametrize("cell", ['"81,7"', "#N/A", "n/a"])
def test_oecd_values_that_are_not_numbers_are_refused(tmp_path: Path, cell: str) -> None:
    path = tmp_path / "o.csv"
    path.write_text(
        f"LOCATION,INDICATOR,INEQUALITY,Unit,TIME,Value\nNZL,HS_LEB,TOT,Years,2015,{cell}\n"
    )
    with pytest.raises(wb.ValidationError, match=r"o.csv:2: rows\[0\].Value: .* is not a number"):
        wb.read_oecd(path)


def test_sdr_rows_of_regions_and_income_groups_are_left_out_and_listed() -> None:
    """The SDR data sheet ends with rows such as _OECD (OECD members) and _LIC, whose region
    is blank: read as countries they would be ranked among them and pooled into a region of
    their own."""
    table = pd.read_csv(SDR)
    extra = table.iloc[[0]].assign(
        **{"Country Code ISO3": "_OECD", "Country": "OECD members",
           "Regions used for the SDR": np.nan}
    )  # fmt: skip
    sdr = wb.read_sdr(pd.concat([table, extra], ignore_index=True), values="normalised")
    assert sdr.aggregates == ("OECD members",)
    assert (
        "OECD members" not in set(sdr.data.jurisdiction) and len(set(sdr.data.jurisdiction)) == 37
    )
    assert sdr.data.attrs["aggregates"] == ["OECD members"]


def test_every_bad_cell_is_listed_or_counted(tmp_path: Path) -> None:
    """A column of text where numbers belong: the first MAX_PROBLEMS cells are listed with
    their lines, every other one counted (none left out without a word)."""
    from wellbeing_budget.errors import MAX_PROBLEMS

    countries = MAX_PROBLEMS + 300
    path = tmp_path / "u.csv"
    rows = "".join(f"C{i:04},Country {i},#N/A,n/a\n" for i in range(countries))
    path.write_text("iso3,country,le_2021,le_2022\n" + rows, encoding="utf-8")
    with pytest.raises(wb.ValidationError) as info:
        wb.read_undp(path, indicators=["le"])
    error = info.value
    assert len(error.problems) == MAX_PROBLEMS
    assert len(error.problems) + error.more == 2 * countries
    assert error.problems[0].line == 2 and "'#N/A' is not a number" in error.problems[0].message


# -- lines: the physical line of a row, whatever came before it -------------------------------

_LAYOUTS: dict[str, tuple[list[str], Callable[..., object]]] = {
    # header, a row template ({place}, {value}), reader
    "undp": (
        ["iso3", "country", "le_2022"],
        lambda p, **kw: wb.read_undp(p, indicators=["le"], **kw),
    ),
    "oecd": (
        ["LOCATION", "Country", "INDICATOR", "INEQUALITY", "Unit", "TIME", "Value"],
        wb.read_oecd,
    ),
    "sdr": (
        ["Country", "Regions used for the SDR", "sdg3_lifee", "Year: sdg3_lifee"],
        wb.read_sdr,
    ),
    "tidy": (["jurisdiction", "indicator", "year", "value"], _read_tidy),
}


def _row(layout: str, place: str, value: str, n: int) -> list[str]:
    return {
        "undp": [f"C{n:03}", place, value],
        "oecd": [f"C{n:03}", place, "HS_LEB", "TOT", "Years", "2015", value],
        "sdr": [place, "OECD", value, "2021"],
        "tidy": [place, "le", "2022", value],
    }[layout]


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(sorted(_LAYOUTS)),
    st.sampled_from([(",", "."), (";", ",")]),
    st.integers(1, 10),
    st.data(),
)
def test_an_error_planted_at_any_row_reports_its_physical_line(
    layout: str, style: tuple[str, str], n: int, data: st.DataObject
) -> None:
    """Blank lines (some of separators only) and quoted names over several lines before
    the bad row never shift the line a publisher's or tidy reader reports; a file separated
    by ';' with decimal commas reads the same way."""
    sep, decimal = style
    header, reader = _LAYOUTS[layout]
    bad = data.draw(st.integers(0, n - 1), label="bad row")
    lines = [sep.join(header)]
    expected = 0
    for row in range(n):
        for _ in range(data.draw(st.integers(0, 2), label="blank lines")):
            lines.append(data.draw(st.sampled_from(["", "  ", sep * (len(header) - 1)])))
        breaks = data.draw(st.integers(0, 2), label="line breaks in the name")
        place = f'"Country\n{row}"' if breaks == 1 else f'"Land\n\n{row}"' if breaks else f"C {row}"
        value = "#N/A" if row == bad else f"8{row}{decimal}5"
        if row == bad:
            expected = len("\n".join(lines).split("\n")) + 1
        lines.append(sep.join(_row(layout, place, value, row)))
    path = Path(tempfile.mkdtemp(dir=_SCRATCH.name)) / f"{layout}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(wb.ValidationError) as info:
        reader(path, sep=sep, decimal=decimal)
    (problem,) = info.value.problems
    assert "'#N/A' is not a number" in problem.message
    assert problem.line == expected, (problem, lines)
    # the same file without the fault reads every row, each value with its decimal mark
    path.write_text("\n".join(lines).replace("#N/A", f"1{decimal}25") + "\n", encoding="utf-8")
    read = reader(path, sep=sep, decimal=decimal)
    frame = read.data if isinstance(read, wb.SdrData) else read
    assert isinstance(frame, pd.DataFrame) and len(frame) == n
    written = {float(f"8{r}.5") for r in range(n) if r != bad} | {1.25}
    assert sorted(frame["value"]) == sorted(written)


def test_repeated_observations_are_listed_to_the_shared_cap(tmp_path: Path) -> None:
    from wellbeing_budget.errors import MAX_PROBLEMS

    rows = "".join(f"C{i:04},Country {i},80.5\n" for i in range(MAX_PROBLEMS + 5))
    path = tmp_path / "u.csv"
    path.write_text("iso3,country,le_2022\n" + rows + rows, encoding="utf-8")
    with pytest.raises(wb.ValidationError) as info:
        wb.read_undp(path, indicators=["le"])
    assert len(info.value.problems) == MAX_PROBLEMS and info.value.more == 5
    assert "and 5 more problems" in str(info.value)
