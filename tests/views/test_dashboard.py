"""The dashboard: notebook tables, plots, the HTML report, exports."""

from __future__ import annotations

import io
import json
import re
import tempfile
from html import unescape
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# -- readable at any width, in three languages ---------------------------------------------------


def visible_text(html: str) -> str:
    """What a reader sees without scripts: no script, style or SVG paths, no tags."""
    text = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", text)


def test_no_scientific_notation_and_tiny_values_said_so() -> None:
    text = visible_text(CARD.to_html())
    assert re.findall(r"\d(?:\.\d+)?e[-+]?\d", text) == []
    assert "&lt; 0.001" in text
    # the plots' tick labels are drawn as paths; their formatter is ours too
    assert (CARD.summary().future_total.abs() < 1e-3).any()


def test_cost_notes_and_singular_counts_are_shown() -> None:
    html = CARD.to_html()
    assert "cost 2019: 134 million NZD — capital" in html
    assert "1 agency" in html and "1 agencies" not in html
    assert "1 pillar ·" in html and "1 pillars" not in html


def test_assumptions_say_where_each_schedule_comes_from() -> None:
    html = CARD.to_html()
    # the NZ Budget framework sets its money schedule and takes the LSF's wellbeing one
    assert html.count("inherited from nz-lsf-2021") == 1
    assert "(set by this framework)" in html
    # a framework extending default takes both of its schedules: the report says so
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "inherits.yaml"
        path.write_text("extends: default\nid: inherits\nname: Inherits\n", encoding="utf-8")
        inherits = wb.load_framework(path)
    bid = wb.Proposal.model_validate(
        {
            "id": "b",
            "title": "B",
            "lead_agency": "A",
            "costs": [{"year": 2016, "amount": "1 million USD"}],
            "impacts": [
                {
                    "indicator": "oecd.bli.life-satisfaction",
                    "change": "0.1 point",
                    "evidence": "low",
                    "timing": {"start": 2016, "duration": "2 years"},
                }
            ],
        }
    )
    assert wb.score(inherits, [bid]).to_html().count("inherited from default") == 2
    again = wb.score(FRAMEWORK, CARD.proposals, wellbeing_discount="none")
    assert "no discounting (set for this scoring)" in again.to_html()


def test_frontier_speaks_the_framework_currency_and_keeps_whole_names() -> None:
    dk = wb.load_framework(ROOT / "examples" / "dk-trivsel" / "framework.yaml")
    card = wb.score(dk, wb.load_proposals(ROOT / "examples" / "dk-trivsel" / "proposals.yaml"))
    ax = card.plot.frontier()
    assert "DKK" in ax.get_title() and "dollar" not in ax.get_title()
    shown = {t.get_text().replace("\n", "") for t in ax.texts}
    assert "godt-igennem-uddannelse" in shown  # 23 characters, never cut to 20
    import matplotlib.pyplot as plt

    plt.close(ax.figure)


def test_labels_of_points_at_the_same_place_do_not_overlap() -> None:
    ax = CARD.plot.generations()
    ax.figure.canvas.draw()
    from matplotlib.text import Text

    # the text itself (an annotation's own extent includes its leader line)
    boxes = [Text.get_window_extent(t) for t in ax.texts]
    assert len(boxes) == len(CARD)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)
    assert ax.get_xlim() == ax.get_ylim()  # one scale for both generations
    import matplotlib.pyplot as plt

    plt.close(ax.figure)


def test_heatmap_uses_a_symmetric_log_scale() -> None:
    from matplotlib.colors import SymLogNorm

    ax = CARD.plot.heatmap()
    image = ax.images[0]
    assert isinstance(image.norm, SymLogNorm)
    values = image.get_array()
    small = values[(values != 0) & (abs(values) < abs(values).max() / 100)]
    assert small.size  # the example has effects a linear scale would grey out ...
    # ... and on this scale they sit fifty times further from white than on a linear one
    limit = abs(values).max()
    assert (abs(image.norm(small) - 0.5) > 50 * abs(small) / limit / 2).all()
    import matplotlib.pyplot as plt

    plt.close(ax.figure)


