"""The command line, run in-process as a user would run it."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wellbeing_budget.cli import main

from .conftest import DATA, FIXTURES, ROOT


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


def test_frameworks_lists_builtins_with_jurisdiction() -> None:
    status, text = run("frameworks")
    assert status == 0
    assert "nz-lsf-2021" in text and "New Zealand" in text
    assert "Living Standards Framework 2021" in text


def test_show_prints_domains_and_indicators() -> None:
    status, text = run("show", "nz-lsf-2021")
    assert status == 0
    assert "health" in text and "nz.life-expectancy" in text and "▲ higher_is_better" in text
    assert "nz.free-time" in text  # leisure and play: an unconfirmed proxy, said so


def test_show_marks_a_domain_without_indicators(tmp_path: Path) -> None:
    path = tmp_path / "planned.yaml"
    path.write_text(
        "extends: nz-lsf-2021\nid: planned\nname: Planned\ndomains:\n"
        "  - {id: arts, name: Arts, pillar: society, note: indicators to come}\n",
        encoding="utf-8",
    )
    status, text = run("show", str(path))
    assert status == 0
    assert "(no indicator encoded)" in text


def test_show_unknown_framework_fails_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    status, _ = run("show", "nz-lsf-2012")
    assert status == 1
    assert "did you mean 'nz-lsf-2021'" in capsys.readouterr().err


def test_validate_builtins_is_clean() -> None:
    status, text = run("validate", str(ROOT / "frameworks"), str(ROOT / "indicators"))
    assert status == 0, text
    assert "valid" in text


def test_validate_reports_four_located_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "extends: nz-lsf-2021\n"
        "id: bad\n"
        "name: One\n"
        "name: Two\n"
        "domains:\n"
        "  - id: health\n"
        "    colour: red\n"
        "    indicators: [nz.life-expectncy]\n"
        "indicators:\n"
        "  - id: my.parks\n"
        "    name: Parks\n"
        "    unit: hectare\n"
        "    direction: higher_is_better\n"
        "    scale: 3 year\n"
        "    scale_basis: judgement\n"
        "    source: {title: Survey, url: 'https://example.org'}\n",
        encoding="utf-8",
    )
    status, text = run("validate", str(bad))
    assert status == 1
    errors = [line for line in text.splitlines() if line.startswith(str(bad))]
    assert len(errors) == 4, text
    assert any("4:1: name: duplicate key" in e for e in errors)
    assert any("7:5: domains[0].colour: unknown key" in e for e in errors)
    assert any("8:18: domains[0].indicators[0]: unknown indicator" in e for e in errors)
    assert any("14:12: indicators[0].scale:" in e and "'hectare'" in e for e in errors)
    assert "Traceback" not in text


def test_validate_a_folder_of_invalid_files_lists_every_file() -> None:
    status, text = run("validate", "-q", str(FIXTURES / "invalid"))
    assert status == 1
    n_files = len([p for p in (FIXTURES / "invalid").iterdir() if p.suffix != ".expect"])
    assert f"{n_files} of {n_files} files not valid" in text


def test_validate_refuses_unknown_kinds(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text("hello: world\n")
    status, text = run("validate", str(other))
    assert status == 1 and "not a framework" in text


@pytest.mark.slow
def test_console_script_prints_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: default\nid: x\nname: [\n")
    result = subprocess.run(
        [sys.executable, "-m", "wellbeing_budget.cli", "validate", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "YAML syntax error" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


EXAMPLE = ROOT / "examples" / "nz-wellbeing-budget-2019" / "proposals.yaml"


def test_score_prints_the_ranked_summary() -> None:
    status, text = run("score", str(EXAMPLE), "--framework", "nz-wellbeing-budget-2019")
    assert status == 0
    assert "14 proposals scored under Wellbeing Budget 2019" in text
    lines = [line for line in text.splitlines() if line.split(" ", 1)[0].isdigit()][1:]
    assert len(lines) == 14
    assert lines[0].startswith("1 ")


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_score_writes_csv_and_json(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"scores.{fmt}"
    status, text = run(
        "score",
        str(EXAMPLE),
        "--framework",
        "nz-wellbeing-budget-2019",
        "--format",
        fmt,
        "-o",
        str(out),
    )
    assert status == 0 and "wrote" in text
    content = out.read_text()
    assert "mh-access-choice" in content
    if fmt == "json":
        import json

        assert json.loads(content)["schema"] == "wellbeing-budget/scorecard/1"


def test_score_with_options() -> None:
    status, text = run(
        "score",
        str(EXAMPLE),
        "--framework",
        "nz-wellbeing-budget-2019",
        "--wellbeing-discount",
        "none",
        "--future-weight",
        "0.5",
        "--sort",
        "future_total",
    )
    assert status == 0
    assert "combined" in text


def test_score_reports_bad_input_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE.read_text().replace("nz.suicide-rate", "nz.suicide-rat"))
    status, _ = run("score", str(bad), "--framework", "nz-wellbeing-budget-2019")
    err = capsys.readouterr().err
    assert status == 1
    assert "did you mean 'nz.suicide-rate'" in err
    assert "Traceback" not in err


def test_validate_knows_proposals_and_schedules() -> None:
    status, text = run("validate", str(EXAMPLE), str(ROOT / "frameworks" / "discounting"))
    assert status == 0, text
    assert "(proposals)" in text and "(discount schedule)" in text


def test_dashboard_writes_one_self_contained_file(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    status, text = run(
        "dashboard", str(EXAMPLE), "--framework", "nz-wellbeing-budget-2019", "-o", str(target)
    )
    assert status == 0 and "wrote" in text
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<script src" not in html


def test_demo_prints_the_ranking_and_says_where_the_report_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    status, text = run("demo")
    assert status == 0
    assert "14 bids of New Zealand's 2019 Wellbeing Budget" in text
    assert "illustrative" in text
    assert f"The dashboard report is at {tmp_path / 'wellbeing-report.html'}" in text
    assert (tmp_path / "wellbeing-report.html").is_file()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_and_not_on_a_pipe() -> None:
    from wellbeing_budget.cli import Progress

    terminal, pipe = _Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        bar = Progress(stream)
        bar.stage("checking", 500, 1000)
        bar.done()
    assert "[###############" in terminal.getvalue() and "500/1,000" in terminal.getvalue()
    assert pipe.getvalue() == ""


# -- issue 10: tables, costs, confinement of outputs ------------------------------------------

TABLE_HEADER = "proposal,title,lead_agency,indicator,change,start,duration,evidence"
TABLE_ROW = "p1,Bid,Min,nz.psychological-distress,-0.4 percentage_point,2020,5 years,medium"


def test_validate_reads_csv_and_checks_it_against_a_framework(tmp_path: Path) -> None:
    path = tmp_path / "impacts.csv"
    path.write_text(f"{TABLE_HEADER}\n{TABLE_ROW.replace('distress', 'distres')}\n")
    assert run("validate", str(path))[0] == 0  # well formed, but
    status, text = run("validate", "--framework", "nz-wellbeing-budget-2019", str(path))
    assert status == 1
    assert "impacts.csv:2:4: rows[0].indicator:" in text and "did you mean" in text


def test_validate_checks_the_currency_against_a_framework(tmp_path: Path) -> None:
    path = tmp_path / "bids.yaml"
    path.write_text(
        "proposals:\n  - id: p1\n    title: Bid\n    lead_agency: Min\n"
        "    costs: [{year: 2020, amount: 5 million DKK}]\n"
        "    impacts:\n      - indicator: nz.psychological-distress\n"
        "        change: -0.4 percentage_point\n        timing: {start: 2020, duration: 5 years}\n"
        "        evidence: medium\n"
    )
    assert run("validate", str(path))[0] == 0
    status, text = run("validate", "--framework", "nz-wellbeing-budget-2019", str(path))
    assert status == 1 and "in DKK" in text


def test_score_without_costs_warns_and_leaves_money_blank(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "impacts.csv"
    path.write_text(f"{TABLE_HEADER}\n{TABLE_ROW}\n")
    args = ("score", str(path), "--framework", "nz-wellbeing-budget-2019", "--format", "csv")
    status, text = run(*args)
    assert status == 0
    assert "no costs given: net cost and cost-effectiveness are blank" in capsys.readouterr().err
    row = text.splitlines()[1].split(",")
    header = text.splitlines()[0].split(",")
    assert row[header.index("net_cost_npv")] == ""
    assert run(*args, "--no-costs")[0] == 0
    assert capsys.readouterr().err == ""


def test_score_reads_a_danish_table_with_decimal_comma(tmp_path: Path) -> None:
    path = tmp_path / "impacts.csv"
    path.write_text(
        TABLE_HEADER.replace(",", ";")
        + "\n"
        + TABLE_ROW.replace(",", ";").replace("-0.4", "-0,4")
        + "\n"
    )
    args = ("score", str(path), "--framework", "nz-wellbeing-budget-2019", "--no-costs")
    assert run(*args)[0] == 1  # read as comma-separated, the table is one column
    status, text = run(*args, "--decimal", ",")
    assert status == 0 and "p1" in text


@pytest.mark.parametrize("target", ["folder", "missing-parent"])
def test_output_problems_are_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    output = tmp_path if target == "folder" else Path("/proc/no-such-folder/out.csv")
    example = ROOT / "examples" / "nz-wellbeing-budget-2019" / "proposals.yaml"
    status, _ = run(
        "score", str(example), "--framework", "nz-wellbeing-budget-2019", "-o", str(output)
    )
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith("error: cannot write") and err.count("\n") == 1, err


def test_dashboard_of_a_header_only_table_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "impacts.csv"
    path.write_text(TABLE_HEADER + "\n")
    out = tmp_path / "r.html"
    status, _ = run(
        "dashboard", str(path), "--framework", "nz-wellbeing-budget-2019", "-o", str(out)
    )
    assert status == 1 and "no rows" in capsys.readouterr().err
    assert not out.exists()


def test_show_prints_the_settings_and_where_they_come_from() -> None:
    status, text = run("show", str(ROOT / "examples" / "dk-trivsel" / "framework.yaml"))
    assert status == 0
    assert "Currency and prices: DKK, 2021 prices" in text
    assert "Population: 60,000 (2021)" in text
    assert "Group young_people_16_24: Young people aged 16-24, 6,500" in text
    assert "Generations: base year the earliest year of the proposals" in text
    assert text.count("Danish Ministry of Finance socio-economic discount rate") == 2
    assert text.count("(set by this framework)") == 2
    assert "Marginal cost of public funds: 10%" in text and "Value set:" in text
    status, text = run("show", "nz-wellbeing-budget-2019")
    # the NZ Budget framework sets its money schedule and takes the LSF's wellbeing one
    assert text.count("(inherited from nz-lsf-2021)") == 1
    assert text.count("(set by this framework)") == 1
    status, text = run("show", "nz-lsf-2021")
    assert text.count("(set by this framework)") == 2


def test_show_says_which_names_have_no_translation() -> None:
    status, text = run("show", "nz-lsf-2021", "--language", "mi")
    assert status == 0
    assert "no te reo Māori (mi) name for 17 of 17 domains" in text
    assert "no te reo" not in run("show", "nz-lsf-2021")[1]


def test_show_and_dashboard_speak_danish(tmp_path: Path) -> None:
    framework = str(ROOT / "examples" / "dk-trivsel" / "framework.yaml")
    status, text = run("show", framework, "--language", "da")
    assert status == 0
    assert "Note: the framework gives no" not in text  # every domain has its Danish name
    assert "mental-wellbeing (Mental trivsel)" in text
    assert "Diskontering af trivsel" in text and "(fastsat af denne ramme)" in text
    report = tmp_path / "rapport.html"
    proposals = str(ROOT / "examples" / "dk-trivsel" / "proposals.yaml")
    status, _ = run(
        "dashboard", proposals, "--framework", framework, "--language", "da", "-o", str(report)
    )
    assert status == 0
    html = report.read_text(encoding="utf-8")
    assert '<html lang="da">' in html
    assert "Mental trivsel" in html and "Arbejde og selvforsørgelse" in html


def test_validate_knows_limits_files_and_publisher_indicator_data(tmp_path: Path) -> None:
    limits = ROOT / "examples" / "dk-youth-mission" / "limits.csv"
    status, text = run("validate", str(limits))
    assert status == 0 and "(money limits)" in text
    bad = tmp_path / "limits.csv"
    bad.write_text("limit,year,kind\n12,1 million DKK,operating\n", encoding="utf-8")
    assert run("validate", str(bad))[0] == 1
    undp = ROOT / "examples" / "data" / "hdi-components-1990-2022.csv"
    status, text = run("validate", str(undp))
    assert status == 0 and "(indicator data in the tidy (by country) layout)" in text


# -- index ----------------------------------------------------------------------------------


def _index_rows(text: str) -> dict[str, tuple[int | None, float]]:
    """jurisdiction -> (rank, score) from the printed table."""
    lines = text.splitlines()
    start = next(k for k, line in enumerate(lines) if line.startswith("----")) + 1
    rows = {}
    for line in lines[start:]:
        if not line.strip():
            break
        parts = line.split()
        rank = None if parts[0] == "-" else int(parts[0])
        rows[" ".join(parts[1:-1])] = (rank, float(parts[-1]))
    return rows


def test_index_ranks_the_hdi_from_undps_file_as_undp_does() -> None:
    """UNDP's own file, read as published: every one of the 193 ranks equals the published
    hdi_rank_2022 (ranks on the HDI rounded to 3 decimals), scores shown as ranked."""
    import pandas as pd

    status, text = run("index", "undp-hdi", str(DATA / "hdi-2022-all-countries.csv"),
                       "--missing", "drop")  # fmt: skip
    assert status == 0, text
    assert text.startswith("Human Development Index (undp-hdi), read as undp: 193 jurisd")
    rows = _index_rows(text)
    published = pd.read_csv(DATA / "hdi-2022-all-countries.csv", encoding="latin-1")
    published = published.dropna(subset=["hdi_rank_2022"]).set_index("country")
    assert len(rows) == 193 == len(published)
    for country, (rank, score) in rows.items():
        assert rank == int(published.loc[country, "hdi_rank_2022"]), country
        assert score == published.loc[country, "hdi_2022"], country
    assert "Build log: 21 clipped, 2 dropped (cells" in text
    assert "No index value (missing rule) for: Korea (Democratic People's Rep. of) 2022, " in text


def test_index_builds_the_sdg_index_and_writes_json(tmp_path: Path) -> None:
    import json

    import pandas as pd

    target = tmp_path / "sdg.json"
    status, text = run("index", "sdg-index", str(DATA / "sdr-2021-oecd-countries.csv"),
                       "--codebook", str(DATA / "sdr-2021-codebook.csv"),
                       "--values", "normalised", "-o", str(target))  # fmt: skip
    assert status == 0, text
    assert "Build log: 28 imputed, 6 not applicable, 101 renormalised (cells" in text
    assert text.rstrip().endswith(f"wrote {target}")
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["framework"] == "sdsn-sdg-index-2021"
    index = {r["jurisdiction"]: r["score"] for r in document["rows"] if r["level"] == "index"}
    published = pd.read_csv(DATA / "sdr-2021-oecd-countries.csv").set_index("Country")
    assert len(index) == 37
    for country, score in index.items():
        assert abs(score - published.loc[country, "2021 SDG Index Score"]) <= 1e-6
        assert _index_rows(text)[country][1] == pytest.approx(score, abs=1e-4)
    imputed = [e for e in document["log"] if e["action"] == "imputed"]
    assert len(imputed) == 28 and {"jurisdiction", "year", "id", "detail"} <= set(imputed[0])


def test_index_writes_a_workbook_and_csv_from_tidy_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pandas as pd

    data = tmp_path / "data.csv"
    data.write_text(
        "jurisdiction,indicator,year,value\n"
        + "".join(
            f"{j},{i},{y},{v + (y - 2020)}\n"
            for y in (2020, 2021)
            for j, values in {"A": (0, 2, 1, 10, 5), "B": (5, 4, 3, 20, 3), "C": (10, 2, 2, 30, 1)}.items()
            for i, v in zip(("x1", "x2", "x3", "x4", "x5"), values, strict=True)
        ),
        encoding="utf-8",
    )  # fmt: skip
    framework = str(FIXTURES / "four-level-index.yaml")
    book = tmp_path / "index.xlsx"
    status, text = run("index", framework, str(data), "--year", "2021", "-o", str(book))
    assert status == 0, text
    assert "read as tidy: 3 jurisdictions, year 2021." in text
    sheets = pd.read_excel(book, sheet_name=None)
    assert list(sheets) == ["index", "all levels", "log"]
    assert sheets["index"]["year"].tolist() == [2021] * 3
    assert sheets["index"]["rank"].tolist() == [1, 2, 3]
    flat = tmp_path / "index.csv"
    assert run("index", framework, str(data), "-o", str(flat))[0] == 0
    written = pd.read_csv(flat)
    assert sorted(written.year.unique()) == [2020, 2021] and set(written.level) >= {"node"}
    assert run("index", framework, str(data), "--year", "2019")[0] == 1
    assert (
        "no data for 2019 in" in (err := capsys.readouterr().err) and "(years: 2020, 2021)" in err
    )
    assert run("index", framework, str(data), "-o", str(flat))[0] == 0
    again = pd.read_csv(flat)
    pd.testing.assert_frame_equal(written, again)  # same inputs, same file


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "no value of 'undp.mean-schooling' for Monaco in 2022"),
        (
            ["--missing", "drop", "--year", "2019"],
            "has no data for 2019 of eys, gnipc, le, mys (its years: 2022)",
        ),
        (["--missing", "drop", "-o", "out.txt"], "write .csv, .xlsx or .json"),
        (["--values", "normalised"], "--values normalised is for the SDR database"),
        (["--codebook", "x.csv"], "--codebook is for the framework sdg-index"),
    ],
)
def test_index_refuses_bad_input_with_our_error(
    extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _ = run("index", "undp-hdi", str(DATA / "hdi-2022-all-countries.csv"), *extra)
    err = capsys.readouterr().err
    assert status == 1 and message in err and "Traceback" not in err


def test_index_cannot_guess_a_format_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    assert run("index", "undp-hdi", str(other))[0] == 1
    assert "cannot tell the format from its columns; give --reader" in capsys.readouterr().err
    assert run("index", "undp-hdi", str(tmp_path / "absent.csv"))[0] == 1
    assert "no data file" in capsys.readouterr().err


def test_index_of_an_sdr_workbook_with_another_sheet_name_is_our_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pandas as pd

    workbook = tmp_path / "sdr.xlsx"
    with pd.ExcelWriter(workbook) as writer:
        pd.read_csv(DATA / "sdr-2021-oecd-countries.csv").head(3).to_excel(
            writer, sheet_name="SDR 2022 Data", index=False
        )
    assert run("index", "sdg-index", str(workbook))[0] == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1
    assert "no sheet 'SDR2021 Data' for the SDR data (sheets: SDR 2022 Data)" in err


@pytest.mark.parametrize("year", [[], ["--year", "2022"]])
def test_index_of_a_tidy_file_in_latin1_reads_its_names(
    year: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Publishers save in Latin-1 as well as UTF-8 (UNDP does): a name such as Côte d'Ivoire
    is read as written, never a traceback, and the file's problems keep its name."""
    data = tmp_path / "tidy.csv"
    data.write_bytes(
        b"jurisdiction,indicator,year,value\nNorway,le,2022,83.4\nC\xf4te d'Ivoire,le,2022,59\n"
    )
    assert run("index", "undp-hdi", str(data), *year, "--missing", "renormalise")[0] == 0
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    status, text = run("index", "undp-hdi", str(data), *year, "--missing", "renormalise")
    assert status == 0 and "Côte d'Ivoire" in text


def test_index_of_a_tidy_file_for_one_year_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "semi.csv"
    data.write_text("jurisdiction;indicator;year;value\nNorway;le;2022;83,4\n", encoding="utf-8")
    assert run("index", "undp-hdi", str(data), "--reader", "tidy", "--year", "2022")[0] == 1
    err = capsys.readouterr().err
    assert f"{data} is not valid" in err and "<indicator data>" not in err
    assert "separated by another character than ','" in err


SEMICOLONS = "jurisdiction;indicator;year;value\nNorway;le;2022;83,4\nChad;le;2022;52,5\n"


@pytest.mark.parametrize(
    ("options", "read"),
    [
        ([], None),  # the separator is found, the decimal commas are refused, located
        (["--sep", ";"], None),
        (["--decimal", ","], "separated by ';', decimal comma"),
    ],
)
def test_validate_reads_indicator_data_with_decimal_commas_only_when_told(
    options: list[str], read: str | None, tmp_path: Path
) -> None:
    data = tmp_path / "semi.csv"
    data.write_text(SEMICOLONS, encoding="utf-8")
    status, text = run("validate", str(data), *options)
    if read is None:
        assert status == 1
        assert f"{data}:2: rows[0].value: '83,4' is not a number; a decimal comma?" in text
    else:
        assert status == 0 and f"(indicator data in the tidy layout, {read})" in text
    assert "this row has" not in text and "missing column" not in text


def test_index_says_indicator_data_with_decimal_commas_is_to_be_saved_with_commas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "semi.csv"
    data.write_text(SEMICOLONS, encoding="utf-8")
    assert run("index", "undp-hdi", str(data))[0] == 1
    err = capsys.readouterr().err
    assert f"{data}:1: cells separated by ';': indicator data are read as published" in err
    assert "cannot tell the format" not in err


def test_compare_reads_a_table_with_decimal_commas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """compare scores a CSV as score does (--decimal, --sep); it shows no costs, so it does
    not warn of their absence, and one bid has no rank correlation to print as nan."""
    bids = tmp_path / "dk-impacts.csv"
    bids.write_text(
        "proposal;title;lead_agency;indicator;change;people;start;duration;evidence\n"
        "trivsel;Trivsel i skolen;Børne- og Undervisningsministeriet;nz.psychological-distress;"
        "-0,4 percentage_point;12.500;2024;2,5 years;medium\n",
        encoding="utf-8",
    )
    frameworks = ["--framework", "nz-lsf-2021", "--framework", "oecd-hows-life"]
    status, text = run("compare", str(bids), *frameworks, "--decimal", ",")
    assert status == 0, text
    assert "trivsel" in text and ": nan" not in text
    assert "nz-lsf-2021 vs oecd-hows-life: - (the ranks do not vary)" in text
    assert capsys.readouterr().err == ""


