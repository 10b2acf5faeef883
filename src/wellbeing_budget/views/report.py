"""The offline HTML report: one self-contained file, readable on screen and printed to A4.

Inline CSS and SVG only: no script, no font, image or style sheet fetched from anywhere, so it
opens on a locked-down government network. The same inputs give the same file byte for byte.
"""

from __future__ import annotations

import io
import os
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .._version import __version__
from ..io.files import write_text_atomic
from .html import PILLAR_LABELS, PILLAR_NAMES, _number, scorecard_html
from .palette import PILLAR_COLOURS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..analysis.results import Scorecard

__all__ = ["render_report", "write_report"]

CSS = """
:root { --ink:#1f2328; --muted:#59636e; --rule:#d0d7de; --accent:#2166ac; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1200px; padding: 24px; line-height: 1.4; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 28px 0 8px;
  border-bottom: 2px solid var(--rule); padding-bottom: 4px; } h3 { font-size: 15px; margin: 0; }
.muted { color: var(--muted); } a { color: var(--accent); }
.key { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.key div { border: 1px solid var(--rule); border-radius: 6px; padding: 8px 12px; min-width: 150px; }
.key b { display: block; font-size: 18px; }
.figure { margin: 12px 0; } .figure svg { max-width: 100%; height: auto; }
.scroll { overflow-x: auto; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--rule); border-radius: 6px; padding: 10px 12px;
        break-inside: avoid; page-break-inside: avoid; }
.card table { border-collapse: collapse; font-size: 11px; width: 100%; margin-top: 6px; }
.card td, .card th { border-bottom: 1px solid #eaeef2; padding: 2px 4px; text-align: left; }
.card th { color: var(--muted); font-weight: 600; }
.pill { display: inline-block; border-radius: 9px; padding: 0 7px; font-size: 11px;
        color: #fff; margin-right: 3px; }
.ev-high { background: #1a7f37; } .ev-medium { background: #9a6700; }
.ev-low { background: #cf222e; }
.figures { font-size: 12px; margin-top: 6px; }
table.assumptions { border-collapse: collapse; font-size: 13px; }
table.assumptions th, table.assumptions td { border-bottom: 1px solid var(--rule);
  padding: 4px 8px; text-align: left; vertical-align: top; }
footer { margin-top: 32px; font-size: 11px; color: var(--muted); }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9pt; }
  .cards { display: block; } .card { margin-bottom: 8px; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  .figure { break-inside: avoid; page-break-inside: avoid; }
  .figure svg { max-height: 240mm; }
  a { color: inherit; text-decoration: none; }
  .scroll { overflow: visible; }
  table.scorecard { width: 100%; }
  table.scorecard td, table.scorecard th { font-size: 6pt !important;
    padding: 1px 2px !important; white-space: normal !important; }
  table.scorecard caption { font-size: 7pt; }
}
"""


