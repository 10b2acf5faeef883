"""Exports that cannot be turned against their reader: no live formula in CSV or Excel, no
markup from a title in any HTML view."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import matplotlib
import pytest

import wellbeing_budget as wb
from wellbeing_budget.io.files import csv_text
from wellbeing_budget.model.proposal import Impact, Proposal, Timing
from wellbeing_budget.units import Quantity

matplotlib.use("Agg")

FRAMEWORK = wb.load_framework("nz-wellbeing-budget-2019")
HOSTILE = ('=HYPERLINK("http://evil.example","x")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx")
MARKUP = '<script>alert("t")</script><b onmouseover="x">'


def card_titled(*titles: str, framework: wb.Framework = FRAMEWORK) -> wb.Scorecard:
    bids = [
        Proposal(
            id=f"p{n}",
            title=title,
            lead_agency=f"{title} agency",
            impacts=(
                Impact(
                    indicator="nz.psychological-distress",
                    change=Quantity(-0.4 - n / 10, "percentage_point"),
                    timing=Timing(start=2020, duration=Quantity(5, "years")),
                    evidence="medium",
                ),
            ),
        )
        for n, title in enumerate(titles)
    ]
    return wb.score(framework, bids)


def test_csv_never_holds_a_live_formula(tmp_path: Path) -> None:
    """Titles and agencies that a spreadsheet would run, scored from a proposals file and
    written as CSV by the command line (where titles reach a CSV file) and by csv_text."""
    import yaml

    from wellbeing_budget.cli import main

    bids = {
        "proposals": [
            {
                "id": f"p{n}",
                "title": title,
                "lead_agency": f"{title} agency",
                "impacts": [
                    {
                        "indicator": "nz.psychological-distress",
                        "change": "-0.4 percentage_point",
                        "timing": {"start": 2020, "duration": "5 years"},
                        "evidence": "medium",
                    }
                ],
                "costs": [{"year": 2020, "amount": "1 million NZD"}],
            }
            for n, title in enumerate(HOSTILE)
        ]
    }
    path = tmp_path / "bids.yaml"
    path.write_text(yaml.safe_dump(bids), encoding="utf-8")
    out = io.StringIO()
    argv = ["score", str(path), "--framework", "nz-wellbeing-budget-2019", "--format", "csv"]
    assert main(argv, out) == 0, out.getvalue()
    card = card_titled(*HOSTILE)
    for text in (out.getvalue(), csv_text(card.summary())):
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        assert len(rows) == len(HOSTILE)
        for column in ("title", "lead_agency"):
            cells = [row[column] for row in rows]
            assert all(cell.startswith("'") for cell in cells), cells
        assert "'=HYPERLINK" in text


def test_excel_stores_formula_like_titles_as_text(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    card = card_titled(*HOSTILE)
    card.to_excel(tmp_path / "scores.xlsx")
    book = openpyxl.load_workbook(tmp_path / "scores.xlsx")
    titles = [cell for row in book["summary"].iter_rows() for cell in row if cell.column == 2]
    # XML stores a carriage return as a line feed; the text is otherwise kept as written
    written = [t.replace("\r", "\n") for t in card.summary()["title"]]
    assert [c.value for c in titles[1:]] == written
    formulas = [
        c.coordinate for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"
    ]
    assert formulas == []


def test_every_html_view_escapes_titles() -> None:
    card = card_titled(MARKUP)
    pytest.importorskip("jinja2")
    views = {
        "notebook": card._repr_html_(),
        "explain": card.explain("p0")._repr_html_(),
        "style": card.style().to_html(),
        "report": card.to_html(),
    }
    for name, html in views.items():
        scripts = re.findall(r"<script\b[^>]*>", html)
        # The report's own two inline scripts (its data and the re-weighting code) and none
        # from a title, not even inside the embedded JSON.
        expected = ['<script type="application/json" id="wb-data">', "<script>"]
        assert scripts == (expected if name == "report" else []), name
        assert 'onmouseover="x"' not in html, name
        assert "&lt;script&gt;" in html, name


# An even number of '$' makes matplotlib parse the text between them as mathtext; these are
# not valid formulas, so before plain_text() the figure raised ValueError when drawn (an odd
# number of '$', as in 'Costs $5$ and $x', is drawn as text and proves nothing).
MATHTEXT = ["Costs $\\frac{a$ plan", "Plan $x^$", "$5m$ or $6m$ \\$ {"]


def _draw(figure: object) -> None:
    import matplotlib.pyplot as plt

    figure = figure if hasattr(figure, "savefig") else figure.figure  # type: ignore[attr-defined]
    figure.savefig(io.BytesIO(), format="png")  # type: ignore[attr-defined]
    plt.close("all")


@pytest.mark.parametrize("name", MATHTEXT)
def test_dollar_signs_in_a_framework_name_plot_as_text(name: str) -> None:
    framework = FRAMEWORK.model_copy(update={"name": name})
    figure = card_titled("Bid", framework=framework).plot.pillars()
    _draw(figure)
    title = figure._suptitle.get_text()  # type: ignore[attr-defined]
    assert title.replace("\\$", "$").endswith(name)  # drawn as written


@pytest.mark.parametrize("name", MATHTEXT)
def test_dollar_signs_in_domain_names_and_titles_plot_as_text(name: str) -> None:
    domains = tuple(d.model_copy(update={"name": name}) for d in FRAMEWORK.domains)
    framework = FRAMEWORK.model_copy(update={"domains": domains})
    card = card_titled(name, f"{name} too", framework=framework)
    for draw in (card.plot.heatmap, card.plot.pillars, card.plot.groups, card.plot.frontier):
        _draw(draw())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize("kind", ["folder", "fifo", "link"])
def test_writes_refuse_what_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "out.csv"
    if kind == "folder":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        (tmp_path / "real.csv").write_text("keep me")
        target.symlink_to(tmp_path / "real.csv")
    with pytest.raises(wb.WellbeingBudgetError, match="cannot write"):
        card_titled("Bid").to_csv(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["out.csv", *(["real.csv"] if kind == "link" else [])]
    )
    if kind == "link":
        assert (tmp_path / "real.csv").read_text() == "keep me"


def test_a_failed_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(wb.WellbeingBudgetError, match=r"cannot write .*No space left"):
        card_titled("Bid").to_csv(tmp_path / "out.csv")
    assert list(tmp_path.iterdir()) == []


def _decided(*titles: str) -> wb.Scorecard:
    card = card_titled(*titles)
    card.simulate(draws=400, seed=3)
    card.sensitivity()
    card.choose(limits="1 billion NZD")
    return card


def test_json_carries_the_decision_strictly() -> None:
    import json

    plain = card_titled("a", "b", "c")
    assert "decision" not in json.loads(plain.to_json())
    card = _decided("a", "b", "c")
    document = json.loads(
        card.to_json(), parse_constant=lambda c: pytest.fail(f"non-strict JSON {c}")
    )
    decision = document["decision"]
    simulation = card.decision["simulation"]
    percentiles = simulation.percentiles()
    entry = decision["simulation"]["proposals"][1]
    assert entry["id"] == "p1"
    assert entry["current_total"]["p95"] == pytest.approx(
        percentiles.loc["p1", "current_total_p95"]
    )
    assert entry["bcr"] == {"scored": None, "p5": None, "p50": None, "p95": None}
    ranks = simulation.rank_probabilities()
    assert entry["rank_at_most"] == pytest.approx(ranks.loc["p1"].tolist())
    assert decision["simulation"]["seed"] == 3 and decision["simulation"]["draws"] == 400
    package = card.decision["package"]
    assert [row["id"] for row in decision["package"]["chosen"]] == package.ids
    assert [row["slack"] for row in decision["package"]["limits"]] == pytest.approx(
        package.limits["slack"].tolist()
    )
    assert decision["package"]["optimal"] is True
    tornado = card.decision["sensitivity"].tornado()
    assert [row["input"] for row in decision["sensitivity"]["tornado"]] == tornado["input"].tolist()
    # same inputs and seed, same document
    assert _decided("a", "b", "c").to_json() == card.to_json()


def test_excel_carries_the_decision_as_text_safe_sheets(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    card = _decided(*HOSTILE)
    card.to_excel(tmp_path / "a.xlsx")
    _decided(*HOSTILE).to_excel(tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    for name in ("uncertainty", "rank_probabilities", "package", "package_limits", "tornado"):
        assert name in book.sheetnames
    rows = list(book["uncertainty"].values)
    header = list(rows[0])
    column = header.index("net_cost_npv_p95 [NZD]")
    expected = card.decision["simulation"].percentiles()["net_cost_npv_p95"].tolist()
    assert [row[column] for row in rows[1:]] == pytest.approx(expected)
    limits = list(book["package_limits"].values)
    assert limits[0][:2] == ("limit", "year") and "slack" in limits[0]
    assert len(limits) - 1 == len(card.decision["package"].limits)
    titles = [row[1] for row in list(book["package"].values)[1:]]
    assert set(titles) <= {t.replace("\r", "\n") for t in HOSTILE} and titles
    formulas = [
        c.coordinate for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"
    ]
    assert formulas == []


AWKWARD = ("bell\x07ring", "_x0041_ stays", "a & <b> \"q\" 'r'", "  padded  ", "tab\there")


def test_excel_keeps_any_text_and_every_number(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from openpyxl.utils.escape import unescape

    from wellbeing_budget.views.exports import excel_sheets

    card = card_titled(*AWKWARD, *HOSTILE)
    card.to_excel(tmp_path / "scores.xlsx")
    book = openpyxl.load_workbook(tmp_path / "scores.xlsx")
    for name, frame in excel_sheets(card).items():
        rows = list(book[name].iter_rows(values_only=True))
        assert list(rows[0]) == [str(c) for c in frame.columns], name
        assert len(rows) == len(frame) + 1, name
        for written, record in zip(rows[1:], frame.itertuples(index=False), strict=True):
            for got, value in zip(written, record, strict=True):
                if isinstance(value, str):
                    # What XML cannot hold (and text that looks like the escape itself) is
                    # written as Excel writes it, _xHHHH_, which Excel reads back.
                    assert unescape(got) == value.replace("\r", "\n"), name
                elif value is None or (isinstance(value, float) and value != value):
                    assert got is None, name
                else:
                    assert got == value, name  # numbers exactly, not to a few digits
    assert book["summary"].freeze_panes == "B2"


def test_excel_refuses_a_sheet_beyond_the_row_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wellbeing_budget.views import exports

    card = card_titled("a", "b", "c")
    monkeypatch.setattr(exports, "EXCEL_MAX_ROWS", 3)
    with pytest.raises(wb.WellbeingBudgetError, match=r"sheet 'summary' would have 4 rows.*CSV"):
        card.to_excel(tmp_path / "scores.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_excel_bytes_do_not_depend_on_the_day(tmp_path: Path) -> None:
    card = card_titled(*AWKWARD)
    card.to_excel(tmp_path / "a.xlsx")
    card_titled(*AWKWARD).to_excel(tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
