"""The dashboard: notebook tables, plots, the HTML report, exports."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

import wellbeing_budget as wb

from ..conftest import ROOT

matplotlib.use("Agg")

EXAMPLE = ROOT / "examples" / "nz-wellbeing-budget-2019" / "proposals.yaml"
FRAMEWORK = wb.load_framework("nz-wellbeing-budget-2019")
CARD = wb.score(FRAMEWORK, wb.load_proposals(EXAMPLE))


def test_notebook_table_ranks_and_colours_around_zero() -> None:
    html = CARD._repr_html_()
    ranked = list(CARD.summary(sort_by="current_total").index)
    positions = [html.index(f"<b>{pid}</b>") for pid in ranked]
    assert positions == sorted(positions)
    for label in ("People", "Society", "Environment", "Public finances", "Net cost NPV"):
        assert label in html
    assert "background:#f7f7f7" in html  # zero is white
    assert "background:#2166ac" in html  # the largest gain is the darkest blue


def test_style_returns_a_styler() -> None:
    styler = CARD.style()
    assert type(styler).__name__ == "Styler"
    assert "background-color" in styler.to_html()


def test_framework_renders_with_directions() -> None:
    html = FRAMEWORK._repr_html_()
    assert "Living Standards" not in html or "Wellbeing Budget 2019" in html
    assert "nz.life-expectancy" in html and "▲" in html and "▼" in html
    planned = FRAMEWORK.model_copy(
        update={
            "domains": (*FRAMEWORK.domains, wb.Domain(id="arts", name="Arts", pillar="society"))
        }
    )
    assert "no indicator encoded" in planned._repr_html_()


@pytest.mark.parametrize("name", ["generations", "heatmap", "frontier", "groups"])
def test_plots_return_labelled_axes(name: str) -> None:
    ax = getattr(CARD.plot, name)()
    assert ax.get_title()
    assert ax.get_xlabel()
    import matplotlib.pyplot as plt

    plt.close(ax.figure)


def test_pillar_plot_has_both_generations() -> None:
    fig = CARD.plot.pillars()
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["Current generation", "Future generations"]
    assert "effect-years" in fig.axes[0].get_xlabel()
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_frontier_puts_the_best_value_first() -> None:
    ax = CARD.plot.frontier()
    x, y = ax.lines[0].get_data()
    summary = CARD.summary()
    first = summary[summary.current_total > 0]
    best = (first.current_total / first.net_cost_npv).idxmax()
    assert ax.texts[0].get_text().startswith(best[:20])
    assert list(x) == sorted(x) and list(y) == sorted(y)  # costs and effects only add up


def test_report_is_self_contained_and_complete(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    html = CARD.to_html(path)
    assert path.read_text(encoding="utf-8") == html
    # Two inline scripts (the data and the re-weighting code), nothing loaded by either.
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts == ['<script type="application/json" id="wb-data">', "<script>"]
    code = html[html.rindex("<script>") :]
    for fetching in ("fetch(", "XMLHttpRequest", "import(", "WebSocket", ".src", "http"):
        assert fetching not in code
    # Only links a reader may follow and data: images inside the SVG; nothing fetched.
    assert not re.search(r"""\b(src|href)\s*=\s*["'](?!https?://|#|data:)""", html)
    assert not re.search(r"""<(img|link|iframe|object|embed)\b""", html)
    assert not re.search(r"url\((?!#)|@import", html)
    for proposal in CARD.proposals:
        assert proposal.title.replace("'", "&#x27;") in html
    for label in ("People", "Society", "Environment", "Public finances"):
        assert label in html
    assert "@page" in html and "A4" in html
    assert html.count("<svg") >= 5
    assert FRAMEWORK.source.url and FRAMEWORK.source.url in html


def test_report_is_deterministic() -> None:
    assert CARD.to_html() == wb.score(FRAMEWORK, wb.load_proposals(EXAMPLE)).to_html()


def test_report_file_has_ordinary_permissions(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    CARD.to_html(path)
    assert path.stat().st_mode & 0o044  # readable by others, as a plain write would be


def test_excel_export_has_one_sheet_per_view_with_units(tmp_path: Path) -> None:
    path = tmp_path / "scores.xlsx"
    CARD.to_excel(path)
    sheets = pd.read_excel(path, sheet_name=None)
    assert list(sheets) == ["summary", "tidy", "groups", "impacts", "assumptions"]
    assert "cost_npv [NZD]" in sheets["summary"].columns
    assert "current_total [effect-years]" in sheets["summary"].columns
    total = sheets["summary"].set_index("proposal")["current_total [effect-years]"]
    assert total.to_dict() == pytest.approx(CARD.summary().current_total.to_dict())
    first = path.read_bytes()
    CARD.to_excel(path)
    assert path.read_bytes() == first  # deterministic bytes


def test_csv_is_the_tidy_truth(tmp_path: Path) -> None:
    path = tmp_path / "tidy.csv"
    CARD.to_csv(path)
    back = pd.read_csv(path)
    assert list(back.columns) == list(CARD.to_frame().columns)
    assert back.effect_years.sum() == pytest.approx(CARD.to_frame().effect_years.sum())