def _svg(fig: Figure) -> str:
    import matplotlib

    buffer = io.StringIO()
    # A fixed salt and no date keep the SVG identical from run to run; text is drawn as paths
    # so no font is needed where the report is opened.
    with matplotlib.rc_context({"svg.hashsalt": "wellbeing-budget", "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _figures(card: Scorecard) -> list[tuple[str, str]]:
    from matplotlib.figure import Figure

    from .plots import ScorecardPlots

    plots = ScorecardPlots(card, top=30)
    out = []
    n = min(len(card), 30)

    fig = Figure(figsize=(11, 0.3 * n + 1.8), layout="constrained")
    plots.pillars(fig=fig)
    out.append(("Effects by pillar", _svg(fig)))

    fig = Figure(figsize=(7.5, 5.5), layout="constrained")
    plots.generations(ax=fig.subplots())
    out.append(("Now and later", _svg(fig)))

    fig = Figure(figsize=(8, 5), layout="constrained")
    plots.frontier(ax=fig.subplots())
    out.append(("Value for money", _svg(fig)))

    domains = len(card.framework.domains)
    fig = Figure(figsize=(max(6.0, 0.45 * domains + 3), 0.28 * n + 2.8), layout="constrained")
    plots.heatmap(ax=fig.subplots())
    out.append(("Effects by domain", _svg(fig)))

    groups = len(card.compiled.groups)
    fig = Figure(figsize=(8, 0.35 * groups + 2), layout="constrained")
    plots.groups(ax=fig.subplots())
    out.append(("Effects by population group", _svg(fig)))
    return out


def _source_text(source: Any) -> str:
    if source is None:
        return ""
    if isinstance(source, str):
        return escape(source)
    title = escape(source.title)
    return f'<a href="{escape(source.url)}">{title}</a>' if source.url else title


def _cards(card: Scorecard) -> str:
    c, r = card.compiled, card.result
    by_id = {i.id: i for i in card.framework.indicators}
    weighted_now = r.current * r.weight
    weighted_later = r.future * r.weight
    order = np.argsort(c.impact_proposal, kind="stable")
    bounds = np.searchsorted(c.impact_proposal[order], np.arange(len(card) + 1))
    summary = card.summary()
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
            people = f"{impact.people_count:,.0f}" if impact.people_count is not None else "–"
            timing = impact.timing
            impacts.append(
                f"<tr><td>{escape(indicator.name)} {indicator.direction.symbol}</td>"
                f"<td>{escape(str(change))}{relative}</td><td>{people}</td>"
                f"<td>{escape(impact.group)}</td>"
                f"<td>{timing.start}, {escape(str(timing.duration))}"
                f"{', ramp ' + escape(str(timing.ramp_up)) if timing.ramp_up_years else ''}"
                f"{f', persists {timing.persistence:g}' if timing.persistence else ''}</td>"
                f'<td><span class="pill ev-{impact.evidence}">{impact.evidence}</span></td>'
                f"<td>{_number(float(c.impact_effect[k]), 3)}</td>"
                f"<td>{_number(float(weighted_now[k]), 3)}</td>"
                f"<td>{_number(float(weighted_later[k]), 3)}</td></tr>"
            )
        money = []
        for line in proposal.costs:
            money.append(f"cost {line.year}: {escape(str(line.amount))}")
        for line in proposal.fiscal_effects:
            money.append(f"{line.kind} {line.year}: {escape(str(line.amount))}")
        partners = ", ".join(escape(a) for a in proposal.partner_agencies) or "none"
        groups = ", ".join(escape(g) for g in proposal.groups) or "–"
        priorities = ", ".join(escape(g) for g in proposal.priorities)
        parts.append(
            f'<section class="card" id="proposal-{escape(proposal.id)}">'
            f"<h3>{escape(proposal.title)}</h3>"
            f'<div class="muted">{escape(proposal.id)} · lead: {escape(proposal.lead_agency)}'
            f" · partners: {partners} · groups: {groups}"
            + (f" · priorities: {priorities}" if priorities else "")
            + "</div>"
            + (f"<p>{escape(proposal.description)}</p>" if proposal.description else "")
            + f'<div class="figures">Effect-years: current <b>{_number(float(row.current_total))}'
            f"</b>, future <b>{_number(float(row.future_total))}</b> · net cost NPV "
            f"<b>{_number(float(row.net_cost_npv) / 1e6, 4)} m {card.currency}</b> (costs "
            f"{_number(float(row.cost_npv) / 1e6, 4)} m, fiscal effects "
            f"{_number(float(row.fiscal_npv) / 1e6, 4)} m) · breadth: {int(row.n_agencies)} "
            f"agencies, {int(row.n_pillars)} pillars, {int(row.n_domains)} domains</div>"
            f'<div class="muted figures">Money: {"; ".join(money) or "none"}</div>'
            "<table><thead><tr><th>Indicator</th><th>Change</th><th>People</th><th>Group</th>"
            "<th>Timing</th><th>Evidence</th><th>Std. effect / yr</th><th>EY now</th>"
            f"<th>EY later</th></tr></thead><tbody>{''.join(impacts)}</tbody></table>"
            + (
                f'<div class="muted figures">Source: {_source_text(proposal.source)}</div>'
                if proposal.source
                else ""
            )
            + "</section>"
        )
    return "".join(parts)


def _assumptions(card: Scorecard) -> str:
    framework = card.framework
    c = card.compiled
    rows = [
        (
            "Framework",
            f"{escape(framework.name)} ({escape(framework.id)} "
            f"{escape(framework.version)}), {escape(framework.jurisdiction)} — "
            f"{_source_text(framework.source)}",
        ),
        ("Base year", f"{card.base_year} (year 0 of time profiles and discounting)"),
        (
            "Generations",
            f"current: years 0–{c.current_years - 1}; future: years "
            f"{c.current_years}–{c.assessment_years - 1}",
        ),
    ]
    for label, spec in (
        ("Wellbeing discounting", c.wellbeing_discount),
        ("Money discounting", c.money_discount),
    ):
        rates = ""
        if spec.kind == "constant" and spec.rate is not None:
            rates = f": {escape(str(spec.rate))} a year"
        elif spec.kind == "declining":
            rates = ": " + ", ".join(
                f"{escape(str(b.rate))} from year {b.from_year}" for b in spec.schedule
            )
        rows.append(
            (label, f"{escape(spec.name or spec.kind)}{rates}. {_source_text(spec.source)}")
        )
    if framework.population is not None:
        pop = framework.population
        rows.append(
            (
                "Population",
                f"{pop.count:,.0f} ({pop.year}); per-person changes are "
                f"scaled by people reached over it. {_source_text(pop.source)}",
            )
        )
    rows.append(
        (
            "Money",
            f"{card.currency}, {framework.price_year} prices; cost-effectiveness "
            f"is effect-years per million {card.currency} of net cost NPV",
        )
    )
    rows.append(
        (
            "Future weight",
            "generations are shown apart and never added up"
            if card.future_weight is None
            else f"combined = current + {card.future_weight:g} × future",
        )
    )
    rows.append(
        (
            "Effect-years",
            "a change of one standard effect (the indicator's scale) "
            "lasting one year; scales and their basis are in the framework",
        )
    )
    body = "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in rows)
    return f'<table class="assumptions">{body}</table>'


def render_report(card: Scorecard, title: str | None = None) -> str:
    """The report as one HTML string."""
    framework = card.framework
    summary = card.summary()
    heading = title or (card.proposals.title or f"Wellbeing scorecard — {framework.name}")
    note = card.proposals.note
    key = [
        ("Proposals", f"{len(card)}"),
        ("Current generation", f"{_number(float(summary.current_total.sum()))} effect-years"),
        ("Future generations", f"{_number(float(summary.future_total.sum()))} effect-years"),
        (
            "Net cost NPV",
            f"{_number(float(summary.net_cost_npv.sum()) / 1e6, 4)} m {card.currency}",
        ),
        ("Agencies involved", f"{len({a for p in card.proposals for a in p.agencies})}"),
    ]
    legend = " ".join(
        f'<span class="pill" style="background:{PILLAR_COLOURS[p]}">{PILLAR_LABELS[p]}</span>'
        for p in PILLAR_NAMES
    )
    figures = "".join(
        f'<div class="figure"><h3>{escape(name)}</h3>{svg}</div>' for name, svg in _figures(card)
    )
    html = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(heading)}</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>{escape(heading)}</h1>
<div class="muted">Framework: <b>{escape(framework.name)}</b> ({escape(framework.id)},
version {escape(framework.version)}, {escape(framework.jurisdiction)}) — source:
{_source_text(framework.source)}. Base year {card.base_year}; money in {card.currency}.</div>
{f'<p class="muted"><b>Note:</b> {escape(note)}</p>' if note else ""}
</header>
<section class="key">{"".join(f"<div>{k}<b>{v}</b></div>" for k, v in key)}</section>
<h2>Ranking</h2>
<p class="muted">Pillars: {legend}. Cells are coloured from red (harm) through white to blue
(gain); the two generations are shown apart, never added up.</p>
<div class="scroll">{scorecard_html(card, max_rows=None)}</div>
<h2>Figures</h2>
{figures}
<h2>Proposals</h2>
<div class="cards">{_cards(card)}</div>
<h2>Assumptions</h2>
{_assumptions(card)}
<footer>Written by wellbeing-budget {__version__}. Effect-years are standard effects × years,
discounted; see each proposal's sources. Figures marked illustrative in the inputs are
illustrative here too.</footer>
</body>
</html>
"""
    return html


def write_report(card: Scorecard, path: str | os.PathLike[str], title: str | None = None) -> Path:
    """Render the report and write it atomically; returns the path written."""
    return write_text_atomic(path, render_report(card, title))