class MoneyScorecard(wb.Scorecard):
    """A scorecard whose summary carries the money view's columns."""

    def summary(self, sort_by: str | None = None) -> pd.DataFrame:
        frame = super().summary(sort_by)
        frame["benefit_npv"] = frame["net_cost_npv"] * 1.5
        frame["benefit_npv_low"] = frame["net_cost_npv"] * 1.2
        frame["benefit_npv_high"] = frame["net_cost_npv"] * 2.0
        frame["bcr"] = 1.5
        frame["monetised_share"] = 0.25
        return frame


def test_money_columns_show_when_the_summary_has_them() -> None:
    plain = CARD.to_html()
    assert "Benefit NPV" not in plain and "BCR" not in plain
    card = MoneyScorecard(CARD.compiled, CARD.result)
    html = card.to_html()
    assert "Benefit NPV (m NZD)" in html and ">BCR<" in html
    row = CARD.summary().loc["kiwirail"]
    benefit = row.net_cost_npv * 1.5 / 1e6
    from wellbeing_budget.views.i18n import format_number

    assert f'>{format_number(benefit)} <span class="muted">(' in html
    assert "Monetised share" in html and "25 %" in html


def test_danish_report_names_domains_and_words_in_danish() -> None:
    dk = wb.load_framework(ROOT / "examples" / "dk-trivsel" / "framework.yaml")
    card = wb.score(dk, wb.load_proposals(ROOT / "examples" / "dk-trivsel" / "proposals.yaml"))
    html = card.to_html(language="da")
    assert '<html lang="da">' in html
    for name in ("Mental trivsel", "Arbejde og selvforsørgelse", "Offentlige finanser"):
        assert name in html
    assert "Trivsel i kommunen (illustrativ dansk kommune)" in html
    assert "Nettoomkostning (nutidsværdi)" in html and "Rangordning" in html
    english = card.to_html()
    assert "Mental trivsel" not in english and "Mental wellbeing" in english


def test_a_language_the_framework_lacks_falls_back_marked(tmp_path: Path) -> None:
    # A made-up label, to test the mechanism; it is no translation and ships nowhere.
    path = tmp_path / "framework.yaml"
    path.write_text(
        "extends: nz-wellbeing-budget-2019\nid: test-mi\ndomains:\n"
        "  - id: health\n    name: {en: Health, mi: TEST-LABEL-health}\n",
        encoding="utf-8",
    )
    framework = wb.load_framework(path)
    card = wb.score(framework, CARD.proposals)
    html = card.to_html(language="mi")
    assert "TEST-LABEL-health" in html
    # no te reo name given: the name as written, nothing invented
    assert "Housing" in html
    english = card.to_html(language="en")
    assert "TEST-LABEL-health" not in visible_text(english)


# -- languages without the report's words: te reo Maori -------------------------------------------

DOMAIN_SLIDER = re.compile(
    r'<label><span>(?P<name>[^<]*|<span lang="[a-z]+">[^<]*</span>) '
    r'<span class="muted">\([^)]*\)</span></span>'
    r'<input[^>]*data-kind="d" data-index="(?P<index>\d+)"'
)


def domain_labels(html: str) -> list[tuple[str, str | None]]:
    """The re-weighting panel's domain names in framework order, each with the language it is
    marked in (None: the page's own)."""
    labels = []
    for match in DOMAIN_SLIDER.finditer(html):
        name = match["name"]
        marked = re.fullmatch(r'<span lang="([a-z]+)">(.*)</span>', name)
        labels.append((marked[2], marked[1]) if marked else (name, None))
    return labels


