"""The command line, run in-process as a user would run it."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from wellbeing_budget.cli import main

from .conftest import FIXTURES, ROOT


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
    n_files = len(list((FIXTURES / "invalid").glob("*.yaml")))
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


def test_show_prints_the_settings_and_where_they_come_from() -> None:
    status, text = run("show", str(ROOT / "examples" / "dk-trivsel" / "framework.yaml"))
    assert status == 0
    assert "Currency and prices: DKK, 2021 prices" in text
    assert "Population: 5,856,776 (2021)" in text
    assert "Generations: base year 2021; current generation: years 0–24" in text
    # the Danish example takes the UK schedules from the default framework: said so
    assert text.count("(inherited from default)") == 2
    assert "Wellbeing discounting: HM Treasury Green Book health schedule" in text
    status, text = run("show", "nz-lsf-2021")
    assert text.count("(set by this framework)") == 2


def test_show_and_dashboard_speak_danish(tmp_path: Path) -> None:
    framework = str(ROOT / "examples" / "dk-trivsel" / "framework.yaml")
    status, text = run("show", framework, "--language", "da")
    assert status == 0
    assert "mental-wellbeing (Mental trivsel)" in text
    assert "Diskontering af trivsel" in text and "(arvet fra default)" in text
    report = tmp_path / "rapport.html"
    proposals = str(ROOT / "examples" / "dk-trivsel" / "proposals.yaml")
    status, _ = run(
        "dashboard", proposals, "--framework", framework, "--language", "da", "-o", str(report)
    )
    assert status == 0
    html = report.read_text(encoding="utf-8")
    assert '<html lang="da">' in html
    assert "Mental trivsel" in html and "Arbejde og selvforsørgelse" in html
