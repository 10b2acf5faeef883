"""Plots of a scorecard (matplotlib, imported only when a plot is drawn).

Reach them through the accessor: ``card.plot.pillars()``, ``.generations()``, ``.heatmap()``,
``.frontier()``, ``.groups()``. Each returns the matplotlib Axes (or Figure when it has several
axes), titled, with units on the axes. Pass ``ax=`` to draw into your own axes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..engine.compile import PILLARS
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


def _label(card: Scorecard, ids: list[str], width: int = 28) -> list[str]:
    return [i if len(i) <= width else i[: width - 1] + "…" for i in ids]


class ScorecardPlots:
    """``card.plot``: the dashboard's plots of a scorecard."""

    def __init__(self, card: Scorecard, top: int | None = 30) -> None:
        self._card = card
        self._top = top

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
        axes = fig.subplots(1, 2, sharey=True)
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
        fig.suptitle(f"Effects by pillar — {plain_text(self._card.framework.name)}")
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
        for label, xi, yi in zip(_label(self._card, list(summary.index), 20), x, y, strict=True):
            ax.annotate(
                plain_text(str(label)),
                (xi, yi),
                fontsize=7,
                xytext=(3, 3),
                textcoords="offset points",
            )
        ax.axhline(0, color="#333333", linewidth=0.8)
        ax.axvline(0, color="#333333", linewidth=0.8)
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
        values = table.to_numpy(dtype=float)
        limit = float(np.abs(values).max()) or 1.0
        image = ax.imshow(
            values, cmap="RdBu", vmin=-limit, vmax=limit, aspect="auto", interpolation="nearest"
        )
        ax.set_xticks(np.arange(len(domains)), domains, rotation=60, ha="right", fontsize=7)
        ax.set_yticks(np.arange(len(table)), _label(card, list(table.index)), fontsize=7)
        fig.colorbar(image, ax=ax, label=f"{generation} {EFFECT_LABEL}", shrink=0.8)
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
        for k, index in enumerate(order[: self._top or len(order)]):
            ax.annotate(
                str(summary.index[index])[:20],
                (cost[k + 1], effect[k + 1]),
                fontsize=7,
                xytext=(4, -2),
                textcoords="offset points",
            )
        ax.set_xlabel(f"cumulative net cost NPV (million {self._card.currency})")
        ax.set_ylabel(f"cumulative {generation} {EFFECT_LABEL}")
        ax.set_title("Wellbeing bought per dollar: the best value first")
        ax.grid(color="#e0e0e0", linewidth=0.6)
        return ax

    def groups(self, ax: Axes | None = None) -> Axes:
        """Effect-years by population group, current and future generations."""
        table = self._card.by_group().groupby("group")[["current", "future"]].sum()
        table = table.sort_values("current")
        _fig, ax = _new_axes(ax, (8, 0.35 * len(table) + 2))
        y = np.arange(len(table))
        ax.barh(y - 0.2, table["current"], height=0.4, color="#2166ac", label="current generation")
        ax.barh(y + 0.2, table["future"], height=0.4, color="#67a9cf", label="future generations")
        ax.set_yticks(y, list(table.index))
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_xlabel(EFFECT_LABEL)
        ax.set_title("Who gains: effects by population group")
        ax.legend(frameon=False, fontsize=8)
        return ax