def test_index_of_one_year_of_a_tidy_file_reports_the_files_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--year keeps that year's rows; a problem in them is still at its line in the file."""
    data = tmp_path / "data.csv"
    data.write_text(
        "jurisdiction,indicator,year,value\nNorway,le,2021,83.4\nChad,le,2021,52.5\n"
        'Norway,le,2022,83.4\nChad,le,2022,"52,5"\n',
        encoding="utf-8",
    )
    expected = f"{data}:5: rows[3].value: value '52,5' is not a number"
    for year in ([], ["--year", "2022"]):
        assert run("index", "undp-hdi", str(data), *year)[0] == 1
        assert expected in capsys.readouterr().err


def test_validate_reads_the_sdr_workbook_as_indicator_data(tmp_path: Path) -> None:
    """The SDSN's workbook is indicator data, not a proposals workbook without 'impacts',
    whatever its edition calls the data sheet, and the file is named once."""
    import pandas as pd

    data = pd.read_csv(DATA / "sdr-2021-oecd-countries.csv").head(3)
    ours, other = tmp_path / "sdr.xlsx", tmp_path / "sdr-2022.xlsx"
    for book, sheet in ((ours, "SDR2021 Data"), (other, "SDR 2022 Data")):
        with pd.ExcelWriter(book) as writer:
            data.to_excel(writer, sheet_name=sheet, index=False)
    status, text = run("validate", str(ours))
    assert (
        status == 0
        and f"ok  {ours} (indicator data in the SDSN SDR data sheet layout, sheet 'SDR2021 Data')"
        in text
    )
    status, text = run("validate", str(other))  # found by its header, whatever its name
    assert status == 0 and "sheet 'SDR 2022 Data'" in text
    assert f"{other}: {other}" not in text


COMMANDS = ["frameworks", "show", "indicators", "validate", "score", "compare", "index",
            "dashboard", "simulate", "sensitivity", "portfolio", "demo"]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_of_every_command_says_what_it_does(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    lines = capsys.readouterr().out.split("options:\n", 1)[1].splitlines()
    for line, following in zip(lines, [*lines[1:], ""], strict=True):
        if line.startswith("  -") and "  " not in line.strip():  # no help on its line
            assert following.startswith(" " * 8), f"{command}: {line.strip()} has no help"


def test_index_refuses_an_unknown_output_suffix_before_reading_the_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("index", "undp-hdi", str(tmp_path / "absent.csv"), "-o", "hdi.txt")[0] == 1
    err = capsys.readouterr().err
    assert err == "error: -o hdi.txt: write .csv, .xlsx or .json (the suffix says which)\n"


def test_index_of_a_framework_without_an_index_section_says_whose_method_it_is(
    tmp_path: Path,
) -> None:
    import wellbeing_budget as wb

    ids = [ref.id for d in wb.load_framework("default").domains for ref in d.indicators]
    data = tmp_path / "data.csv"
    data.write_text(
        "jurisdiction,indicator,year,value\n"
        + "".join(f"{j},{i},2022,{n * 10 + k}\n" for n, j in enumerate("ABC") for k, i in enumerate(ids)),
        encoding="utf-8",
    )  # fmt: skip
    status, text = run("index", "default", str(data))
    assert status == 0, text
    assert "default declares no index method (no index: section): min-max and arithmetic " in text
    status, text = run(
        "index", "undp-hdi", str(DATA / "hdi-2022-all-countries.csv"), "--missing", "drop"
    )
    assert status == 0 and "declares no index method" not in text  # fmt: skip


def test_index_help_imports_no_pandas() -> None:
    code = (
        "import sys\nfrom wellbeing_budget import cli\ntry:\n    cli.main(['index', '--help'])\n"
        "except SystemExit:\n    pass\nprint('pandas' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "--reader {auto,tidy,undp,oecd,sdr}" in result.stdout
    assert result.stdout.strip().endswith("False")


def test_index_says_what_it_warns_as_a_plain_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, _ = run("index", "sdg-index", str(DATA / "sdr-2021-oecd-countries.csv"),
                    "--codebook", str(DATA / "sdr-2021-codebook.csv"))  # fmt: skip
    err = capsys.readouterr().err
    assert status == 0
    assert err.startswith("warning: ") and "no raw values published for sdg16_safe" in err
    assert err.count("\n") == 1  # once, no source line


def test_output_piped_into_a_reader_that_stops_early_is_not_an_error() -> None:
    reader = subprocess.Popen(
        [sys.executable, "-m", "wellbeing_budget.cli", "indicators"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.readline()
    reader.stdout.close()  # what `| head -1` does
    errors = reader.stderr.read().decode()
    assert reader.wait(timeout=60) == 0
    assert "Broken pipe" not in errors and errors == ""


def test_validate_passes_the_repository_and_says_which_layout() -> None:
    status, text = run("validate", str(ROOT / "examples"))
    assert status == 0, text
    assert "hdi-components-1990-2022.csv (indicator data in the tidy (by country) layout)" in text
    status, text = run(
        "validate", str(ROOT / "frameworks"), str(ROOT / "indicators"), str(ROOT / "examples")
    )
    assert status == 0, text


@pytest.mark.parametrize(
    ("name", "layout"),
    [
        ("hdi-2022-all-countries.csv", "UNDP composite indices"),
        ("oecd_bli_2015.csv", "OECD.Stat export"),
        ("sdr-2021-oecd-countries.csv", "SDSN SDR data sheet"),
    ],
)
def test_validate_reads_publishers_layouts_with_their_readers(name: str, layout: str) -> None:
    status, text = run("validate", str(DATA / name))
    assert status == 0, text
    assert f"(indicator data in the {layout} layout)" in text


def test_validate_catches_real_errors_in_indicator_data(tmp_path: Path) -> None:
    """The examples folder with one broken cell fails, located; so do a UNDP file holding
    '#N/A' and a decimal comma, and a tidy file repeating an observation."""
    examples = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", examples)
    hdi = examples / "data" / "hdi-components-1990-2022.csv"
    lines = hdi.read_text(encoding="utf-8").splitlines()
    lines[7] = lines[7].rsplit(",", 1)[0] + ',"77,9"'
    hdi.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, text = run("validate", str(examples))
    assert status == 1
    assert "hdi-components-1990-2022.csv:8: rows[6].value: '77,9' is not a number" in text
    assert "a decimal comma? write '77.9'" in text and "1 of 5 files not valid" in text

    undp = tmp_path / "undp.csv"
    undp.write_text(
        'iso3,country,le_2021,le_2022\nNZL,New Zealand,82.1,"82,5"\nDNK,Denmark,#N/A,81.4\n',
        encoding="utf-8",
    )
    status, text = run("validate", str(undp))
    assert status == 1
    assert "undp.csv:2: rows[0].le_2022: '82,5' is not a number" in text
    assert "undp.csv:3: rows[1].le_2021: '#N/A' is not a number" in text

    tidy = tmp_path / "tidy.csv"
    tidy.write_text(
        "jurisdiction,indicator,year,value\nNZ,le,2021,82\nNZ,le,2021,83\n", encoding="utf-8"
    )
    status, text = run("validate", str(tidy))
    assert status == 1 and "observation given more than once" in text


def test_validate_checks_a_publishers_layout_against_a_framework() -> None:
    undp = DATA / "hdi-2022-all-countries.csv"
    status, text = run("validate", "--framework", "undp-hdi", str(undp))
    assert status == 0 and "UNDP composite indices layout against undp-hdi" in text
    status, text = run("validate", "--framework", "nz-lsf-2021", str(undp))
    assert status == 1 and "is measured by 'nz-lsf-2021'" in text


def test_a_warning_is_one_plain_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, _ = run("validate", str(DATA / "sdr-2021-oecd-countries.csv"))
    err = capsys.readouterr().err
    assert status == 0
    assert err.startswith("warning: ") and "sdg16_safe" in err
    assert "UserWarning" not in err and err.count("\n") == 1


def test_validate_reads_the_sdr_workbook_by_its_data_sheet(tmp_path: Path) -> None:
    """The SDSN publishes a workbook: validate finds its data sheet (whatever it is called)
    and reads it as SDR data, located by sheet row; it is no proposals table."""
    import pandas as pd

    sheet = pd.read_csv(DATA / "sdr-2021-oecd-countries.csv")
    workbook = tmp_path / "SDR-2022-Database.xlsx"
    with pd.ExcelWriter(workbook) as writer:
        pd.DataFrame({"About": ["the SDR database"]}).to_excel(
            writer, sheet_name="Overview", index=False
        )
        sheet.to_excel(writer, sheet_name="SDR2022 Data", index=False)
    status, text = run("validate", str(workbook))
    assert status == 0, text
    assert "(indicator data in the SDSN SDR data sheet layout, sheet 'SDR2022 Data')" in text
    column = next(c for c in sheet.columns if str(c).startswith("Normalized Score: "))
    value = sheet.columns[sheet.columns.get_loc(f"Year: {column[18:]}") - 1]
    sheet[value] = sheet[value].astype(object)
    sheet.loc[4, value] = "#N/A"
    with pd.ExcelWriter(workbook) as writer:
        sheet.to_excel(writer, sheet_name="Data", index=False)
    status, text = run("validate", str(workbook))
    assert status == 1
    assert f"SDR-2022-Database.xlsx:6: rows[4].{value}: '#N/A' is not a number" in text
    assert "proposal" not in text


UNDP_ROWS = [["NZL", "New Zealand", "82.5", "43000"], ["DNK", "Denmark", "81.4", "60000"]]


def _undp(path: Path, sep: str, rows: list[list[str]]) -> Path:
    lines = [sep.join(["iso3", "country", "le_2022", "gnipc_2022"])]
    lines += [sep.join(f'"{c}"' if sep in c else c for c in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_validate_recognises_a_publishers_file_by_the_separator_it_uses(tmp_path: Path) -> None:
    """A comma-separated UNDP file is recognised under --decimal , (read with decimal
    points); one separated by ';' with decimal commas is recognised and read with them,
    with or without --decimal , (then its commas are refused, not misread)."""
    plain = _undp(tmp_path / "plain.csv", ",", UNDP_ROWS)
    status, text = run("validate", "--decimal", ",", str(plain))
    assert status == 0, text
    assert "plain.csv (indicator data in the UNDP composite indices layout)" in text

    danish_rows = [[c.replace(".", ",") for c in row] for row in UNDP_ROWS]
    danish = _undp(tmp_path / "danish.csv", ";", danish_rows)
    status, text = run("validate", "--decimal", ",", str(danish))
    assert status == 0, text
    assert "(indicator data in the UNDP composite indices layout, separated by ';', " in text
    status, text = run("validate", "--decimal", ",", "--framework", "undp-hdi", str(danish))
    assert status == 0, text
    status, text = run("validate", str(danish))
    assert status == 1
    assert "danish.csv:2: rows[0].le_2022: '82,5' is not a number; a decimal comma?" in text

    ambiguous = _undp(tmp_path / "dots.csv", ";", [["NZL", "New Zealand", "82,5", "43.000"],
                                                    ["DNK", "Denmark", "81,4", "2.5"]])  # fmt: skip
    status, text = run("validate", "--decimal", ",", str(ambiguous))
    assert status == 1
    assert "dots.csv:3: rows[1].gnipc_2022: '2.5': with decimal=',' a dot only groups" in text
    assert "dots.csv:2" not in text  # 43.000 is forty-three thousand


def test_validate_reads_tidy_data_separated_by_semicolons_against_a_framework(
    tmp_path: Path,
) -> None:
    tidy = tmp_path / "tidy.csv"
    tidy.write_text(
        "jurisdiction;indicator;year;value\n\nNZ;undp.life-expectancy;2021;82,1\n"
        "NZ;undp.life-expectancyy;2022;82,5\n",
        encoding="utf-8",
    )
    status, text = run("validate", "--decimal", ",", str(tidy))
    assert status == 0 and "tidy layout, separated by ';', decimal comma" in text
    status, text = run("validate", "--decimal", ",", "--framework", "undp-hdi", str(tidy))
    assert status == 1
    assert "tidy.csv: rows[1].indicator: framework 'undp-hdi' has no indicator" in text
    tidy.write_text(tidy.read_text().replace("2021;82,1", "2021;8,2,1"), encoding="utf-8")
    status, text = run("validate", "--decimal", ",", str(tidy))
    assert status == 1 and "tidy.csv:3: rows[0].value: '8,2,1'" in text


def test_validate_locates_an_empty_year_and_a_repeated_observation(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("jurisdiction,indicator,year,value\nNorway,le,,83.4\n", encoding="utf-8")
    twice = tmp_path / "twice.csv"
    twice.write_text(
        "jurisdiction,indicator,year,value\nNorway,le,2022,83.4\n\nNorway,le,2022,83.4\n",
        encoding="utf-8",
    )
    status, text = run("validate", str(empty), str(twice))
    assert status == 1
    assert f"{empty}:2: rows[0].year: year is empty" in text
    assert f"{twice}:4: observation given more than once: jurisdiction=Norway" in text
