"""Plots of a scorecard (matplotlib, imported only when a plot is drawn).

Reach them through the accessor: ``card.plot.pillars()``, ``.generations()``, ``.heatmap()``,
``.frontier()``, ``.groups()``. Each returns the matplotlib Axes (or Figure when it has several
axes), titled, with units on the axes. Pass ``ax=`` to draw into your own axes.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np

from ..engine.compile import PILLARS
from ..model.text import in_language
from .i18n import format_number
from .palette import PILLAR_COLOURS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..analysis.results import Scorecard

__all__ = ["ScorecardPlots"]


def plain_text(text: str) -> str:
    """Text that matplotlib draws as written: a ``$`` would otherwise start mathtext, and a
    name such as ``Cost $5$ plan`` would be drawn as a formula or stop the plot."""
    return text.replace("$", r"\$")


PILLAR_NAMES = tuple(p.value for p in PILLARS)
EFFECT_LABEL = "effect-years (standard effects × years, discounted)"


def _new_axes(ax: Axes | None, size: tuple[float, float], ncols: int = 1) -> tuple[Figure, Any]:
    if ax is not None:
        return ax.figure, ax  # type: ignore[return-value]
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, ncols, figsize=size, squeeze=True, layout="constrained")
    return fig, axes


def _label(card: Scorecard, ids: list[str], width: int = 24) -> list[str]:
    """Labels wrapped onto lines of at most ``width`` characters, never cut short."""
    return [plain_text(wrap(i, width)) for i in ids]


def wrap(text: str, width: int = 24) -> str:
    """``text`` broken at spaces, hyphens or slashes into lines of at most ``width``
    characters where it can be; no character is dropped."""
    pieces = text.replace("-", "- ").replace("/", "/ ")
    lines = textwrap.wrap(pieces, width + 1, break_long_words=False, break_on_hyphens=False)
    joined = "\n".join(line.replace("- ", "-").replace("/ ", "/").strip() for line in lines)
    return joined or text


def _spread(positions: np.ndarray[Any, Any], heights: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Centres of labels of the given heights, moved apart so none overlap, in the order of
    their positions and as close to them as the others allow."""
    order = np.argsort(positions, kind="stable")
    wanted = positions[order].astype(float)
    size = heights[order].astype(float)
    placed = wanted.copy()
    for n in range(1, len(placed)):
        placed[n] = max(placed[n], placed[n - 1] + (size[n - 1] + size[n]) / 2)
    # centre the moved block on where the labels wanted to be, then settle again
    placed -= float(np.mean(placed - wanted))
    for n in range(1, len(placed)):
        placed[n] = max(placed[n], placed[n - 1] + (size[n - 1] + size[n]) / 2)
    out = np.empty_like(placed)
    out[order] = placed
    return out


def _label_points(ax: Axes, x: Any, y: Any, labels: list[str]) -> None:
    """Label points in a column right of the axes, each joined to its point by a thin line
    and spread vertically so no two labels overlap (however many points share a place)."""
    if not labels:
        return
    # a subfigure has no height of its own; 6 inches is the plots' usual size
    figure_height = float(getattr(ax.figure, "get_figheight", lambda: 6.0)())
    axes_height = ax.get_position().height * figure_height  # inches
    line = 1.3 * 7 / 72 / max(axes_height, 0.5)  # one 7-point line, in axes fractions
    heights = np.array([(label.count("\n") + 1) * line + 0.2 * line for label in labels])
    low, high = ax.get_ylim()
    fractions = (np.asarray(y, dtype=float) - low) / ((high - low) or 1.0)
    centres = _spread(fractions, heights)
    for label, xi, yi, centre in zip(labels, x, y, centres, strict=True):
        ax.annotate(
            label,
            (xi, yi),
            xytext=(1.03, centre),
            textcoords="axes fraction",
            fontsize=7,
            va="center",
            ha="left",
            annotation_clip=False,
            arrowprops={"arrowstyle": "-", "color": "#9aa4ae", "linewidth": 0.5},
        )


