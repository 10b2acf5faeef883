"""HTML tables for notebooks and the report: ranked scorecards, frameworks, indicator status.

Plain HTML with inline styles (no JavaScript, no external files), so the same markup shows in
Jupyter, in the offline report and in print.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from ..engine.compile import PILLARS
from .i18n import format_number
from .palette import PILLAR_COLOURS, diverging, text_on

if TYPE_CHECKING:
    import pandas as pd
    from pandas.io.formats.style import Styler

    from ..analysis.results import Scorecard
    from ..model.framework import Framework

__all__ = ["framework_html", "scorecard_html", "scorecard_style", "sparkline_svg", "status_html"]

PILLAR_NAMES = tuple(p.value for p in PILLARS)
PILLAR_LABELS = {
    "people": "People",
    "society": "Society",
    "environment": "Environment",
    "public_finances": "Public finances",
}
TABLE_CSS = (
    "border-collapse:collapse;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;"
    "font-size:12px;"
)
CELL = "padding:3px 6px;border:1px solid #d0d0d0;text-align:right;white-space:nowrap;"
HEAD = CELL + "background:#f2f2f2;text-align:center;font-weight:600;"


def _number(value: float, digits: int = 3) -> str:
    return escape(format_number(value, digits))


def _cell(value: float, limit: float) -> str:
    background = diverging(value, limit)
    return (
        f'<td style="{CELL}background:{background};color:{text_on(background)}">'
        f"{_number(value)}</td>"
    )


def scorecard_html(card: Scorecard, max_rows: int | None = 50) -> str:
    """The ranked table: current and future effect-years by pillar, colour-scaled around zero,
    with net cost, cost-effectiveness and breadth across silos."""
    summary = card.summary(sort_by="current_total")
    shown = summary if max_rows is None else summary.head(max_rows)
    effect_columns = [f"{g}_{p}" for g in ("current", "future") for p in (*PILLAR_NAMES, "total")]
    values = shown[effect_columns].to_numpy(dtype=float)
    finite = values[~(values != values)]
    limit = float(abs(finite).max()) if finite.size else 1.0
    currency = card.currency
    framework = card.framework
    caption = (
        f"{len(summary)} proposals under {escape(framework.name)}; effect-years (standard "
        f"effects × years, discounted), current generation = first "
        f"{card.compiled.current_years} years, future = to year "
        f"{card.compiled.assessment_years}; money in {currency}, base year {card.base_year}."
    )
    if max_rows is not None and len(summary) > max_rows:
        caption += f" Showing the first {max_rows} by current total."
    head_pillars = "".join(
        f'<th style="{HEAD}border-bottom:3px solid {PILLAR_COLOURS[p]}">{PILLAR_LABELS[p]}</th>'
        for p in PILLAR_NAMES
    )
    rows = []
    for rank, (proposal_id, row) in enumerate(shown.iterrows(), start=1):
        title = escape(str(row["title"]))
        cells = [
            f'<td style="{CELL}">{rank}</td>',
            f'<td style="{CELL}text-align:left" title="{title}"><b>{escape(str(proposal_id))}'
            f'</b><br><span style="color:#555">{title}</span></td>',
        ]
        for generation in ("current", "future"):
            cells += [_cell(float(row[f"{generation}_{p}"]), limit) for p in PILLAR_NAMES]
            cells.append(
                _cell(float(row[f"{generation}_total"]), limit).replace(
                    "<td ", "<td class='total' ", 1
                )
            )
        cells += [
            f'<td style="{CELL}">{_number(float(row["net_cost_npv"]) / 1e6, 4)}</td>',
            f'<td style="{CELL}">{_number(float(row["ce_current"]), 3)}</td>',
            f'<td style="{CELL}">{_number(float(row["ce_future"]), 3)}</td>',
            f'<td style="{CELL}">{int(row["n_agencies"])} · {int(row["n_pillars"])} · '
            f"{int(row['n_domains'])}</td>",
        ]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    header = (
        f'<tr><th style="{HEAD}" rowspan="2">#</th><th style="{HEAD}" rowspan="2">Proposal</th>'
        f'<th style="{HEAD}" colspan="5">Current generation (effect-years)</th>'
        f'<th style="{HEAD}" colspan="5">Future generations (effect-years)</th>'
        f'<th style="{HEAD}" rowspan="2">Net cost NPV<br>(m {currency})</th>'
        f'<th style="{HEAD}" colspan="2">Effect-years per m {currency}</th>'
        f'<th style="{HEAD}" rowspan="2">Breadth<br>agencies · pillars · domains</th></tr>'
        f"<tr>{head_pillars}<th style='{HEAD}'>Total</th>{head_pillars}"
        f"<th style='{HEAD}'>Total</th><th style='{HEAD}'>current</th>"
        f"<th style='{HEAD}'>future</th></tr>"
    )
    return (
        f'<table class="scorecard" style="{TABLE_CSS}"><caption style="caption-side:top;'
        f'text-align:left;padding:4px 0;color:#333">{caption}</caption>'
        f"<thead>{header}</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def scorecard_style(card: Scorecard) -> Styler:
    """The ranked summary as a pandas Styler, colour-scaled like the notebook table."""
    try:
        import jinja2  # noqa: F401
    except ImportError:  # pragma: no cover - pandas' Styler needs it
        from ..errors import WellbeingBudgetError

        raise WellbeingBudgetError("Scorecard.style() needs jinja2: pip install jinja2") from None
    summary = card.summary(sort_by="current_total")
    effect_columns = [f"{g}_{p}" for g in ("current", "future") for p in (*PILLAR_NAMES, "total")]
    values = summary[effect_columns].to_numpy(dtype=float)
    limit = float(abs(values).max()) if values.size else 1.0

    def colour(value: Any) -> str:
        background = diverging(float(value), limit)
        return f"background-color:{background};color:{text_on(background)}"

    styler = summary.style.map(colour, subset=list[Any](effect_columns))
    # escape="html": titles and agencies are the user's text, never markup
    return (
        styler.format(precision=3, escape="html")
        .format_index(escape="html", axis=0)
        .set_caption(escape(f"{card.framework.name}: effect-years, money in {card.currency}"))
    )


def framework_html(framework: Framework) -> str:
    """A framework's domains by pillar, with each indicator's direction, unit and scale."""
    by_id = {i.id: i for i in framework.indicators}
    rows = []
    for pillar in framework.pillars:
        colour = PILLAR_COLOURS[pillar.value]
        domains = [d for d in framework.domains if d.pillar is pillar]
        rows.append(
            f'<tr><th colspan="6" style="{HEAD}text-align:left;border-left:6px solid {colour}">'
            f"{PILLAR_LABELS[pillar.value]}</th></tr>"
        )
        for domain in domains:
            refs = domain.indicators or ()
            span = max(1, len(refs))
            label = (
                f'<td rowspan="{span}" style="{CELL}text-align:left;vertical-align:top">'
                f"<b>{escape(domain.name)}</b><br><span style='color:#666'>{escape(domain.id)}"
                f" · weight {domain.weight:g}</span></td>"
            )
            if not refs:
                rows.append(
                    f"<tr>{label}<td colspan='5' style='{CELL}text-align:left;color:#888'>"
                    "no indicator encoded</td></tr>"
                )
                continue
            for n, ref in enumerate(refs):
                indicator = by_id[ref.id]
                source = indicator.source
                link = (
                    f'<a href="{escape(source.url)}">{escape(source.title)}</a>'
                    if source.url
                    else escape(source.title)
                )
                rows.append(
                    "<tr>"
                    + (label if n == 0 else "")
                    + f'<td style="{CELL}text-align:left">{escape(indicator.name)}<br>'
                    f"<span style='color:#666'>{escape(indicator.id)}</span></td>"
                    f'<td style="{CELL}text-align:center" title="{indicator.direction.kind}">'
                    f"{indicator.direction.symbol}</td>"
                    f'<td style="{CELL}">{escape(str(indicator.scale))}<br>'
                    f"<span style='color:#666'>{indicator.scale_basis}</span></td>"
                    f'<td style="{CELL}text-align:center">{indicator.status or ""}</td>'
                    f'<td style="{CELL}text-align:left;white-space:normal;max-width:260px">'
                    f"{link}</td>"
                    "</tr>"
                )
    source = framework.source
    link = f' (<a href="{escape(source.url)}">source</a>)' if source.url else ""
    return (
        f'<div class="framework"><p style="font-family:system-ui,sans-serif"><b>'
        f"{escape(framework.name)}</b> — {escape(framework.id)} {escape(framework.version)}, "
        f"{escape(framework.jurisdiction)}{link}. {len(framework.domains)} domains, "
        f"{len(framework.indicators)} indicators; ▲ higher is better, ▼ lower is better, "
        f"◎ towards a target.</p>"
        f'<table style="{TABLE_CSS}"><thead><tr><th style="{HEAD}">Domain</th>'
        f'<th style="{HEAD}">Indicator</th><th style="{HEAD}">Dir.</th>'
        f'<th style="{HEAD}">One standard effect</th><th style="{HEAD}">Status</th>'
        f'<th style="{HEAD}">Source</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
        "</div>"
    )


def sparkline_svg(values: list[float], width: int = 120, height: int = 28) -> str:
    """A small inline SVG line of a series (no axes), for tables."""
    points = [v for v in values if v == v]
    if len(points) < 2:
        return ""
    low, high = min(points), max(points)
    span = high - low or 1.0
    step = (width - 4) / (len(values) - 1)
    coords = [
        f"{2 + i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}"
        for i, v in enumerate(values)
        if v == v
    ]
    last_x, last_y = coords[-1].split(",")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img"><polyline fill="none" stroke="#2166ac" '
        f'stroke-width="1.5" points="{" ".join(coords)}"/><circle cx="{last_x}" cy="{last_y}" '
        f'r="2" fill="#2166ac"/></svg>'
    )


_ARROWS = {
    "improving": ("▲", "#2166ac"),
    "worsening": ("▼", "#b2182b"),
    "maintaining": ("►", "#555555"),
    "unknown": ("·", "#999999"),
}


def status_html(status: pd.DataFrame, series: dict[tuple[str, str], list[float]]) -> str:
    """The indicator status table: latest value, trend arrow, distance to target, sparkline."""
    rows = []
    for _, row in status.iterrows():
        arrow, colour = _ARROWS.get(str(row["trend"]), _ARROWS["unknown"])
        spark = sparkline_svg(series.get((str(row["jurisdiction"]), str(row["indicator"])), []))
        distance = row.get("distance_to_target")
        to_target = "–" if distance is None or distance != distance else _number(float(distance))
        rows.append(
            "<tr>"
            f'<td style="{CELL}text-align:left">{escape(str(row["jurisdiction"]))}</td>'
            f'<td style="{CELL}text-align:left">{escape(str(row["indicator_name"]))}</td>'
            f'<td style="{CELL}">{_number(float(row["latest_value"]), 4)} '
            f"{escape(str(row['unit']))}</td>"
            f'<td style="{CELL}">{int(row["latest_year"])}</td>'
            f'<td style="{CELL}text-align:center;color:{colour}" title="{row["trend"]}">'
            f"{arrow} {escape(str(row['trend']))}</td>"
            f'<td style="{CELL}">{to_target}</td>'
            f'<td style="{CELL}">{spark}</td>'
            "</tr>"
        )
    return (
        f'<table class="status" style="{TABLE_CSS}"><thead><tr>'
        f'<th style="{HEAD}">Jurisdiction</th><th style="{HEAD}">Indicator</th>'
        f'<th style="{HEAD}">Latest</th><th style="{HEAD}">Year</th>'
        f'<th style="{HEAD}">Trend</th><th style="{HEAD}">To target</th>'
        f'<th style="{HEAD}">Series</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )
