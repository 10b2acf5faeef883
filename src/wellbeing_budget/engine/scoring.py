"""The scoring engine: pure numpy over impacts x years.

For each impact, the **effect-years** of a generation are

    sum over the generation's years t of  level(t) x discount(t) x standard effect

where the standard effect is ``change x reach x direction sign / scale``. Years before the
current-generation horizon count for the current generation; the rest, up to the assessment
horizon, for future generations. Indicator, domain, pillar and total scores are sums weighted by
the indicator's weight within its domain times the domain's weight. Money is discounted with the
money schedule into net present values; so are monetised effects (money per year at full level
times the profile, over the assessment horizon), never added to effect-years.

Everything here is linear in the impacts, which is why unit invariance, additivity and order
invariance hold by construction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from .timeprofile import discount_factors, discounted_sums

if TYPE_CHECKING:
    from .compile import CompiledBudget

__all__ = ["EVIDENCE_LEVELS", "EngineResult", "run_engine"]

EVIDENCE_LEVELS = ("high", "medium", "low")
"""Evidence strengths, strongest first; compiled impacts hold an index into this tuple."""

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class EngineResult:
    """Per-impact effect-years and per-proposal money, as computed by :func:`run_engine`."""

    discount: FloatArray  # wellbeing discount factor per year of the assessment horizon
    money_discount: FloatArray  # money discount factor per year offset
    current: FloatArray  # per impact: effect-years, current generation (not weighted)
    future: FloatArray  # per impact: effect-years, future generations (not weighted)
    weight: FloatArray  # per impact: indicator weight x domain weight x evidence weight
    evidence_weight: FloatArray  # per impact: the evidence weight alone
    cost_npv: FloatArray  # per proposal
    fiscal_npv: FloatArray  # per proposal
    money_years: FloatArray  # per impact: profile sum discounted with the money schedule
    benefit_npv: FloatArray  # per proposal: present value of monetised effects, central
    benefit_npv_low: FloatArray
    benefit_npv_high: FloatArray


def run_engine(
    compiled: CompiledBudget, evidence_weights: Mapping[str, float] | None = None
) -> EngineResult:
    """Score compiled proposals. ``evidence_weights`` may discount weaker evidence
    (``{"high": 1, "medium": 0.8, "low": 0.5}``); by default all evidence counts fully."""
    weights = dict.fromkeys(EVIDENCE_LEVELS, 1.0)
    if evidence_weights:
        weights.update(evidence_weights)
    evidence = np.array([weights[level] for level in EVIDENCE_LEVELS], dtype=np.float64)

    horizon = compiled.assessment_years
    factors = discount_factors(compiled.wellbeing_rates)
    money = discount_factors(compiled.money_rates)
    # Monetised effects are discounted like money, over the same horizon as the effects; each
    # profile is computed once for both schedules.
    priced = compiled.impact_value >= 0
    schedules = [factors, money[:horizon]] if priced.any() else [factors]
    sums = discounted_sums(
        compiled.impact_start,
        compiled.impact_ramp,
        compiled.impact_duration,
        compiled.impact_persistence,
        schedules,
        compiled.current_years,
    )
    sums_now, sums_later = sums[0]
    effect = compiled.impact_effect
    by_evidence = evidence[compiled.impact_evidence]
    weight = compiled.indicator_weight[compiled.impact_indicator] * by_evidence

    n_proposals = len(compiled.proposals)
    money_years = np.zeros(len(effect), dtype=np.float64)
    if len(sums) > 1:
        early, late = sums[1]
        money_years[priced] = (early + late)[priced]
    strength = evidence[compiled.impact_evidence]

    def benefit(per_year: FloatArray) -> FloatArray:
        return np.bincount(
            compiled.impact_proposal,
            weights=per_year * money_years * strength,
            minlength=n_proposals,
        ).astype(np.float64)

    cost_npv = np.bincount(
        compiled.cost_proposal,
        weights=compiled.cost_amount * money[compiled.cost_offset],
        minlength=n_proposals,
    ).astype(np.float64)
    fiscal_npv = np.bincount(
        compiled.fiscal_proposal,
        weights=compiled.fiscal_amount * money[compiled.fiscal_offset],
        minlength=n_proposals,
    ).astype(np.float64)
    return EngineResult(
        discount=factors,
        money_discount=money,
        current=sums_now * effect,
        future=sums_later * effect,
        weight=weight,
        evidence_weight=by_evidence,
        cost_npv=cost_npv,
        fiscal_npv=fiscal_npv,
        money_years=money_years,
        benefit_npv=benefit(compiled.impact_money),
        benefit_npv_low=benefit(compiled.impact_money_low),
        benefit_npv_high=benefit(compiled.impact_money_high),
    )
