"""Views of the decision analyses: the report's sections on uncertainty, rank probabilities,
the chosen package, the frontier and the tornado, and the tornado plot. A section appears only
when the scorecard carries the analysis (``card.decision``)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from ..analysis.results import Scorecard

__all__ = ["decision_sections", "tornado_figure"]


def _table(frame: pd.DataFrame, index: bool = True) -> str:
    return frame.to_html(
        index=index, escape=True, float_format=lambda v: f"{v:.4g}", classes="decision", border=0
    )


def _uncertainty(simulation: Any) -> str:
    table = simulation.summary()
    columns = [
        "current_total",
        "current_total_p5",
        "current_total_p95",
        "future_total",
        "future_total_p5",
        "future_total_p95",
        "p_first",
    ]
    settings = simulation.settings
    return (
        "<section><h2>Uncertainty</h2>"
        f"<p>{settings['draws']:,} draws, seed {settings['seed']}; bands are the 5th to 95th "
        "percentiles. Discount schedules drawn: "
        f"{escape(', '.join(settings['discount']))}.</p>"
        f"{_table(table[columns])}"
        "<h3>Rank probabilities</h3><p>P(rank ≤ k) by "
        f"{escape(settings['rank_by'])}.</p>"
        f"{_table(simulation.rank_probabilities(min(5, len(table))))}</section>"
    )


def _package(package: Any) -> str:
    state = "proven optimal" if package.optimal else f"not proven optimal ({package.status})"
    return (
        "<section><h2>Chosen package</h2>"
        f"<p>{len(package.chosen)} proposals funded; objective {package.objective:.6g} "
        f"({escape(state)}). Binding limits: {escape(', '.join(package.binding) or 'none')}.</p>"
        f"{_table(package.chosen.drop(columns=['title']))}"
        f"<h3>Limits ({escape(package.currency)})</h3>{_table(package.limits, index=False)}"
        f"<h3>Left out</h3>{_table(package.excluded, index=False)}</section>"
    )


def _frontier(frame: pd.DataFrame) -> str:
    return f"<section><h2>Current/future frontier</h2>{_table(frame, index=False)}</section>"


def _tornado(sensitivity: Any) -> str:
    table = sensitivity.tornado()
    return (
        "<section><h2>Sensitivity (one input at a time)</h2>"
        f"<p>{escape(sensitivity.metric)} of the top-scored proposal; weights and judgement "
        "scales × "
        f"{sensitivity.factors[0]:g} and × {sensitivity.factors[1]:g}, values low and high, "
        "each discount schedule.</p>"
        f"{_table(table, index=False)}</section>"
    )


def decision_sections(card: Scorecard) -> str:
    """The HTML of every decision analysis the card carries (empty when it carries none)."""
    decision = getattr(card, "decision", {})
    parts = []
    if "simulation" in decision:
        parts.append(_uncertainty(decision["simulation"]))
    if "package" in decision:
        parts.append(_package(decision["package"]))
    if "frontier" in decision:
        parts.append(_frontier(decision["frontier"]))
    if "sensitivity" in decision:
        parts.append(_tornado(decision["sensitivity"]))
    return "".join(parts)


def tornado_figure(table: pd.DataFrame, title: str) -> Any:
    """A tornado plot: each input's low and high result around the scored value."""
    import matplotlib.pyplot as plt

    from .plots import plain_text

    rows = table.head(15).iloc[::-1]
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(rows) + 1.2))
    base = float(rows["base"].iloc[0]) if len(rows) else 0.0
    y = range(len(rows))
    ax.barh(y, rows["low"] - base, left=base, color="#4477aa", label="low")
    ax.barh(y, rows["high"] - base, left=base, color="#ee6677", label="high")
    ax.axvline(base, color="black", linewidth=0.8)
    ax.set_yticks(list(y), [plain_text(str(label)) for label in rows["input"]])
    ax.set_title(plain_text(f"Tornado: {title}"))
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig
