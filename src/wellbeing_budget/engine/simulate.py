"""The Monte Carlo kernel: many draws of a scored budget, without scoring it again.

Scores are linear in each impact's effect, so a draw only rescales precomputed per-impact
figures: weighted effect-years of each generation and the present value of monetised effects,
once per discount alternative. A draw picks a discount alternative and multiplies

* each impact's effect-years by its evidence factor, its domain's weight factor and its
  judgement-scale factor (indicators whose scale is a judgement),
* each impact's money by its evidence factor and its value's factor (drawn between the value's
  low and high, triangular around the central value),
* each proposal's costs by ``1 + overrun``,

then sums per proposal exactly as :meth:`~wellbeing_budget.Scorecard.summary` does (by pillar,
then over pillars), so a draw whose factors are all 1 reproduces the scores to the last bit.

Draws run in blocks of :data:`BLOCK`; block ``k`` takes its random numbers from
``SeedSequence(seed, spawn_key=(k,))``, so results depend on the seed alone (not on the
machine or process; each whole block is the same whatever the number of draws asked for), and
memory stays bounded by one block whatever the draws.
Every input's random numbers are drawn whether it is switched on or not, so switching one input
off leaves the draws of the others unchanged.

>>> import numpy as np
>>> inputs = SimulationInputs.single(
...     now=np.array([1.0, 2.0]), later=np.array([0.5, 0.0]), proposal=np.array([0, 1]), n=2
... )
>>> out = simulate_draws(inputs, draws=3, seed=1)
>>> out.current.tolist()
[[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["BLOCK", "SimulationDraws", "SimulationInputs", "simulate_draws"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

BLOCK = 256
"""Draws per block: each block has its own random stream and bounded scratch memory."""


@dataclass(frozen=True, eq=False)
class SimulationInputs:
    """Everything a draw rescales, as arrays (``A`` discount alternatives, ``I`` impacts,
    ``P`` proposals)."""

    n_proposals: int
    n_slots: int  # sub-totals summed per proposal (pillars), as the summary sums them
    impact_proposal: IntArray
    impact_slot: IntArray
    impact_domain: IntArray
    impact_scale: IntArray  # index into scale_sigma
    impact_value: IntArray  # index into value_low / value_high, -1: not monetised
    impact_evidence: IntArray  # index into the evidence arrays
    now: FloatArray  # (A, I) weighted effect-years, current generation
    later: FloatArray  # (A, I) weighted effect-years, future generations
    benefit: FloatArray  # (A, I) present value of monetised effects, central
    cost: FloatArray  # (A, P) cost NPV
    fiscal: FloatArray  # (A, P) fiscal NPV
    alternative_weight: FloatArray  # (A,) probability of each discount alternative
    evidence_sigma: FloatArray
    evidence_normal: BoolArray
    evidence_reverse: BoolArray
    domain_sigma: FloatArray  # per domain
    scale_sigma: FloatArray
    value_low: FloatArray  # low / central per value
    value_high: FloatArray  # high / central per value
    overrun_low: float = 0.0
    overrun_high: float = 0.0
    public_funds: float = 0.0
    priced: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=np.bool_))

    @classmethod
    def single(
        cls, now: FloatArray, later: FloatArray, proposal: IntArray, n: int
    ) -> SimulationInputs:
        """Inputs with no uncertainty at all: one alternative, one slot, one domain."""
        size = len(now)
        zeros_i = np.zeros(size, dtype=np.int64)
        return cls(
            n_proposals=n,
            n_slots=1,
            impact_proposal=proposal.astype(np.int64),
            impact_slot=zeros_i,
            impact_domain=zeros_i,
            impact_scale=zeros_i,
            impact_value=np.full(size, -1, dtype=np.int64),
            impact_evidence=zeros_i,
            now=now[None, :].astype(np.float64),
            later=later[None, :].astype(np.float64),
            benefit=np.zeros((1, size)),
            cost=np.zeros((1, n)),
            fiscal=np.zeros((1, n)),
            alternative_weight=np.ones(1),
            evidence_sigma=np.zeros(1),
            evidence_normal=np.zeros(1, dtype=np.bool_),
            evidence_reverse=np.zeros(1, dtype=np.bool_),
            domain_sigma=np.zeros(1),
            scale_sigma=np.zeros(1),
            value_low=np.ones(0),
            value_high=np.ones(0),
            priced=np.zeros(n, dtype=np.bool_),
        )


@dataclass(frozen=True, eq=False)
class SimulationDraws:
    """Per draw and proposal: effect-years of each generation, benefit NPV, net cost NPV."""

    current: FloatArray  # (D, P), Fortran order: each proposal's draws are contiguous
    future: FloatArray
    benefit: FloatArray
    net_cost: FloatArray
    cost: FloatArray
    alternative: IntArray  # (D,) the discount alternative each draw used

    def bcr(self, public_funds: float, priced: BoolArray) -> FloatArray:
        """Benefit-cost ratio per draw, as the summary computes it (nan where unknown)."""
        if not priced.any():  # the common case of no monetised effect: skip the arithmetic
            return np.full(self.net_cost.shape, np.nan)
        public_cost = self.net_cost * (1.0 + public_funds)
        usable = (public_cost > 0) & priced[None, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(usable, self.benefit / np.where(usable, public_cost, 1.0), np.nan)


def _sum_matrix(data: FloatArray, row: IntArray, rows: int, columns: int) -> Any:
    """Sparse rows x columns matrix with ``data[i]`` at ``(row[i], i % columns)``.

    Its product with columns x draws factors is each row's sum of ``data x factor``, taken
    in ascending column from 0, exactly as the summary's ``np.bincount`` takes it: factors of 1
    give the scores to the last bit. It replaces a bincount over every draw and impact (and
    its product and index arrays) by one pass over contiguous draws per impact.
    """
    from scipy import sparse  # type: ignore[import-untyped]  # only here: import time

    matrix = sparse.csr_array(
        (data, (row, np.arange(len(data)) % columns)), shape=(rows, columns), dtype=np.float64
    )
    # Canonical form keeps each row's entries in ascending order: the summation order above.
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix


def _by_alternative(matrices: list[Any], factors: FloatArray, chosen: IntArray) -> FloatArray:
    """Each draw's column of ``matrix @ factors``, with the matrix of its discount
    alternative."""
    if len(matrices) == 1:
        return np.asarray(matrices[0] @ factors)
    out = np.empty((matrices[0].shape[0], factors.shape[1]))
    for a, matrix in enumerate(matrices):
        here = chosen == a
        if here.any():
            out[:, here] = matrix @ factors[:, here]
    return out


def _slot_totals(sums: FloatArray) -> FloatArray:
    """Sum the slot axis (second to last) left to right, as numpy sums a short contiguous row
    (the summary's ``by_pillar.sum(axis=1)``), but without a slow reduction over a tiny
    axis."""
    total = sums[..., 0, :].copy()
    for j in range(1, sums.shape[-2]):
        total += sums[..., j, :]
    return total


def _blocks(draws: int) -> Iterator[tuple[int, slice]]:
    for k, lo in enumerate(range(0, draws, BLOCK)):
        yield k, slice(lo, min(lo + BLOCK, draws))


def _mean_one_lognormal(z: NDArray[np.float32], sigma: FloatArray) -> NDArray[np.float32]:
    # exp(0) is exactly 1, so a zero spread leaves a figure bit-for-bit unchanged.
    s = sigma.astype(np.float32)
    return np.exp(z * s - np.float32(0.5) * s * s)


def _evidence_factors(
    rng: np.random.Generator, inputs: SimulationInputs, z: NDArray[np.float32]
) -> NDArray[np.float32]:
    """Impacts x draws evidence factors from impacts x draws standard normals."""
    sigma = inputs.evidence_sigma[inputs.impact_evidence][:, None]
    normal = inputs.evidence_normal[inputs.impact_evidence][:, None]
    factors = _mean_one_lognormal(z, sigma)
    if normal.any():
        linear = (1.0 + sigma * z).astype(np.float32)
        truncate = normal & ~inputs.evidence_reverse[inputs.impact_evidence][:, None]
        # Truncated at 0 by redrawing: a beneficial effect keeps its sign unless the evidence
        # level says it may reverse.
        for _ in range(1000):
            bad = (linear < 0) & truncate
            if not bad.any():
                break
            linear[bad] = 1.0 + sigma[np.nonzero(bad)[0], 0] * rng.standard_normal(bad.sum())
        else:  # pragma: no cover - needs a spread so wide that 1000 redraws stay negative
            linear = np.where((linear < 0) & truncate, 0.0, linear)
        factors = np.where(normal, linear, factors)
    return factors


def _per_draw(table: FloatArray, chosen: IntArray) -> FloatArray:
    """Each draw's row of a per-alternative table; with a single alternative, that row
    broadcast, so no draws x impacts copy is made (the products are the same numbers)."""
    return table[:1] if len(table) == 1 else table[chosen]


def _triangular(u: FloatArray, low: FloatArray, high: FloatArray) -> FloatArray:
    """Inverse CDF of the triangular distribution on [low, high] with mode 1."""
    width = high - low
    wide = width > 0
    safe = np.where(wide, width, 1.0)
    cut = np.where(wide, (1.0 - low) / safe, 0.5)
    lower = low + np.sqrt(u * safe * (1.0 - low))
    upper = high - np.sqrt((1.0 - u) * safe * (high - 1.0))
    return np.where(wide, np.where(u < cut, lower, upper), 1.0)


def simulate_draws(inputs: SimulationInputs, draws: int, seed: int) -> SimulationDraws:
    """Run ``draws`` draws; see the module docstring for what a draw does."""
    n, k = inputs.n_proposals, inputs.n_slots
    n_impacts = len(inputs.impact_proposal)
    # Stored proposal by proposal (each proposal's draws contiguous) and shown draws x
    # proposals: percentiles then run along contiguous memory, and a block's sums, computed
    # proposals x draws, are written without a transpose.
    current, future, benefit, net_cost, cost_out = (np.empty((n, draws)).T for _ in range(5))
    alternative = np.empty(draws, dtype=np.int64)
    slot = inputs.impact_proposal * k + inputs.impact_slot
    cumulative = np.cumsum(inputs.alternative_weight)
    cumulative /= cumulative[-1]
    priced = np.flatnonzero(inputs.impact_value >= 0)
    n_values = len(inputs.value_low)
    # A domain weight and a judgement scale multiply the same impacts together: their product
    # is formed once per distinct (domain, scale) pair, then gathered once per impact.
    pairs, pair_of_impact = np.unique(
        np.stack([inputs.impact_domain, inputs.impact_scale]), axis=1, return_inverse=True
    )
    pair_of_impact = pair_of_impact.ravel()
    rows = n * k
    # Current generation's slots first, then future generations': one product gives both.
    generations = [
        _sum_matrix(
            np.concatenate([inputs.now[a], inputs.later[a]]),
            np.concatenate([slot, rows + slot]),
            2 * rows,
            n_impacts,
        )
        for a in range(len(inputs.now))
    ]
    # Only monetised impacts carry money: the others add exactly 0 and are left out.
    monies = [
        _sum_matrix(inputs.benefit[a][priced], inputs.impact_proposal[priced], n, len(priced))
        for a in range(len(inputs.benefit))
    ]
    for block, part in _blocks(draws):
        b = part.stop - part.start
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block,)))
        # Single precision is ample for a factor drawn around 1, and halves the time of the
        # largest arrays; a zero spread still gives exactly 1. Impacts x draws, so that the
        # sparse products run along contiguous draws.
        z_effect = rng.standard_normal((n_impacts, b), dtype=np.float32)
        z_domain = rng.standard_normal((b, len(inputs.domain_sigma)), dtype=np.float32)
        z_scale = rng.standard_normal((b, len(inputs.scale_sigma)), dtype=np.float32)
        u_value = rng.random((b, n_values))
        u_alternative = rng.random(b)
        u_overrun = rng.random((n, b))
        chosen = np.minimum(
            np.searchsorted(cumulative, u_alternative, side="right"), len(cumulative) - 1
        )
        alternative[part] = chosen
        effect = _evidence_factors(rng, inputs, z_effect)
        weight = _mean_one_lognormal(z_domain, inputs.domain_sigma[None, :])
        scale = _mean_one_lognormal(z_scale, inputs.scale_sigma[None, :])
        pair_factor = np.ascontiguousarray((weight[:, pairs[0]] * scale[:, pairs[1]]).T)
        factor = (effect * pair_factor[pair_of_impact]).astype(np.float64)
        totals = _slot_totals(_by_alternative(generations, factor, chosen).reshape(2, n, k, b))
        current[part] = totals[0].T
        future[part] = totals[1].T
        ratio = _triangular(u_value, inputs.value_low[None, :], inputs.value_high[None, :])
        money = effect[priced] * ratio.T[inputs.impact_value[priced]]
        benefit[part] = _by_alternative(monies, money, chosen).T
        overrun = inputs.overrun_low + (inputs.overrun_high - inputs.overrun_low) * u_overrun
        costs = _per_draw(inputs.cost, chosen).T * (1.0 + overrun)
        cost_out[part] = costs.T
        net_cost[part] = (costs - _per_draw(inputs.fiscal, chosen).T).T
    return SimulationDraws(current, future, benefit, net_cost, cost_out, alternative)