class ScorecardPlots:
    """``card.plot``: the dashboard's plots of a scorecard."""

    def __init__(self, card: Scorecard, top: int | None = 30, language: str | None = None) -> None:
        self._card = card
        self._top = top
        self._language = language

    def _summary(self, by: str = "current_total") -> Any:
        summary = self._card.summary(sort_by=by)
        return summary if self._top is None else summary.head(self._top)

    def pillars(self, fig: Figure | None = None) -> Figure:
        """Stacked bars by pillar for each proposal, current generation and future generations
        side by side."""
        summary = self._summary().iloc[::-1]
        if fig is None:
            import matplotlib.pyplot as plt

            fig = plt.figure(figsize=(11, 0.32 * len(summary) + 1.8), layout="constrained")
        # one x scale for both generations, so their bars compare at a glance
        axes = fig.subplots(1, 2, sharey=True, sharex=True)
        ids = _label(self._card, list(summary.index))
        y = np.arange(len(summary))
        for ax, generation, title in zip(
            axes, ("current", "future"), ("Current generation", "Future generations"), strict=True
        ):
            left_pos = np.zeros(len(summary))
            left_neg = np.zeros(len(summary))
            for pillar in PILLAR_NAMES:
                values = summary[f"{generation}_{pillar}"].to_numpy(dtype=float)
                base = np.where(values >= 0, left_pos, left_neg)
                ax.barh(
                    y,
                    values,
                    left=base,
                    color=PILLAR_COLOURS[pillar],
                    height=0.7,
                    label=pillar.replace("_", " "),
                )
                left_pos += np.where(values >= 0, values, 0)
                left_neg += np.where(values < 0, values, 0)
            ax.axvline(0, color="#333333", linewidth=0.8)
            ax.set_title(title)
            ax.set_xlabel(EFFECT_LABEL)
            ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
            ax.set_axisbelow(True)
        axes[0].set_yticks(y, ids)
        axes[1].legend(loc="lower right", fontsize=8, frameon=False)
        fig.suptitle(
            "Effects by pillar — "
            + plain_text(in_language(self._card.framework.name, self._language))
        )
        return fig

    def generations(self, ax: Axes | None = None) -> Axes:
        """Current against future effect-years, bubble area proportional to net cost."""
        summary = self._summary()
        _fig, ax = _new_axes(ax, (7, 6))
        x = summary["current_total"].to_numpy(dtype=float)
        y = summary["future_total"].to_numpy(dtype=float)
        cost = np.clip(summary["net_cost_npv"].to_numpy(dtype=float), 0, None)
        size = 30 + 600 * cost / cost.max() if cost.max() > 0 else np.full(len(x), 60.0)
        ax.scatter(x, y, s=size, color="#2166ac", alpha=0.45, edgecolor="#1a4f86")
        # one scale for both generations: an effect-year now and later look the same size
        reach = float(max(np.abs(x).max(initial=0.0), np.abs(y).max(initial=0.0))) or 1.0
        low = min(0.0, float(x.min(initial=0.0)), float(y.min(initial=0.0))) - 0.05 * reach
        ax.set_xlim(low, reach * 1.05)
        ax.set_ylim(low, reach * 1.05)
        ax.set_aspect("equal", adjustable="box")
        ax.axhline(0, color="#333333", linewidth=0.8)
        ax.axvline(0, color="#333333", linewidth=0.8)
        _label_points(ax, x, y, _label(self._card, list(summary.index)))
        ax.set_xlabel(f"current generation, {EFFECT_LABEL}")
        ax.set_ylabel("future generations, effect-years")
        ax.set_title(f"Now and later (bubble area: net cost, {self._card.currency})")
        return ax

    def heatmap(self, ax: Axes | None = None, generation: str = "current") -> Axes:
        """Effect-years by proposal (rows) and domain (columns), centred on zero."""
        if generation not in ("current", "future"):
            raise ValueError("generation is 'current' or 'future'")
        card = self._card
        tidy = card.to_frame()
        tidy = tidy[tidy.generation == generation]
        table = tidy.pivot_table(
            index="proposal", columns="domain", values="effect_years", aggfunc="sum", fill_value=0.0
        )
        order = list(self._summary().index)
        domains = [d.id for d in card.framework.domains]
        table = table.reindex(
            index=[p for p in order if p in table.index] or order, columns=domains, fill_value=0.0
        )
        fig, ax = _new_axes(ax, (max(6, 0.45 * len(domains) + 3), 0.3 * len(table) + 2.5))
        from matplotlib.colors import SymLogNorm

        values = table.to_numpy(dtype=float)
        limit = float(np.abs(values).max()) or 1.0
        # A linear scale greys out all but the largest effects; a symmetric log scale (linear
        # only within a thousandth of the largest) keeps small effects visible, sign intact.
        norm = SymLogNorm(linthresh=limit * 1e-3, linscale=0.5, vmin=-limit, vmax=limit, base=10)
        image = ax.imshow(values, cmap="RdBu", norm=norm, aspect="auto", interpolation="nearest")
        names = [
            plain_text(wrap(in_language(d.short_name or d.name, self._language), 22))
            for d in card.framework.domains
        ]
        ax.set_xticks(np.arange(len(domains)), names, rotation=60, ha="right", fontsize=7)
        ax.set_yticks(np.arange(len(table)), _label(card, list(table.index)), fontsize=7)
        colorbar = fig.colorbar(
            image, ax=ax, label=f"{generation} effect-years (symmetric log scale)", shrink=0.8
        )
        colorbar.ax.yaxis.set_major_formatter(
            _people_formatter(self._language)  # no 1e-05 on the scale either
        )
        ax.set_xlabel("domain")
        ax.set_ylabel("proposal")
        ax.set_title(f"Effects by domain, {generation} generation")
        return ax

    def frontier(self, ax: Axes | None = None, generation: str = "current") -> Axes:
        """Cumulative effect against cumulative net cost, best value for money first."""
        summary = self._card.summary()
        total = summary[f"{generation}_total"].to_numpy(dtype=float)
        net = summary["net_cost_npv"].to_numpy(dtype=float)
        # Bids that pay for themselves come first, then by effect-years per unit of net cost.
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(net > 0, total / net, np.inf * np.sign(total))
        order = np.lexsort((-total, -value))
        order = order[total[order] > 0]
        cost = np.concatenate([[0.0], np.cumsum(net[order]) / 1e6])
        effect = np.concatenate([[0.0], np.cumsum(total[order])])
        _fig, ax = _new_axes(ax, (8, 5))
        ax.plot(cost, effect, marker="o", color="#2166ac", linewidth=1.5, markersize=4)
        ax.grid(color="#e0e0e0", linewidth=0.6)
        shown = order[: self._top or len(order)]
        names = _label(self._card, [str(summary.index[i]) for i in shown])
        # labels are spread along the effect axis so no two overlap; each keeps a leader line
        # to its point, in the order the bids are bought
        for k, label in enumerate(names):
            ax.annotate(
                label,
                (cost[k + 1], effect[k + 1]),
                fontsize=7,
                xytext=(4, -2),
                textcoords="offset points",
            )
        if len(names) > 1:
            for text in ax.texts:
                text.remove()
            _label_points(ax, cost[1 : len(names) + 1], effect[1 : len(names) + 1], names)
        currency = self._card.currency
        ax.set_xlabel(f"cumulative net cost NPV (million {currency})")
        ax.set_ylabel(f"cumulative {generation} {EFFECT_LABEL}")
        ax.set_title(f"Wellbeing bought per million {currency}: the best value first")
        return ax

    def groups(self, ax: Axes | None = None) -> Axes:
        """Effect-years by population group, current and future generations."""
        table = self._card.by_group().groupby("group")[["current", "future"]].sum()
        table = table.sort_values("current")
        _fig, ax = _new_axes(ax, (8, 0.35 * len(table) + 2))
        y = np.arange(len(table))
        ax.barh(y - 0.2, table["current"], height=0.4, color="#2166ac", label="current generation")
        ax.barh(y + 0.2, table["future"], height=0.4, color="#67a9cf", label="future generations")
        ax.set_yticks(y, _label(self._card, [str(g) for g in table.index]))
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_xlabel(EFFECT_LABEL)
        ax.set_title("Who gains: effects by population group")
        ax.legend(frameon=False, fontsize=8)
        return ax


def _people_formatter(language: str | None) -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _position: format_number(value, 2, language))
