"""The offline HTML report: one self-contained file, readable at any width, printed to A4,
re-weighted live.

Inline CSS, SVG and one small inline script; nothing is fetched from anywhere, so it opens on
a locked-down government network. With scripts off the page is complete: the script only adds
the re-weighting panel (sliders for pillar, domain and future-generation weights, a choice of
precomputed wellbeing discount schedules) and re-ranks the table in place. The same inputs give
the same file byte for byte.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .._version import __version__
from ..io.files import write_text_atomic
from ..model.text import in_language, language_of
from .decision import decision_sections
from .html import PILLAR_LABELS, PILLAR_NAMES
from .i18n import (
    LANGUAGES,
    format_number,
    language_name,
    page_language,
    translator,
    written_in,
)
from .palette import PILLAR_COLOURS, diverging, text_on

if TYPE_CHECKING:
    from collections.abc import Callable

    from matplotlib.figure import Figure

    from ..analysis.results import Scorecard
    from ..model.framework import DiscountSpec, Framework, Source

__all__ = ["Setting", "framework_settings", "render_report", "write_report"]


#: Money columns a scorecard summary may carry (the money view), shown when present:
#: column, label, kind (money in millions, a ratio, or a share).
MONEY_COLUMNS = (
    ("benefit_npv", "Benefit NPV", "money"),
    ("npsv", "Net present social value", "money"),
    ("bcr", "BCR", "ratio"),
)
MONEY_DETAILS = (
    ("monetised_share", "Monetised share", "share"),
    ("judgement_share", "Judgement share", "share"),
)

CSS = """
:root { --ink:#1f2328; --muted:#59636e; --rule:#d0d7de; --accent:#2166ac; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1360px; padding: 24px; line-height: 1.4; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 28px 0 8px;
  border-bottom: 2px solid var(--rule); padding-bottom: 4px; } h3 { font-size: 15px; margin: 0; }
.muted { color: var(--muted); } a { color: var(--accent); overflow-wrap: anywhere; }
.key { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.key div { border: 1px solid var(--rule); border-radius: 6px; padding: 8px 12px; min-width: 150px; }
.key b { font-size: 18px; } .key .k { display: block; }
.figure { margin: 12px 0; } .figure svg { max-width: 100%; height: auto; }
table.ranking { border-collapse: collapse; width: 100%; font-size: 13px; }
table.ranking caption { caption-side: top; text-align: left; padding: 4px 0; color: #333; }
table.ranking th, table.ranking td { border-bottom: 1px solid var(--rule); padding: 5px 6px;
  vertical-align: top; text-align: right; }
table.ranking th { background: #f2f2f2; font-weight: 600; text-align: center; }
table.ranking td.c-proposal { text-align: left; }
table.ranking td.c-proposal .t { color: #444; display: block; }
table.ranking .fig { display: block; } table.ranking .track { display: block; height: 4px;
  background: #eef1f4; margin-top: 3px; } .bar { display: block; height: 4px;
  background: var(--accent); } .bar.neg { background: #b2182b; }
table.ranking details { margin-top: 4px; font-size: 12px; }
table.ranking details table { border-collapse: collapse; margin-top: 4px; }
table.ranking details td, table.ranking details th { padding: 1px 6px; border: 0;
  background: none; text-align: right; font-weight: normal; }
table.ranking details th { text-align: left; }
#reweight { border: 1px solid var(--rule); border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
#reweight fieldset { border: 0; padding: 0; margin: 6px 0; display: flex; flex-wrap: wrap;
  gap: 4px 18px; } #reweight legend { font-weight: 600; padding: 0; }
#reweight label { display: flex; align-items: center; gap: 6px; min-width: 280px;
  font-size: 13px; } #reweight label span { flex: 1; }
#reweight select { max-width: 100%; min-width: 0; } #reweight fieldset { min-width: 0; }
#reweight summary { font-weight: 600; margin: 6px 0; }
#reweight input[type=range] { width: 120px; } #reweight output { width: 48px; text-align: right; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 560px), 1fr));
  gap: 12px; }
.card { border: 1px solid var(--rule); border-radius: 6px; padding: 10px 12px; min-width: 0;
        break-inside: avoid; page-break-inside: avoid; }
.scroll-x { overflow-x: auto; max-width: 100%; }
.card table { border-collapse: collapse; font-size: 11px; width: 100%; margin-top: 6px; }
.card td, .card th { border-bottom: 1px solid #eaeef2; padding: 2px 4px; text-align: left;
  vertical-align: top; } .card td.n { text-align: right; white-space: nowrap; }
.card th { color: var(--muted); font-weight: 600; }
.pill { display: inline-block; border-radius: 9px; padding: 0 7px; font-size: 11px;
        color: #fff; margin-right: 3px; }
.ev-high { background: #1a7f37; } .ev-medium { background: #9a6700; }
.ev-low { background: #cf222e; }
.figures { font-size: 12px; margin-top: 6px; }
ul.money { margin: 4px 0; padding-left: 18px; font-size: 12px; }
table.assumptions { border-collapse: collapse; font-size: 13px; }
table.assumptions th, table.assumptions td { border-bottom: 1px solid var(--rule);
  padding: 4px 8px; text-align: left; vertical-align: top; }
footer { margin-top: 32px; font-size: 11px; color: var(--muted); }
@media (max-width: 760px) {
  body { padding: 12px; }
  table.ranking, table.ranking tbody, table.ranking tr, table.ranking td { display: block;
    width: 100%; }
  table.ranking thead { display: none; }
  table.ranking tr { border: 1px solid var(--rule); border-radius: 6px; margin: 0 0 10px;
    padding: 6px 8px; }
  table.ranking td { border: 0; padding: 2px 0; text-align: right; display: flex;
    justify-content: space-between; gap: 12px; }
  table.ranking td::before { content: attr(data-label); color: var(--muted); text-align: left; }
  table.ranking td.c-proposal, table.ranking td.c-rank { display: block; text-align: left; }
  table.ranking td.c-proposal::before, table.ranking td.c-rank::before { content: none; }
  table.ranking td .fig { min-width: 40%; }
  #reweight label { min-width: 0; width: 100%; } #reweight select { width: 100%; }
  table.assumptions th, table.assumptions td { display: block; border: 0; padding: 2px 0; }
}
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9pt; }
  #reweight { display: none; }
  .cards { display: block; } .card { margin-bottom: 8px; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  .figure { break-inside: avoid; page-break-inside: avoid; }
  .figure svg { max-height: 240mm; }
  a { color: inherit; text-decoration: none; }
  table.ranking { font-size: 7pt; } table.ranking details { display: none; }
  table.ranking tr { break-inside: avoid; page-break-inside: avoid; }
}
"""


# -- settings (shared with `wellbeing-budget show`) ----------------------------------------------


@dataclass(frozen=True)
class Setting:
    """One assumption: a label, its text, and where it comes from."""

    label: str
    text: str
    source: Source | None = None


def _fmt(value: float | None, digits: int = 3, language: str | None = None) -> str:
    """A number for the page (``< 0.001`` escaped)."""
    return escape(format_number(value, digits, language))


def _rates(spec: DiscountSpec) -> str:
    if spec.kind == "none":
        return "no discounting"
    if spec.kind == "constant":
        return f"{spec.rate} a year"
    bands = list(spec.schedule)
    parts = []
    for n, band in enumerate(bands):
        end = f"–{bands[n + 1].from_year - 1}" if n + 1 < len(bands) else " on"
        parts.append(f"{band.rate} in years {band.from_year}{end}")
    return "; ".join(parts)


def _discount_text(
    spec: DiscountSpec, framework_spec: DiscountSpec, word: Callable[[str], str]
) -> str:
    if spec != framework_spec:
        origin = word("set for this scoring")
    elif spec.inherited_from:
        origin = f"{word('inherited from')} {spec.inherited_from}"
    else:
        origin = word("set by this framework")
    name = spec.name or spec.kind
    return f"{name} ({origin}): {_rates(spec)}"


def framework_settings(
    framework: Framework,
    card: Scorecard | None = None,
    language: str | None = None,
) -> list[Setting]:
    """What a framework assumes: currency and price year, population and groups, horizons,
    both discount schedules with where each comes from (this framework, the framework it
    extends, or the scoring), and the value set where the framework has one. With ``card``,
    the schedules and base year actually used."""
    word = translator(language)
    settings = [
        Setting(
            word("Framework"),
            f"{in_language(framework.name, language)} ({framework.id} {framework.version}), "
            f"{framework.jurisdiction}"
            + (f"; extends {' → '.join(framework.based_on)}" if framework.based_on else ""),
            framework.source,
        ),
        Setting(
            word("Currency and prices"), f"{framework.currency}, {framework.price_year} prices"
        ),
    ]
    if framework.population is not None:
        pop = framework.population
        settings.append(
            Setting(
                word("Population"),
                f"{format_number(pop.count, 12, language)} ({pop.year}); a per-person change "
                "counts against the population of the group its indicator describes",
                pop.source,
            )
        )
    else:
        settings.append(Setting(word("Population"), "not given (no per-person changes)"))
    for group in framework.groups:
        settings.append(
            Setting(
                f"{word('Group')} {group.id}",
                f"{in_language(group.name, language)}, "
                f"{format_number(group.population, 12, language)}"
                + (f" ({group.year})" if group.year else ""),
                group.source,
            )
        )
    gens = framework.generations
    base = str(card.base_year) if card is not None else "the earliest year of the proposals"
    settings.append(
        Setting(
            word("Generations"),
            f"base year {base}; current generation: years 0–{gens.current_years - 1}, future "
            f"generations: years {gens.current_years}–{gens.assessment_years - 1}",
            gens.source,
        )
    )
    used = (
        (card.compiled.wellbeing_discount, card.compiled.money_discount)
        if card is not None
        else (framework.discounting.wellbeing, framework.discounting.money)
    )
    for label, spec, own in (
        (word("Wellbeing discounting"), used[0], framework.discounting.wellbeing),
        (word("Money discounting"), used[1], framework.discounting.money),
    ):
        settings.append(Setting(label, _discount_text(spec, own, word), spec.source))
    if framework.values is not None:
        settings.append(
            Setting(
                word("Value set"),
                f"{framework.values.name} ({framework.values.id}): "
                + ", ".join(
                    f"{v.id} {format_number(v.central_amount, 12, language)} {v.currency} "
                    f"({v.price_year} prices)"
                    for v in framework.values.values
                ),
                framework.values.source,
            )
        )
    if framework.deflator is not None:
        settings.append(
            Setting(word("Deflator"), framework.deflator.note or "", framework.deflator.source)
        )
    if framework.public_funds is not None:
        settings.append(
            Setting(
                word("Marginal cost of public funds"),
                f"{framework.public_funds.fraction:.0%} of net public cost, in npsv and bcr",
                framework.public_funds.source,
            )
        )
    return settings


def _source_html(source: Any) -> str:
    if source is None:
        return ""
    if isinstance(source, str):
        return escape(source)
    title = escape(source.title)
    return f'<a href="{escape(source.url)}">{title}</a>' if source.url else title


def _name_html(text: str | None, language: str | None) -> str:
    """A framework name in the language, marked with its own language where that differs from
    the page's (a te reo name in a page of English words, an English name in a Danish page)."""
    shown = escape(in_language(text, language))
    own = language_of(text, language) or "en"  # a plain name is written in English
    if language and own != page_language(language):
        return f'<span lang="{own}">{shown}</span>'
    return shown


def _language_note(card: Scorecard, language: str | None) -> str:
    """Say which of the framework's names the report shows have no name in ``language`` (and
    so are shown as written), and whether the report's own words exist in it: a reader of a
    te reo Māori report must see which names are the framework's te reo and which are not."""
    if not language:
        return ""
    word = translator(language)
    framework = card.framework
    by_id = {i.id: i for i in framework.indicators}
    used = sorted({i.indicator for p in card.proposals for i in p.impacts})
    kinds: list[tuple[str, str, list[str | None]]] = [
        ("Domains", "{n} of {total} domains", [d.name for d in framework.domains]),
        ("Indicators", "{n} of {total} indicators", [by_id[i].name for i in used]),
        (
            "Population groups",
            "{n} of {total} population groups",
            [g.name for g in framework.groups],
        ),
    ]
    counts: list[str] = []
    lists: list[str] = []
    fallbacks: set[str] = set()
    for heading, count, names in kinds:
        missing = [n for n in names if not written_in(n, language)]
        fallbacks.update(language_of(n, language) or "en" for n in missing)
        if missing:
            counts.append(word(count).format(n=len(missing), total=len(names)))
            # a list, not commas: names such as "Work, care and volunteering" hold commas
            items_html = "".join(f"<li>{escape(in_language(n, language))}</li>" for n in missing)
            lists.append(f"<p><b>{word(heading)}:</b></p><ul>{items_html}</ul>")
    if not written_in(framework.name, language):
        fallbacks.add(language_of(framework.name, language) or "en")
        counts.append(word("its own name"))
    parts: list[str] = []
    if counts:
        items = (
            ", ".join(counts[:-1]) + f" {word('and')} " + counts[-1]
            if len(counts) > 1
            else counts[0]
        )
        shown = (
            word("these are shown in {language}").format(
                language=language_name(fallbacks.pop(), language)
            )
            if len(fallbacks) == 1
            else word("these are shown as written")
        )
        sentence = word("the framework gives no {language} name for {items}").format(
            language=f"{language_name(language, language)} ({language})", items=items
        )
        made_up = word("nothing is translated by this library")
        parts.append(f"{sentence[0].upper()}{sentence[1:]}; {shown}; {made_up}.")
    if language not in LANGUAGES:
        parts.append(
            f"The report's own words exist in {' and '.join(language_name(c) for c in LANGUAGES)}"
            f" only, so they are shown in {language_name(page_language(language))}."
        )
    if not parts:
        return ""
    details = (
        f"<details><summary>{word('Names shown as written')}</summary>{''.join(lists)}</details>"
        if lists
        else ""
    )
    return (
        f'<div class="muted" id="language-note"><p><b>{word("Language")}:</b> '
        f"{' '.join(parts)}</p>{details}</div>"
    )


# -- figures -------------------------------------------------------------------------------------


def _svg(fig: Figure) -> str:
    import matplotlib

    buffer = io.StringIO()
    # A fixed salt and no date keep the SVG identical from run to run; text is drawn as paths
    # so no font is needed where the report is opened.
    with matplotlib.rc_context({"svg.hashsalt": "wellbeing-budget", "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _figures(card: Scorecard, language: str | None) -> list[tuple[str, str]]:
    from matplotlib.figure import Figure

    from .plots import ScorecardPlots

    plots = ScorecardPlots(card, top=30, language=language)
    out = []
    n = min(len(card), 30)

    fig = Figure(figsize=(11, 0.34 * n + 1.8), layout="constrained")
    plots.pillars(fig=fig)
    out.append(("Effects by pillar", _svg(fig)))

    fig = Figure(figsize=(8, 6), layout="constrained")
    plots.generations(ax=fig.subplots())
    out.append(("Now and later", _svg(fig)))

    fig = Figure(figsize=(9, 5.5), layout="constrained")
    plots.frontier(ax=fig.subplots())
    out.append(("Value for money", _svg(fig)))

    domains = len(card.framework.domains)
    fig = Figure(figsize=(max(7.0, 0.5 * domains + 4), 0.3 * n + 3.5), layout="constrained")
    plots.heatmap(ax=fig.subplots())
    out.append(("Effects by domain", _svg(fig)))

    groups = len(card.compiled.groups)
    fig = Figure(figsize=(8, 0.35 * groups + 2), layout="constrained")
    plots.groups(ax=fig.subplots())
    out.append(("Effects by population group", _svg(fig)))
    return out


# -- the ranking ---------------------------------------------------------------------------------


def _plural(count: int, one: str, many: str, word: Callable[[str], str]) -> str:
    return f"{count} {word(one) if count == 1 else word(many)}"


def _money_columns(summary: Any) -> list[tuple[str, str, str]]:
    # Shown only when something is priced: a framework without values would otherwise fill
    # the ranking with zeros and blanks that read as "worth nothing".
    if "monetised_share" in summary.columns and not (summary["monetised_share"] > 0).any():
        return []
    return [column for column in MONEY_COLUMNS if column[0] in summary.columns]


def _money_value(row: Any, column: str, kind: str, language: str | None) -> str:
    value = float(row[column])
    if kind == "money":
        text = _fmt(value / 1e6, 3, language)
        low, high = f"{column}_low", f"{column}_high"
        if low in row.index and high in row.index:
            text += (
                f' <span class="muted">({_fmt(float(row[low]) / 1e6, 3, language)}–'
                f"{_fmt(float(row[high]) / 1e6, 3, language)})</span>"
            )
        return text
    if kind == "share":
        return f"{_fmt(100 * value, 3, language)} %"
    return _fmt(value, 3, language)


def _ranking(card: Scorecard, language: str | None) -> str:
    word = translator(language)
    summary = card.summary(sort_by="current_total")
    currency = card.currency
    money = _money_columns(summary)
    details = [column for column in MONEY_DETAILS if column[0] in summary.columns]
    limit = float(
        np.abs(summary[["current_total", "future_total"]].to_numpy(dtype=float)).max(initial=0.0)
    )
    pillar_limit = float(
        np.abs(
            summary[[f"{g}_{p}" for g in ("current", "future") for p in PILLAR_NAMES]].to_numpy(
                dtype=float
            )
        ).max(initial=0.0)
    )
    ey = word("effect-years")
    heads = [
        ("#", "c-rank"),
        (word("Proposal"), "c-proposal"),
        (f"{word('Current generation')} ({ey})", "c-current"),
        (f"{word('Future generations')} ({ey})", "c-future"),
        (f"{word('Net cost NPV')} ({word('m')} {currency})", "c-net"),
    ]
    for _column, label, kind in money:
        unit = f" ({word('m')} {currency})" if kind == "money" else ""
        heads.append((f"{word(label)}{unit}", "c-money"))
    heads += [
        (f"{word('EY per m')} {currency}", "c-vfm"),
        (word("Breadth"), "c-breadth"),
    ]

    def figure(value: float, css: str, label: str) -> str:
        share = abs(value) / limit if limit > 0 else 0.0
        negative = " neg" if value < 0 else ""
        return (
            f'<td class="{css}" data-label="{escape(label)}"><span class="fig">'
            f'<span class="v">{_fmt(value, 3, language)}</span><span class="track">'
            f'<span class="bar{negative}" style="width:{100 * share:.1f}%"></span></span>'
            "</span></td>"
        )

    rows = []
    for rank, (proposal_id, row) in enumerate(summary.iterrows(), start=1):
        pillar_rows = "".join(
            f"<tr><th>{word(PILLAR_LABELS[p])}</th>"
            + "".join(
                f'<td data-pillar="{k}" style="background:'
                f"{diverging(float(row[f'{g}_{p}']), pillar_limit)};color:"
                f'{text_on(diverging(float(row[f"{g}_{p}"]), pillar_limit))}">'
                f"{_fmt(float(row[f'{g}_{p}']), 3, language)}</td>"
                for g in ("current", "future")
            )
            + "</tr>"
            for k, p in enumerate(PILLAR_NAMES)
        )
        extra = "".join(
            f"<tr><th>{word(label)}</th><td colspan=2>"
            f"{_money_value(row, column, kind, language)}</td></tr>"
            for column, label, kind in details
        )
        fold = (
            f"<details><summary>{word('by pillar')}</summary><table><thead><tr><th></th>"
            f"<th>{word('current')}</th><th>{word('future')}</th></tr></thead>"
            f"<tbody>{pillar_rows}{extra}</tbody></table></details>"
        )
        title = escape(str(row["title"]))
        net = float(row["net_cost_npv"])
        vfm = _fmt(float(row["ce_current"]), 3, language) if net > 0 else word("pays for itself")
        cells = [
            f'<td class="c-rank">{rank}</td>',
            f'<td class="c-proposal"><b>{escape(str(proposal_id))}</b>'
            f'<span class="t">{title}</span>{fold}</td>',
            figure(float(row["current_total"]), "c-current", heads[2][0]),
            figure(float(row["future_total"]), "c-future", heads[3][0]),
            f'<td class="c-net" data-label="{escape(heads[4][0])}">'
            f"{_fmt(net / 1e6, 3, language)}</td>",
        ]
        for n, (column, _label, kind) in enumerate(money):
            cells.append(
                f'<td class="c-money" data-label="{escape(heads[5 + n][0])}">'
                f"{_money_value(row, column, kind, language)}</td>"
            )
        breadth = (
            f"{_plural(int(row['n_agencies']), 'agency', 'agencies', word)} · "
            f"{_plural(int(row['n_pillars']), 'pillar', 'pillars', word)} · "
            f"{_plural(int(row['n_domains']), 'domain', 'domains', word)}"
        )
        cells += [
            f'<td class="c-vfm" data-label="{escape(heads[-2][0])}">{vfm}</td>',
            f'<td class="c-breadth" data-label="{escape(heads[-1][0])}">{breadth}</td>',
        ]
        rows.append(f'<tr data-id="{escape(str(proposal_id))}">' + "".join(cells) + "</tr>")
    caption = (
        f"{len(summary)} {word('Proposals').lower()}; {word('Ranked by')}: "
        f'<span id="ranked-by">{word("current")}</span>. '
        f"{word('Current generation')}: {card.compiled.current_years} years; "
        f"{word('Future generations')}: {card.compiled.assessment_years} years; "
        f"{word('money in')} {currency}, {word('Base year').lower()} {card.base_year}."
    )
    header = "".join(f'<th class="{css}" scope="col">{escape(h)}</th>' for h, css in heads)
    return (
        f'<table class="ranking"><caption>{caption}</caption><thead><tr>{header}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


# -- live re-weighting ---------------------------------------------------------------------------


def _data(card: Scorecard, language: str | None) -> tuple[dict[str, Any], list[str]]:
    word = translator(language)
    framework = card.framework
    pillar_index = {p: k for k, p in enumerate(PILLAR_NAMES)}
    schedules = []
    labels = []
    for key, spec, scored in card.wellbeing_discount_variants():
        label = spec.name or key
        table = scored.domain_effects()
        schedules.append(
            {
                "id": key,
                "current": table["current"].to_numpy(dtype=float).tolist(),
                "future": table["future"].to_numpy(dtype=float).tolist(),
            }
        )
        own = word("the framework's own")
        labels.append(label if key != "scored" else f"{label} ({own})")
    summary = card.summary()
    data = {
        "schema": "wellbeing-budget/dashboard/1",
        "language": language or "en",
        "pillars": [{"id": p} for p in PILLAR_NAMES],
        "domains": [
            {
                "id": d.id,
                "pillar": pillar_index[d.pillar.value],
                "weight": d.weight,
            }
            for d in framework.domains
        ],
        "proposals": [
            {"id": ident, "net": float(net)}
            for ident, net in zip(card.proposals.ids, summary["net_cost_npv"], strict=True)
        ],
        "schedules": schedules,
        "words": {
            "current": word("current"),
            "combined": f"{word('current')} + {{f}} × {word('future')}",
        },
    }
    return data, labels


def _slider(kind: str, index: int, label: str, value: float, top: float) -> str:
    step = 0.05
    return (
        f"<label><span>{label}</span><input type=range min=0 max={top:g} step={step} "
        f'value="{value:g}" data-kind="{kind}" data-index="{index}"><output>{value:g}</output>'
        "</label>"
    )


def _controls(card: Scorecard, labels: list[str], language: str | None) -> str:
    word = translator(language)
    framework = card.framework
    pillars = "".join(
        _slider("p", k, word(PILLAR_LABELS[p]), 1.0, 3.0) for k, p in enumerate(PILLAR_NAMES)
    )
    domains = "".join(
        _slider(
            "d",
            j,
            f"{_name_html(d.short_name or d.name, language)} "
            f'<span class="muted">({word(PILLAR_LABELS[d.pillar.value])})</span>',
            d.weight,
            max(3.0, 3 * d.weight),
        )
        for j, d in enumerate(framework.domains)
    )
    options = "".join(
        f'<option value="{n}">{escape(label)}</option>' for n, label in enumerate(labels)
    )
    return (
        f'<section id="reweight" hidden><h3>{word("Re-weight")}</h3>'
        f"<fieldset><legend>{word('Future-generation weight')}</legend>"
        + _slider("f", 0, f"{word('current')} + w × {word('future')}", 0.0, 1.0)
        + f"</fieldset><fieldset><legend>{word('Wellbeing discounting')}</legend>"
        f'<label><select data-kind="s">{options}</select></label></fieldset>'
        f"<fieldset><legend>{word('Pillar weights')}</legend>{pillars}</fieldset>"
        f"<details><summary>{word('Domain weights')}</summary><fieldset>{domains}</fieldset>"
        "</details>"
        '<button type="button" id="reweight-reset">'
        + word("Reset to the framework's weights")
        + "</button></section>"
    )


def _script(data: dict[str, Any]) -> str:
    # "</" cannot close the script element from inside the JSON.
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    code = resources.files("wellbeing_budget.views").joinpath("dashboard.js").read_text("utf-8")
    return (
        f'<script type="application/json" id="wb-data">{payload}</script>\n<script>{code}</script>'
    )


# -- proposal cards ------------------------------------------------------------------------------


def _cards(card: Scorecard, language: str | None) -> str:
    word = translator(language)
    c, r = card.compiled, card.result
    by_id = {i.id: i for i in card.framework.indicators}
    weighted_now = r.current * r.weight
    weighted_later = r.future * r.weight
    order = np.argsort(c.impact_proposal, kind="stable")
    bounds = np.searchsorted(c.impact_proposal[order], np.arange(len(card) + 1))
    summary = card.summary()
    currency = card.currency
    ey = word("effect-years")
    m = f"{word('m')} {currency}"

    def number(value: float, digits: int = 3) -> str:
        return _fmt(value, digits, language)

    parts = []
    for p, proposal in enumerate(card.proposals):
        rows = order[bounds[p] : bounds[p + 1]]
        row = summary.iloc[p]
        impacts = []
        for k in rows:
            impact = proposal.impacts[int(c.impact_index[k])]
            indicator = by_id[impact.indicator]
            change = impact.change if impact.change is not None else impact.relative_change
            relative = "" if impact.change is not None else " (relative)"
            people = f"{number(impact.people_count, 4)}" if impact.people_count is not None else "–"
            timing = impact.timing
            impacts.append(
                f"<tr><td>{_name_html(indicator.name, language)} "
                f"{indicator.direction.symbol}</td>"
                f"<td>{escape(str(change))}{relative}</td><td class=n>{people}</td>"
                f"<td>{escape(impact.group)}</td>"
                f"<td>{timing.start}, {escape(str(timing.duration))}"
                f"{', ramp ' + escape(str(timing.ramp_up)) if timing.ramp_up_years else ''}"
                f"{f', persists {timing.persistence:g}' if timing.persistence else ''}</td>"
                f'<td><span class="pill ev-{impact.evidence}">{impact.evidence}</span></td>'
                f"<td class=n>{number(float(c.impact_effect[k]))}</td>"
                f"<td class=n>{number(float(weighted_now[k]))}</td>"
                f"<td class=n>{number(float(weighted_later[k]))}</td></tr>"
            )
        money = []
        for line in proposal.costs:
            note = f" — {escape(line.note)}" if line.note else ""
            money.append(f"<li>{word('cost')} {line.year}: {escape(str(line.amount))}{note}</li>")
        for line in proposal.fiscal_effects:
            note = f" — {escape(line.note)}" if line.note else ""
            money.append(
                f"<li>{word(line.kind)} {line.year}: {escape(str(line.amount))}{note}</li>"
            )
        partners = ", ".join(escape(a) for a in proposal.partner_agencies) or word("none")
        none = f"<li>{word('none')}</li>"
        groups = ", ".join(escape(g) for g in proposal.groups) or "–"
        priorities = ", ".join(escape(g) for g in proposal.priorities)
        breadth = (
            f"{_plural(int(row.n_agencies), 'agency', 'agencies', word)}, "
            f"{_plural(int(row.n_pillars), 'pillar', 'pillars', word)}, "
            f"{_plural(int(row.n_domains), 'domain', 'domains', word)}"
        )
        parts.append(
            f'<section class="card" id="proposal-{escape(proposal.id)}">'
            f"<h3>{escape(proposal.title)}</h3>"
            f'<div class="muted">{escape(proposal.id)} · {word("lead")}: '
            f"{escape(proposal.lead_agency)} · {word('partners')}: {partners} · "
            f"{word('groups')}: {groups}"
            + (f" · {word('priorities')}: {priorities}" if priorities else "")
            + "</div>"
            + (f"<p>{escape(proposal.description)}</p>" if proposal.description else "")
            + f'<div class="figures">{word("Effect-years")}: {word("current")} '
            f"<b>{number(float(row.current_total))} {ey}</b>, {word('future')} "
            f"<b>{number(float(row.future_total))} {ey}</b> · {word('Net cost NPV')} "
            f"<b>{number(float(row.net_cost_npv) / 1e6)} {m}</b> ({word('costs')} "
            f"{number(float(row.cost_npv) / 1e6)} {m}, {word('fiscal effects')} "
            f"{number(float(row.fiscal_npv) / 1e6)} {m}) · {word('Breadth')}: {breadth}</div>"
            f'<div class="muted figures">{word("Money")}:</div>'
            + f'<ul class="money">{"".join(money) or none}</ul>'
            f'<div class="scroll-x"><table><thead><tr><th>{word("Indicator")}</th>'
            f"<th>{word('Change')}</th><th>{word('People reached')}</th>"
            f"<th>{word('Group')}</th><th>{word('Timing')}</th><th>{word('Evidence')}</th>"
            f"<th>{word('Std. effect / yr')}</th><th>{word('EY now')} ({ey})</th>"
            f"<th>{word('EY later')} ({ey})</th></tr></thead>"
            f"<tbody>{''.join(impacts)}</tbody></table></div>"
            + (
                f'<div class="muted figures">{word("Source")}: '
                f"{_source_html(proposal.source)}</div>"
                if proposal.source
                else ""
            )
            + "</section>"
        )
    return "".join(parts)


def _assumptions(card: Scorecard, language: str | None) -> str:
    word = translator(language)
    rows = [
        (
            escape(s.label),
            escape(s.text) + (f". {_source_html(s.source)}" if s.source is not None else ""),
        )
        for s in framework_settings(card.framework, card, language)
    ]
    rows.append(
        (
            word("Future weight"),
            "generations are shown apart and never added up; the re-weighting panel ranks by "
            "current + w × future"
            if card.future_weight is None
            else f"combined = current + {_fmt(card.future_weight)} × future",
        )
    )
    rows.append(
        (
            word("Effect-years"),
            "a change of one standard effect (the indicator's scale) lasting one year, "
            "discounted; scales and their basis are in the framework. Magnitudes below 0.001 "
            "are shown as < 0.001",
        )
    )
    rows.append(
        (
            word("Figures"),
            "the domain heatmap colours on a symmetric logarithmic scale (linear within the "
            "smallest tenth of a per cent of the largest effect), so small effects show",
        )
    )
    body = "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in rows)
    return f'<table class="assumptions">{body}</table>'


def render_report(card: Scorecard, title: str | None = None, language: str | None = None) -> str:
    """The report as one HTML string; ``language`` as in :meth:`Scorecard.to_html`."""
    word = translator(language)
    framework = card.framework
    summary = card.summary()
    framework_name = _name_html(framework.name, language)
    heading = title or card.proposals.title
    heading_html = (
        escape(heading) if heading else f"{word('Wellbeing scorecard')} — {framework_name}"
    )
    heading_text = heading or (
        f"{word('Wellbeing scorecard')} — {in_language(framework.name, language)}"
    )
    note = card.proposals.note
    ey = word("effect-years")
    agencies = len({a for agencies in card.proposals.agencies for a in agencies})
    key = [
        (word("Proposals"), f"<b>{len(card)}</b>"),
        (
            word("Current generation"),
            f'<b id="key-current">{_fmt(float(summary.current_total.sum()), 3, language)}</b> {ey}',
        ),
        (
            word("Future generations"),
            f'<b id="key-future">{_fmt(float(summary.future_total.sum()), 3, language)}</b> {ey}',
        ),
        (
            word("Net cost NPV"),
            f"<b>{_fmt(float(summary.net_cost_npv.sum()) / 1e6, 3, language)}</b> "
            f"{word('m')} {card.currency}",
        ),
        (word("Agencies involved"), f"<b>{agencies}</b>"),
    ]
    legend = " ".join(
        f'<span class="pill" style="background:{PILLAR_COLOURS[p]}">{word(PILLAR_LABELS[p])}</span>'
        for p in PILLAR_NAMES
    )
    figures = "".join(
        f'<div class="figure"><h3>{escape(name)}</h3>{svg}</div>'
        for name, svg in _figures(card, language)
    )
    data, labels = _data(card, language)
    key_html = "".join(f'<div><span class="k">{k}</span>{v}</div>' for k, v in key)
    html = f"""<!DOCTYPE html>
<html lang="{escape(page_language(language))}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(heading_text)}</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>{heading_html}</h1>
<div class="muted">{word("Framework")}: <b>{framework_name}</b> ({escape(framework.id)},
{word("version")} {escape(framework.version)}, {escape(framework.jurisdiction)}) —
{word("source")}: {_source_html(framework.source)}. {word("Base year")} {card.base_year};
{word("money in")} {card.currency}.</div>
{f'<p class="muted"><b>{word("Note")}:</b> {escape(note)}</p>' if note else ""}
{_language_note(card, language)}
</header>
<section class="key">{key_html}</section>
<h2>{word("Ranking")}</h2>
<p class="muted">{word("Pillars")}: {legend}. Bars show each figure against the largest; the
two generations are shown apart, never added up unless you give the future a weight below.</p>
{_controls(card, labels, language)}
{_ranking(card, language)}
<h2>{word("Figures")}</h2>
{figures}
<h2>{word("Proposals")}</h2>
<div class="cards">{_cards(card, language)}</div>
{decision_sections(card)}
<h2>{word("Assumptions")}</h2>
{_assumptions(card, language)}
<footer>Written by wellbeing-budget {__version__}. Effect-years are standard effects × years,
discounted; see each proposal's sources. Figures marked illustrative in the inputs are
illustrative here too.</footer>
{_script(data)}
</body>
</html>
"""
    return html


def write_report(
    card: Scorecard,
    path: str | os.PathLike[str],
    title: str | None = None,
    language: str | None = None,
) -> Path:
    """Render the report and write it atomically; returns the path written."""
    return write_text_atomic(path, render_report(card, title, language))
