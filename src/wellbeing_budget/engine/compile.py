"""Compile a framework and its proposals into flat arrays, checking each impact against the
framework on the way: indicator known, change of the right dimension, money in the
framework's currency, nothing before the base year.

Units are converted once per distinct unit (:func:`~wellbeing_budget.units.conversion_factor`
is cached), so compiling is a single pass over the impacts; everything after it is numpy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..errors import Problem, UnitError, ValidationError, WellbeingBudgetError, did_you_mean
from ..io.files import paused_gc
from ..io.validation import sort_problems
from ..model.framework import DiscountSpec, Framework, Indicator, Pillar
from ..model.proposal import Impact, Proposal, ProposalSet
from ..units import conversion_factor, is_share_unit
from .scoring import EVIDENCE_LEVELS

__all__ = ["EVIDENCE_LEVELS", "CompiledBudget", "compile_budget", "rate_schedule"]
PILLARS = tuple(Pillar)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class CompiledBudget:
    """Everything the engine needs, as arrays; the labels say what each index means."""

    framework: Framework
    proposals: ProposalSet
    base_year: int
    current_years: int
    assessment_years: int
    wellbeing_discount: DiscountSpec
    money_discount: DiscountSpec
    wellbeing_rates: FloatArray  # yearly rate in each year of the assessment horizon
    money_rates: FloatArray  # yearly rate in each year up to the last money line
    # labels
    indicator_ids: tuple[str, ...]
    domain_ids: tuple[str, ...]
    groups: tuple[str, ...]
    # per indicator of the framework
    indicator_domain: IntArray
    indicator_weight: FloatArray  # weight within the domain x the domain's weight
    domain_pillar: IntArray
    # per impact
    impact_proposal: IntArray
    impact_index: IntArray  # position within its proposal
    impact_indicator: IntArray
    impact_group: IntArray
    impact_evidence: IntArray
    impact_change: FloatArray  # in the indicator's unit, before per-person scaling
    impact_reach: FloatArray  # people / population, or 1
    impact_sign: FloatArray
    impact_scale: FloatArray
    impact_effect: FloatArray  # standard effects per year at full level
    impact_start: IntArray
    impact_ramp: FloatArray
    impact_duration: FloatArray
    impact_persistence: FloatArray
    # money, in the framework's currency, by year offset from the base year
    cost_proposal: IntArray
    cost_offset: IntArray
    cost_amount: FloatArray
    fiscal_proposal: IntArray
    fiscal_offset: IntArray
    fiscal_amount: FloatArray

    @property
    def n_impacts(self) -> int:
        """Number of impacts over all proposals."""
        return len(self.impact_proposal)


def _direction_sign(indicator: Indicator) -> float:
    kind = indicator.direction.kind
    if kind == "higher_is_better":
        return 1.0
    if kind == "lower_is_better":
        return -1.0
    baseline = _baseline_value(indicator)
    target = indicator.target_value
    assert baseline is not None
    assert target is not None
    return 1.0 if baseline < target else -1.0


def _baseline_value(indicator: Indicator) -> float | None:
    if indicator.baseline is None:
        return None
    value = indicator.baseline.value
    return value.magnitude if value.unit == "" else value.to(indicator.unit)


def _change_in_unit(impact: Impact, indicator: Indicator) -> tuple[float | None, str | None]:
    """The impact's change in the indicator's unit, or a message saying why it cannot be."""
    if impact.relative_change is not None:
        baseline = _baseline_value(indicator)
        if baseline is None:
            return None, (
                f"relative_change needs a baseline for {indicator.id!r}; give an absolute "
                f"change in {indicator.unit} instead"
            )
        rel = impact.relative_change
        fraction = rel.magnitude if rel.unit == "" else rel.to("dimensionless")
        return fraction * baseline, None
    change = impact.change
    assert change is not None
    share = is_share_unit(indicator.unit)
    if change.unit == "percentage_point":
        if not share:
            return None, (
                f"change {str(change)!r} is in percentage points, but {indicator.id!r} is "
                f"measured in {indicator.unit!r}"
            )
        return change.magnitude * conversion_factor("percent", indicator.unit), None
    if share and (change.unit == "" or is_share_unit(change.unit)):
        return None, (
            f"change {str(change)!r} is ambiguous for {indicator.id!r}, measured in "
            f"{indicator.unit!r}: write percentage_point for an absolute change "
            f"('{change.magnitude:g} percentage_point') or use relative_change"
        )
    if change.unit == "":
        return change.magnitude, None
    try:
        return change.to(indicator.unit), None
    except UnitError as exc:
        return None, f"change does not fit indicator {indicator.id!r}: {exc}"


def _rounded_years(value: float) -> float:
    # 120 months is 10 years up to rounding; keep durations exact to a nanoyear so that the
    # same timing written in other units scores the same.
    return round(value, 9)


def compile_budget(
    framework: Framework,
    proposals: ProposalSet | Sequence[Proposal],
    *,
    base_year: int | None = None,
    wellbeing_discount: DiscountSpec | None = None,
    money_discount: DiscountSpec | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CompiledBudget:
    """Check proposals against the framework and lay them out as arrays.

    Every problem is reported at once, located where the proposal was written. ``progress``
    is called now and then with (proposals done, proposals in all).
    """
    if framework.kind == "index":
        raise WellbeingBudgetError(
            f"{framework.id!r} is an index-only framework (kind: index): it has no impact "
            "scales or budget settings, so it scores no proposals"
        )
    with paused_gc():
        return _compile(
            framework, proposals, base_year, wellbeing_discount, money_discount, progress
        )


def _compile(
    framework: Framework,
    proposals: ProposalSet | Sequence[Proposal],
    base_year: int | None,
    wellbeing_discount: DiscountSpec | None,
    money_discount: DiscountSpec | None,
    progress: Callable[[int, int], None] | None = None,
) -> CompiledBudget:
    bids = proposals if isinstance(proposals, ProposalSet) else ProposalSet(tuple(proposals))
    base = framework.price_year if base_year is None else base_year
    indicator_ids: list[str] = []
    indicator_domain: list[int] = []
    indicator_weight: list[float] = []
    by_id = {i.id: i for i in framework.indicators}
    for d, domain in enumerate(framework.domains):
        for ref in domain.indicators:
            indicator_ids.append(ref.id)
            indicator_domain.append(d)
            indicator_weight.append(ref.weight * domain.weight)
    position = {ident: n for n, ident in enumerate(indicator_ids)}
    pillar_index = {p: n for n, p in enumerate(PILLARS)}
    population = framework.population.count if framework.population else None
    priorities = {p.id for p in framework.priorities}

    problems: list[Problem] = []
    groups: dict[str, int] = {}
    cols: dict[str, list[float]] = {
        name: []
        for name in (
            "proposal",
            "index",
            "indicator",
            "group",
            "evidence",
            "change",
            "reach",
            "sign",
            "scale",
            "start",
            "ramp",
            "duration",
            "persistence",
        )
    }
    money: dict[str, list[float]] = {
        name: [] for name in ("c_prop", "c_off", "c_amt", "f_prop", "f_off", "f_amt")
    }
    seen: dict[str, int] = {}
    total = len(bids)
    for p, proposal in enumerate(bids):
        if progress is not None and p % 1000 == 0:
            progress(p, total)
        origin = bids.origin(p)
        if proposal.id in seen:
            problems.append(origin.problem(("id",), f"proposal id {proposal.id!r} is used twice"))
        seen[proposal.id] = p
        for q, priority in enumerate(proposal.priorities):
            if priority not in priorities:
                known = sorted(priorities)
                problems.append(
                    origin.problem(
                        ("priorities", q),
                        f"framework {framework.id!r} has no priority {priority!r}"
                        + (
                            did_you_mean(priority, known) or f" (it has: {', '.join(known)})"
                            if known
                            else ""
                        ),
                    )
                )
        for j, impact in enumerate(proposal.impacts):
            indicator = by_id.get(impact.indicator)
            if indicator is None or impact.indicator not in position:
                problems.append(
                    origin.problem(
                        ("impacts", j, "indicator"),
                        f"framework {framework.id!r} has no indicator {impact.indicator!r}"
                        + did_you_mean(impact.indicator, indicator_ids),
                    )
                )
                continue
            change, message = _change_in_unit(impact, indicator)
            if message is not None:
                key = "change" if impact.change is not None else "relative_change"
                problems.append(origin.problem(("impacts", j, key), message))
                continue
            assert change is not None
            if indicator.direction.kind == "target" and indicator.baseline is None:
                problems.append(
                    origin.problem(
                        ("impacts", j, "indicator"),
                        f"{indicator.id!r} has a target but no baseline, so which way is "
                        "better is unknown",
                    )
                )
                continue
            reach = 1.0
            people = impact.people_count
            if people is not None:
                if population is None:
                    problems.append(
                        origin.problem(
                            ("impacts", j, "people"),
                            f"framework {framework.id!r} gives no population, so a per-person "
                            "change cannot be scaled to the population",
                        )
                    )
                    continue
                reach = people / population
            timing = impact.timing
            offset = timing.start - base
            if offset < 0:
                problems.append(
                    origin.problem(
                        ("impacts", j, "timing", "start"),
                        f"starts in {timing.start}, before the base year {base}",
                    )
                )
                continue
            cols["proposal"].append(p)
            cols["index"].append(j)
            cols["indicator"].append(position[indicator.id])
            cols["group"].append(groups.setdefault(impact.group, len(groups)))
            cols["evidence"].append(EVIDENCE_LEVELS.index(impact.evidence))
            cols["change"].append(change)
            cols["reach"].append(reach)
            cols["sign"].append(_direction_sign(indicator))
            cols["scale"].append(indicator.scale_value)
            cols["start"].append(offset)
            cols["ramp"].append(_rounded_years(timing.ramp_up_years))
            cols["duration"].append(_rounded_years(timing.duration_years))
            cols["persistence"].append(timing.persistence)
        for kind, lines in (("costs", proposal.costs), ("fiscal_effects", proposal.fiscal_effects)):
            prefix = "c" if kind == "costs" else "f"
            for k, line in enumerate(lines):
                if line.currency != framework.currency:
                    problems.append(
                        origin.problem(
                            (kind, k, "amount"),
                            f"amount {str(line.amount)!r} is in {line.currency}; framework "
                            f"{framework.id!r} counts money in {framework.currency} (currencies "
                            "are never converted silently)",
                        )
                    )
                    continue
                if line.year < base:
                    problems.append(
                        origin.problem(
                            (kind, k, "year"), f"year {line.year} is before the base year {base}"
                        )
                    )
                    continue
                money[f"{prefix}_prop"].append(p)
                money[f"{prefix}_off"].append(line.year - base)
                money[f"{prefix}_amt"].append(line.amount.to(framework.currency))
    if problems:
        raise ValidationError(
            sort_problems(problems),
            summary=f"the proposals do not fit framework {framework.id!r}",
        )

    def ints(values: list[float]) -> IntArray:
        return np.asarray(values, dtype=np.int64)

    def floats(values: list[float]) -> FloatArray:
        return np.asarray(values, dtype=np.float64)

    wellbeing_spec = wellbeing_discount or framework.discounting.wellbeing
    money_spec = money_discount or framework.discounting.money
    last = max([0, *money["c_off"], *money["f_off"]])
    changes = floats(cols["change"])
    reaches = floats(cols["reach"])
    signs = floats(cols["sign"])
    scales = floats(cols["scale"])
    return CompiledBudget(
        framework=framework,
        proposals=bids,
        base_year=base,
        current_years=framework.generations.current_years,
        assessment_years=framework.generations.assessment_years,
        wellbeing_discount=wellbeing_spec,
        money_discount=money_spec,
        wellbeing_rates=rate_schedule(wellbeing_spec, framework.generations.assessment_years),
        money_rates=rate_schedule(money_spec, int(last) + 1),
        indicator_ids=tuple(indicator_ids),
        domain_ids=tuple(d.id for d in framework.domains),
        groups=tuple(groups),
        indicator_domain=ints([float(d) for d in indicator_domain]),
        indicator_weight=floats(indicator_weight),
        domain_pillar=ints([float(pillar_index[d.pillar]) for d in framework.domains]),
        impact_proposal=ints(cols["proposal"]),
        impact_index=ints(cols["index"]),
        impact_indicator=ints(cols["indicator"]),
        impact_group=ints(cols["group"]),
        impact_evidence=ints(cols["evidence"]),
        impact_change=changes,
        impact_reach=reaches,
        impact_sign=signs,
        impact_scale=scales,
        impact_effect=changes * reaches * signs / scales,
        impact_start=ints(cols["start"]),
        impact_ramp=floats(cols["ramp"]),
        impact_duration=floats(cols["duration"]),
        impact_persistence=floats(cols["persistence"]),
        cost_proposal=ints(money["c_prop"]),
        cost_offset=ints(money["c_off"]),
        cost_amount=floats(money["c_amt"]),
        fiscal_proposal=ints(money["f_prop"]),
        fiscal_offset=ints(money["f_off"]),
        fiscal_amount=floats(money["f_amt"]),
    )


def rate_schedule(spec: DiscountSpec, years: int) -> FloatArray:
    """The yearly rate applied in each year ``0 .. years - 1`` (year 0's is never used)."""
    rates = np.zeros(years, dtype=np.float64)
    if spec.kind == "constant":
        rates[:] = spec.rate_for_year(1)
    elif spec.kind == "declining":
        for band in spec.schedule:
            rates[min(band.from_year, years) :] = band.fraction
    return rates