def language_note(html: str) -> dict[str, list[str]]:
    """The report's language note: its sentence, and the names it lists under each heading."""
    match = re.search(r'<div class="muted" id="language-note">(.*?)</div>', html, re.S)
    assert match, "no language note"
    note = match[1]
    lists = {
        heading: [unescape(n) for n in re.findall(r"<li>([^<]*)</li>", items)]
        for heading, items in re.findall(r"<p><b>([^<]+):</b></p><ul>(.*?)</ul>", note)
    }
    lists["sentence"] = [re.sub(r"<[^>]+>", "", note.split("<details>")[0])]
    return lists


def test_te_reo_report_of_the_nz_example_shows_english_names_and_says_so(
    tmp_path: Path,
) -> None:
    from wellbeing_budget.cli import main

    report = tmp_path / "purongo.html"
    args = ["dashboard", str(EXAMPLE), "--framework", "nz-wellbeing-budget-2019"]
    assert main([*args, "--language", "mi", "-o", str(report)], out=io.StringIO()) == 0
    html = report.read_text(encoding="utf-8")
    english = [str(d.name) for d in FRAMEWORK.domains]
    # The Treasury publishes no te reo names for these domains that we could find, so the
    # framework has none: every domain is its English name, unmarked in an English page
    assert domain_labels(html) == [(name, None) for name in english]
    assert '<html lang="en">' in html and 'lang="mi"' not in html
    note = language_note(html)
    assert note["Domains"] == english
    groups = [str(g.name) for g in FRAMEWORK.groups]
    assert note["Population groups"] == groups
    sentence = note["sentence"][0]
    assert f"no te reo Māori (mi) name for {len(english)} of {len(english)} domains" in sentence
    assert "these are shown in English" in sentence
    assert "The report's own words exist in English and Danish only" in sentence
    # without a language, or in English, nothing needs saying
    assert "language-note" not in CARD.to_html()
    assert "language-note" not in CARD.to_html(language="en")


@settings(max_examples=5, deadline=None)
@given(st.sets(st.sampled_from([d.id for d in FRAMEWORK.domains]), max_size=5))
def test_names_given_in_te_reo_are_shown_and_only_the_others_are_listed(
    translated: set[str],
) -> None:
    # Made-up labels, to test the mechanism; they are no translations and ship nowhere.
    lines = "".join(
        f"  - id: {d}\n    name: {{en: {json.dumps(str(FRAMEWORK.domain(d).name))}, "
        f"mi: TEST-LABEL-{d}}}\n"
        for d in sorted(translated)
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "framework.yaml"
        path.write_text(
            "extends: nz-wellbeing-budget-2019\nid: test-mi\n"
            + (f"domains:\n{lines}" if lines else ""),
            encoding="utf-8",
        )
        framework = wb.load_framework(path)
    html = wb.score(framework, CARD.proposals).to_html(language="mi")
    expected = [
        (f"TEST-LABEL-{d.id}", "mi") if d.id in translated else (str(d.name), None)
        for d in FRAMEWORK.domains
    ]
    assert domain_labels(html) == expected
    rest = [str(d.name) for d in FRAMEWORK.domains if d.id not in translated]
    note = language_note(html)
    assert note["Domains"] == rest
    total = len(FRAMEWORK.domains)
    assert f"{len(rest)} of {total} domains" in note["sentence"][0]


def test_danish_report_lists_the_names_it_shows_in_english() -> None:
    dk = wb.load_framework(ROOT / "examples" / "dk-trivsel" / "framework.yaml")
    card = wb.score(dk, wb.load_proposals(ROOT / "examples" / "dk-trivsel" / "proposals.yaml"))
    html = card.to_html(language="da")
    note = language_note(html)
    # the example names its domains in Danish, but not its population groups
    assert "Domæner" not in note
    assert note["Befolkningsgrupper"] == [str(g.name) for g in dk.groups]
    assert "de vises på engelsk" in note["sentence"][0]
    # an English name in a Danish page is marked as English, a Danish one is not marked
    assert '<span lang="en">Life satisfaction (mean rating, 0-10)</span>' in html
    assert '<span lang="en">Mental trivsel' not in html and "Mental trivsel" in html
    assert "only, so they are shown in" not in html  # the report's words exist in Danish
