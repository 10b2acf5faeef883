"""How sure the scores are: Monte Carlo over effect sizes, judgement scales, money values,
domain weights, costs and the discount schedule, without scoring again.

Each evidence level's spread, the spread of judgement scales and domain weights, and the cost
overrun range come from the framework's ``uncertainty:`` (or the library's marked defaults,
:data:`~wellbeing_budget.model.uncertainty.DEFAULT_UNCERTAINTY`). Values are drawn between
their low and high (triangular around the central value). Each input can be switched off.

>>> import wellbeing_budget as wb
>>> card = wb.score(
...     wb.load_framework("nz-wellbeing-budget-2019"),
...     wb.load_proposals("examples/nz-wellbeing-budget-2019/proposals.yaml"),
... )
>>> sim = card.simulate(draws=500, seed=7)
>>> table = sim.summary()
>>> bool((table["current_total_p5"] <= table["current_total_p95"]).all())
True
>>> 0.0 <= sim.prob_beats("mh-access-choice", "kiwirail") <= 1.0
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..engine.compile import PILLARS, rate_schedule
from ..engine.scoring import EVIDENCE_LEVELS, run_engine
from ..engine.simulate import SimulationDraws, SimulationInputs, simulate_draws
from ..errors import UnknownIdError, WellbeingBudgetError, did_you_mean
from ..io.loading import load_discount_schedule
from ..model.framework import DiscountSpec
from ..model.uncertainty import Uncertainty

if TYPE_CHECKING:
    from .results import Scorecard

__all__ = ["FIGURES", "Simulation", "discount_alternatives", "simulate"]

FIGURES = ("current_total", "future_total", "benefit_npv", "net_cost_npv", "bcr")
"""The summary figures a simulation gives percentiles of."""

PERCENTILES = (5, 50, 95)


def _as_spec(value: DiscountSpec | Mapping[str, Any] | str) -> DiscountSpec:
    if isinstance(value, DiscountSpec):
        return value
    if isinstance(value, str):
        return load_discount_schedule(value)
    return DiscountSpec.model_validate(value)


def discount_alternatives(
    card: Scorecard, schedules: Sequence[DiscountSpec | Mapping[str, Any] | str]
) -> list[tuple[str, Scorecard]]:
    """The scorecard (``"scored"``), then the same proposals with each schedule applied to both
    money and wellbeing effects: compiled once, only the discounting is done again."""
    out: list[tuple[str, Scorecard]] = [("scored", card)]
    c = card.compiled
    for value in schedules:
        spec = _as_spec(value)
        label = value if isinstance(value, str) else (spec.name or spec.kind)
        compiled = replace(
            c,
            wellbeing_discount=spec,
            money_discount=spec,
            wellbeing_rates=rate_schedule(spec, c.assessment_years),
            money_rates=rate_schedule(spec, len(c.money_rates)),
        )
        other = type(card)(
            compiled, run_engine(compiled, card.evidence_weights), card.future_weight
        )
        other.evidence_weights = card.evidence_weights
        out.append((label, other))
    return out


def _value_ratios(card: Scorecard) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    c = card.compiled
    n_values = len(c.value_ids)
    low, high = np.ones(n_values), np.ones(n_values)
    for v in range(n_values):
        rows = np.flatnonzero((c.impact_value == v) & (c.impact_money > 0))
        if len(rows):
            k = rows[0]
            low[v] = c.impact_money_low[k] / c.impact_money[k]
            high[v] = c.impact_money_high[k] / c.impact_money[k]
    return low, high


def simulation_inputs(
    card: Scorecard,
    *,
    effects: bool = True,
    scales: bool = True,
    values: bool = True,
    weights: bool = True,
    costs: bool = True,
    discount: Sequence[DiscountSpec | Mapping[str, Any] | str] = (),
    uncertainty: Uncertainty | None = None,
) -> tuple[SimulationInputs, list[str]]:
    """The kernel's inputs for a scorecard, and the labels of the discount alternatives."""
    c = card.compiled
    settings = uncertainty or card.framework.uncertainty_settings
    alternatives = discount_alternatives(card, discount)
    now, later, benefit, cost, fiscal = [], [], [], [], []
    for _, alt in alternatives:
        r = alt.result
        now.append(r.current * r.weight)
        later.append(r.future * r.weight)
        benefit.append(c.impact_money * r.money_years * r.evidence_weight)
        cost.append(r.cost_npv)
        fiscal.append(r.fiscal_npv)
    levels = [settings.level(level) for level in EVIDENCE_LEVELS]
    n = len(card)
    n_impacts = c.n_impacts
    value_low, value_high = _value_ratios(card) if values else (np.ones(0), np.ones(0))
    overrun = settings.cost_overrun if costs else None
    domain = c.indicator_domain[c.impact_indicator]
    inputs = SimulationInputs(
        n_proposals=n,
        n_slots=len(PILLARS),
        impact_proposal=c.impact_proposal.astype(np.int64),
        impact_slot=c.domain_pillar[domain].astype(np.int64),
        impact_domain=domain.astype(np.int64),
        impact_scale=c.impact_indicator.astype(np.int64),
        impact_value=c.impact_value.astype(np.int64)
        if values
        else np.full(n_impacts, -1, dtype=np.int64),
        impact_evidence=c.impact_evidence.astype(np.int64),
        now=np.array(now).reshape(len(alternatives), n_impacts),
        later=np.array(later).reshape(len(alternatives), n_impacts),
        benefit=np.array(benefit).reshape(len(alternatives), n_impacts),
        cost=np.array(cost).reshape(len(alternatives), n),
        fiscal=np.array(fiscal).reshape(len(alternatives), n),
        alternative_weight=np.ones(len(alternatives)),
        evidence_sigma=np.array([lv.spread if effects else 0.0 for lv in levels]),
        evidence_normal=np.array([lv.distribution == "normal" for lv in levels]),
        evidence_reverse=np.array([lv.may_reverse for lv in levels]),
        domain_sigma=np.full(len(c.domain_ids), settings.weight_spread if weights else 0.0),
        scale_sigma=np.where(
            c.indicator_judgement & scales, settings.judgement_scale_spread, 0.0
        ).astype(np.float64),
        value_low=value_low,
        value_high=value_high,
        overrun_low=overrun.low_fraction if overrun else 0.0,
        overrun_high=overrun.high_fraction if overrun else 0.0,
        public_funds=c.public_funds,
        priced=np.bincount(c.impact_proposal, c.impact_value >= 0, minlength=n) > 0,
    )
    return inputs, [label for label, _ in alternatives]


def simulate(
    card: Scorecard,
    draws: int = 10_000,
    seed: int = 0,
    *,
    effects: bool = True,
    scales: bool = True,
    values: bool = True,
    weights: bool = True,
    costs: bool = True,
    discount: Sequence[DiscountSpec | Mapping[str, Any] | str] = (),
    uncertainty: Uncertainty | None = None,
    rank_by: str = "current_total",
) -> Simulation:
    """Monte Carlo draws of every proposal's figures (see :meth:`Scorecard.simulate`)."""
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        raise WellbeingBudgetError(f"draws must be a whole number of 1 or more, got {draws!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise WellbeingBudgetError(f"seed must be a whole number of 0 or more, got {seed!r}")
    if rank_by not in FIGURES:
        raise WellbeingBudgetError(
            f"cannot rank by {rank_by!r}{did_you_mean(rank_by, FIGURES)} (one of "
            f"{', '.join(FIGURES)})"
        )
    inputs, labels = simulation_inputs(
        card,
        effects=effects,
        scales=scales,
        values=values,
        weights=weights,
        costs=costs,
        discount=discount,
        uncertainty=uncertainty,
    )
    result = simulate_draws(inputs, draws, seed)
    settings = {
        "draws": draws,
        "seed": seed,
        "effects": effects,
        "scales": scales,
        "values": values,
        "weights": weights,
        "costs": costs,
        "discount": labels,
        "rank_by": rank_by,
    }
    return Simulation(card, result, inputs, settings)


class Simulation:
    """Draws of every proposal's summary figures, with percentiles and rank probabilities."""

    def __init__(
        self,
        card: Scorecard,
        draws: SimulationDraws,
        inputs: SimulationInputs,
        settings: dict[str, Any],
    ) -> None:
        self.card = card
        self.result = draws
        self.inputs = inputs
        self.settings = settings
        self.ids = list(card.proposals.ids)
        self._rank_counts: np.ndarray[Any, Any] | None = None

    def __repr__(self) -> str:
        return (
            f"<Simulation: {self.settings['draws']:,} draws of {len(self.ids)} proposals, "
            f"seed {self.settings['seed']}>"
        )

    def figure(self, name: str) -> np.ndarray[Any, Any]:
        """Draws x proposals of one summary figure (see :data:`FIGURES`)."""
        r = self.result
        if name == "current_total":
            return r.current
        if name == "future_total":
            return r.future
        if name == "benefit_npv":
            return r.benefit
        if name == "net_cost_npv":
            return r.net_cost
        if name == "bcr":
            return r.bcr(self.inputs.public_funds, self.inputs.priced)
        raise WellbeingBudgetError(f"no figure {name!r}{did_you_mean(name, FIGURES)}")

    def percentiles(self, q: Sequence[float] = PERCENTILES) -> pd.DataFrame:
        """Per proposal, the percentiles of every figure: ``current_total_p5`` ... (a figure
        that is unknown in every draw, a BCR without priced effects, stays empty)."""
        frame = pd.DataFrame(index=pd.Index(self.ids, name="proposal"))
        for name in FIGURES:
            if name == "bcr" and not self.inputs.priced.any():
                table = np.full((len(q), len(self.ids)), math.nan)  # no draw has a BCR
            else:
                table = _nanpercentile(self.figure(name), list(q))
            for row, pct in enumerate(q):
                frame[f"{name}_p{pct:g}"] = table[row]
        return frame

    def summary(self) -> pd.DataFrame:
        """Percentiles (5, 50, 95) of each figure next to its scored value, and the
        probability that each proposal ranks first by ``rank_by``."""
        scored = self.card.summary()
        frame = self.percentiles()
        for name in FIGURES:
            frame.insert(list(frame.columns).index(f"{name}_p5"), name, scored[name].to_numpy())
        frame["p_first"] = self.rank_probabilities(1).iloc[:, 0].to_numpy()
        return frame

    def rank_counts(self) -> np.ndarray[Any, Any]:
        """Proposals x ranks: in how many draws each proposal took each rank (rank 1 has the
        highest ``rank_by``; ties keep the proposals' order, as the summary's sort does)."""
        if self._rank_counts is not None:
            return self._rank_counts
        data = self.figure(self.settings["rank_by"])
        n = len(self.ids)
        counts = np.zeros(n * n, dtype=np.int64)
        for lo in range(0, len(data), 1024):
            # Sorted ascending, the negated figure puts the highest first and an unknown
            # (nan, made +inf) last.
            key = np.negative(data[lo : lo + 1024], order="C")
            np.nan_to_num(key, copy=False, nan=np.inf)
            order = _argsort_rows_stable(key)
            ranks = np.broadcast_to(np.arange(n), order.shape)
            counts += np.bincount((order * n + ranks).ravel(), minlength=n * n)
        self._rank_counts = counts.reshape(n, n)
        return self._rank_counts

    def rank_probabilities(self, max_rank: int | None = None) -> pd.DataFrame:
        """P(rank <= k) for each proposal (rows) and k = 1 .. ``max_rank`` (columns)."""
        n = len(self.ids)
        k = n if max_rank is None else max(1, min(int(max_rank), n))
        cumulative = np.cumsum(self.rank_counts(), axis=1)[:, :k] / self.settings["draws"]
        return pd.DataFrame(
            cumulative,
            index=pd.Index(self.ids, name="proposal"),
            columns=pd.Index(range(1, k + 1), name="rank_at_most"),
        )

    def _position(self, proposal_id: str) -> int:
        if proposal_id not in self.ids:
            raise UnknownIdError(
                f"no proposal {proposal_id!r}{did_you_mean(proposal_id, self.ids)}"
            )
        return self.ids.index(proposal_id)

    def prob_beats(self, a: str, b: str) -> float:
        """P(proposal ``a`` has a higher ``rank_by`` than proposal ``b``)."""
        data = self.figure(self.settings["rank_by"])
        i, j = self._position(a), self._position(b)
        return float(np.mean(data[:, i] > data[:, j]))

    def beats(self, ids: Sequence[str] | None = None) -> pd.DataFrame:
        """P(row beats column) for the proposals named (all of them by default; at most
        200, since the table grows with their square)."""
        chosen = list(self.ids if ids is None else ids)
        if len(chosen) > 200:
            raise WellbeingBudgetError(
                f"{len(chosen)} proposals make a {len(chosen)}² table: name at most 200"
            )
        data = self.figure(self.settings["rank_by"])[:, [self._position(p) for p in chosen]]
        table = (data[:, :, None] > data[:, None, :]).mean(axis=0)
        return pd.DataFrame(
            table, index=pd.Index(chosen, name="proposal"), columns=pd.Index(chosen, name="beats")
        )


def _argsort_rows_stable(key: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """``np.argsort(key, axis=1, kind="stable")``, faster: rows are sorted by numpy's
    unstable (vectorised) sort, which differs from the stable one only where a row has equal
    keys; those rows, rare for drawn figures, are sorted again stably."""
    order = np.argsort(key, axis=1)
    ordered = np.take_along_axis(key, order, axis=1)
    tied = np.flatnonzero((ordered[:, 1:] == ordered[:, :-1]).any(axis=1))
    if len(tied):
        order[tied] = np.argsort(key[tied], axis=1, kind="stable")
    return order


def _column_percentiles(data: np.ndarray[Any, Any], q: list[float]) -> np.ndarray[Any, Any]:
    """``np.percentile(data, q, axis=0)`` (linear interpolation, the same numbers), with one
    partition per column at the lower order statistics only: the upper neighbour of each is
    the smallest value above it, found without sorting further."""
    n = data.shape[0]
    position = np.asarray(q, dtype=np.float64) / 100 * (n - 1)
    lower = np.floor(position).astype(np.intp)
    fraction = position - lower
    # Each proposal's draws, contiguous (the kernel stores them so), partitioned in a copy.
    work = np.array(data.T, order="C")
    points = np.unique(lower)
    work.partition(points, axis=1)
    out = np.empty((len(q), data.shape[1]))
    for row, (low, t) in enumerate(zip(lower, fraction, strict=True)):
        a = work[:, low]
        if t == 0 or low + 1 >= n:
            out[row] = a
            continue
        # Everything between this partition point and the next is above ``a``: the smallest
        # of it is the upper neighbour (the next point itself when the two are adjacent).
        later = points[points > low]
        end = max(int(later[0]) if len(later) else n, low + 2)
        b = work[:, low + 1 : end].min(axis=1)
        diff = b - a
        # numpy's own interpolation formula, so the figures equal np.percentile's.
        out[row] = np.where(t >= 0.5, b - diff * (1 - t), a + diff * t)
    return out


def _nanpercentile(data: np.ndarray[Any, Any], q: list[float]) -> np.ndarray[Any, Any]:
    """Percentiles ``q`` (rows) of each column over the draws where it is known."""
    known = ~np.isnan(data)
    out = np.full((len(q), data.shape[1]), math.nan)
    full = known.all(axis=0)
    if full.all():
        return _column_percentiles(data, q)
    if full.any():
        out[:, full] = _column_percentiles(data[:, full], q)
    partial = ~full & known.any(axis=0)
    for column in np.flatnonzero(partial):
        out[:, column] = np.percentile(data[known[:, column], column], q)
    return out
