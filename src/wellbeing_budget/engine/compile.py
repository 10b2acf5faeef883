"""Compile a framework and its proposals into flat arrays, checking each impact against the
framework on the way: indicator known, change of the right dimension, money in the
framework's currency, nothing before the base year.

Units are converted once per distinct unit (:func:`~wellbeing_budget.units.conversion_factor`
is cached), so compiling is a single pass over the impacts; everything after it is numpy.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import Problem, UnitError, ValidationError, WellbeingBudgetError, did_you_mean
from ..io.columns import TableArrays, table_arrays
from ..io.files import paused_gc
from ..io.validation import sort_problems
from ..model.base import Source
from ..model.framework import DiscountSpec, Framework, Indicator, Pillar
from ..model.proposal import Impact, Origin, Proposal, ProposalSet
from ..model.values import value_conversion
from ..units import (
    Quantity,
    conversion_factor,
    currency_of,
    is_percentage_point,
    is_share_unit,
)
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
    money_rates: FloatArray  # yearly rate in each year of the horizon and every money line
    public_funds: float  # marginal cost of public funds (0 unless the framework declares one)
    # labels
    indicator_ids: tuple[str, ...]
    domain_ids: tuple[str, ...]
    groups: tuple[str, ...]
    # per indicator of the framework
    indicator_domain: IntArray
    indicator_weight: FloatArray  # weight within the domain x the domain's weight
    indicator_own_weight: FloatArray  # weight within the domain alone
    domain_pillar: IntArray
    domain_wealth: NDArray[np.bool_]  # the domain is a stock of wealth or capital
    indicator_judgement: NDArray[np.bool_]  # per indicator: its scale is a judgement
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
    impact_population: FloatArray  # people of the group the indicator describes (nan: none)
    # money view: money per year at full level, in the framework's currency and prices
    impact_value: IntArray  # index into value_ids, -1 when the impact is not monetised
    impact_money: FloatArray  # central
    impact_money_low: FloatArray
    impact_money_high: FloatArray
    value_ids: tuple[str, ...]  # labels of the values used ('wellby', or 'indicator:<id>')
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
    if is_percentage_point(change.unit):
        if not share:
            return None, (
                f"change {str(change)!r} is in percentage points, but {indicator.id!r} is "
                f"measured in {indicator.unit!r}"
            )
        points = change.to("percentage_point")
        return points * conversion_factor("percent", indicator.unit), None
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


def _object_arrays(bids: ProposalSet) -> TableArrays | None:
    """Proposals given as objects laid out as a table's arrays, so that they compile like
    proposals read from a table: one conversion per distinct (indicator, unit), then arrays.
    None when two proposals share an id or a proposal repeats an impact: those are checked,
    and reported, one proposal at a time."""
    units: dict[str, int] = {}
    labels: dict[str, int] = {}
    group_codes: dict[str, int] = {}
    evidence = {level: n for n, level in enumerate(EVIDENCE_LEVELS)}
    durations: dict[tuple[float, str], int] = {}
    rows: list[tuple[Any, ...]] = []
    money: list[tuple[Any, ...]] = []
    priorities: list[tuple[str, ...]] = []
    seen: set[str] = set()
    for p, proposal in enumerate(bids):
        if proposal.id in seen:
            return None
        seen.add(proposal.id)
        impacts = proposal.impacts
        if len(impacts) > 1 and _may_repeat(impacts) and _identical_impacts(proposal):
            return None
        priorities.append(proposal.priorities)
        for j, impact in enumerate(impacts):
            written = impact.change
            relative = written is None
            if written is None:
                written = impact.relative_change
                assert written is not None
            people = impact.people
            timing = impact.timing
            ramp, duration = timing.ramp_up, timing.duration
            rows.append(
                (
                    p,
                    j,
                    labels.setdefault(impact.indicator, len(labels)),
                    relative,
                    written.magnitude,
                    units.setdefault(written.unit, len(units)),
                    math.nan if people is None else people.magnitude,
                    -1 if people is None else units.setdefault(people.unit, len(units)),
                    group_codes.setdefault(impact.group, len(group_codes)),
                    timing.start,
                    durations.setdefault((ramp.magnitude, ramp.unit), len(durations)),
                    durations.setdefault((duration.magnitude, duration.unit), len(durations)),
                    timing.persistence,
                    evidence[impact.evidence],
                )
            )
        for fiscal, lines in ((False, proposal.costs), (True, proposal.fiscal_effects)):
            for line in lines:
                amount = line.amount
                money.append(
                    (
                        p,
                        line.year,
                        amount.magnitude,
                        units.setdefault(amount.unit, len(units)),
                        fiscal,
                    )
                )
    for _, unit in durations:
        units.setdefault(unit, len(units))
    table = list(durations)

    def column(values: Any, dtype: Any) -> Any:
        return np.array(values, dtype=dtype)

    impact_cols = list(zip(*rows, strict=True)) if rows else [()] * 14
    money_cols = list(zip(*money, strict=True)) if money else [()] * 5
    duration_magnitude = column([m for m, _ in table], np.float64)
    duration_unit = column([units[u] for _, u in table], np.int64)
    return TableArrays(
        impact_proposal=column(impact_cols[0], np.int64),
        impact_index=column(impact_cols[1], np.int64),
        indicator=column(impact_cols[2], np.int64),
        relative=column(impact_cols[3], np.bool_),
        change=column(impact_cols[4], np.float64),
        change_unit=column(impact_cols[5], np.int64),
        people=column(impact_cols[6], np.float64),
        people_unit=column(impact_cols[7], np.int64),
        group=column(impact_cols[8], np.int64),
        start=column(impact_cols[9], np.int64),
        ramp=column(impact_cols[10], np.int64),
        ramp_magnitude=duration_magnitude,
        ramp_unit=duration_unit,
        duration=column(impact_cols[11], np.int64),
        duration_magnitude=duration_magnitude,
        duration_unit=duration_unit,
        persistence=column(impact_cols[12], np.float64),
        evidence=column(impact_cols[13], np.int64),
        priorities=tuple(priorities),
        cost_proposal=column(money_cols[0], np.int64),
        cost_year=column(money_cols[1], np.int64),
        cost_amount=column(money_cols[2], np.float64),
        cost_unit=column(money_cols[3], np.int64),
        cost_fiscal=column(money_cols[4], np.bool_),
        units=tuple(units),
        indicators=tuple(labels),
        groups=tuple(group_codes),
        evidences=tuple(EVIDENCE_LEVELS),
    )


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
    arrays = table_arrays(bids)
    if arrays is None and bids.source is None:
        arrays = _object_arrays(bids)
    _refuse_foreign_currency(framework, _currencies(bids, arrays))
    base = _earliest_year(bids, arrays, framework.price_year) if base_year is None else base_year
    _check_settings(framework, base)
    indicator_ids: list[str] = []
    indicator_domain: list[int] = []
    indicator_weight: list[float] = []
    indicator_own_weight: list[float] = []
    by_id = {i.id: i for i in framework.indicators}
    for d, domain in enumerate(framework.domains):
        for ref in domain.indicators:
            indicator_ids.append(ref.id)
            indicator_domain.append(d)
            indicator_weight.append(ref.weight * domain.weight)
            indicator_own_weight.append(ref.weight)
    position = {ident: n for n, ident in enumerate(indicator_ids)}
    pillar_index = {p: n for n, p in enumerate(PILLARS)}
    sizes = {g: framework.group_population(g) for g in framework.group_ids}
    pricing = _pricing(framework, indicator_ids)
    value_ids = sorted({label for label, *_ in pricing.values()})

    facts = _indicator_facts(framework, indicator_ids, position, pricing, value_ids)

    found = None
    if arrays is not None:
        found = _table_columns(framework, bids, arrays, base, facts, sizes, progress)
    if found is None:
        found = _object_columns(framework, bids, base, facts, sizes, indicator_ids, progress)
    cols, money, groups = found

    def ints(values: list[float]) -> IntArray:
        return np.asarray(values, dtype=np.int64)

    def floats(values: list[float]) -> FloatArray:
        return np.asarray(values, dtype=np.float64)

    wellbeing_spec = wellbeing_discount or framework.discounting.wellbeing
    money_spec = money_discount or framework.discounting.money
    assessment = framework.generations.assessment_years
    last = max([0, assessment - 1, *money["c_off"], *money["f_off"]])
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
        public_funds=framework.public_funds.fraction if framework.public_funds else 0.0,
        indicator_ids=tuple(indicator_ids),
        domain_ids=tuple(d.id for d in framework.domains),
        groups=tuple(groups),
        indicator_domain=ints([float(d) for d in indicator_domain]),
        indicator_weight=floats(indicator_weight),
        indicator_own_weight=floats(indicator_own_weight),
        domain_pillar=ints([float(pillar_index[d.pillar]) for d in framework.domains]),
        domain_wealth=np.array([d.wealth for d in framework.domains], dtype=np.bool_),
        indicator_judgement=np.array(
            [by_id[i].scale_basis == "judgement" for i in indicator_ids], dtype=np.bool_
        ),
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
        impact_population=floats(cols["population"]),
        impact_value=ints(cols["value"]),
        impact_money=floats(cols["money"]),
        impact_money_low=floats(cols["money_low"]),
        impact_money_high=floats(cols["money_high"]),
        value_ids=tuple(value_ids),
        cost_proposal=ints(money["c_prop"]),
        cost_offset=ints(money["c_off"]),
        cost_amount=floats(money["c_amt"]),
        fiscal_proposal=ints(money["f_prop"]),
        fiscal_offset=ints(money["f_off"]),
        fiscal_amount=floats(money["f_amt"]),
    )


def _object_columns(
    framework: Framework,
    bids: ProposalSet,
    base: int,
    facts: dict[str, _Facts],
    sizes: dict[str, tuple[float, Source] | None],
    indicator_ids: Sequence[str],
    progress: Callable[[int, int], None] | None,
) -> tuple[dict[str, Any], dict[str, list[float]], dict[str, int]]:
    """The per-impact columns and money lines of proposals given as objects, checked one
    impact at a time; every problem is raised at once, located."""
    priorities = {p.id for p in framework.priorities}
    group_ids = framework.group_ids
    problems: list[Problem] = []
    groups: dict[str, int] = {}
    # Conversions are looked up once per (indicator, unit): a bulk file repeats a handful of
    # units thousands of times, and pint formatting a unit costs far more than the arithmetic.
    conversions: dict[tuple[str, bool, str], tuple[float, float] | None] = {}
    years_in: dict[tuple[float, str], tuple[float, float]] = {}
    people_in: dict[tuple[float, str], float] = {}
    # Per accepted impact, the raw facts; the checks that need only numbers run on arrays below.
    rows: list[tuple[Any, ...]] = []
    impacts_of: list[Impact] = []
    money: dict[str, list[float]] = {
        name: [] for name in ("c_prop", "c_off", "c_amt", "f_prop", "f_off", "f_amt")
    }
    seen: dict[str, int] = {}
    total = len(bids)
    for p, proposal in enumerate(bids):
        if progress is not None and p % 1000 == 0:
            progress(p, total)
        origin: Origin | None = None
        if proposal.id in seen:
            origin = origin or bids.origin(p)
            problems.append(origin.problem(("id",), f"proposal id {proposal.id!r} is used twice"))
        seen[proposal.id] = p
        impacts = proposal.impacts
        if len(impacts) > 1 and _may_repeat(impacts):
            for j, first in _identical_impacts(proposal):
                origin = origin or bids.origin(p)
                problems.append(
                    origin.problem(
                        ("impacts", j),
                        f"impact {j} is identical to impact {first}: its effect would count twice",
                    )
                )
        for q, priority in enumerate(proposal.priorities):
            # A framework without priorities (the LSF itself) has nothing to check them
            # against: they stay labels, as the 2019 priorities do when the 2019 bids are
            # scored under the LSF.
            if priorities and priority not in priorities:
                known = sorted(priorities)
                origin = origin or bids.origin(p)
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
        for j, impact in enumerate(impacts):
            fact = facts.get(impact.indicator)
            if fact is None:
                origin = origin or bids.origin(p)
                problems.append(
                    origin.problem(
                        ("impacts", j, "indicator"),
                        f"framework {framework.id!r} has no indicator {impact.indicator!r}"
                        + did_you_mean(impact.indicator, indicator_ids),
                    )
                )
                continue
            indicator = fact.indicator
            written = impact.change
            relative = written is None
            if written is None:
                written = impact.relative_change
                assert written is not None
            key = (indicator.id, relative, written.unit)
            if key in conversions:
                factors = conversions[key]
            else:
                factors = conversions[key] = _change_factors(indicator, relative, written.unit)
            if factors is None:
                message = _change_in_unit(impact, indicator)[1]
                assert message is not None
                origin = origin or bids.origin(p)
                key_name = "relative_change" if relative else "change"
                problems.append(origin.problem(("impacts", j, key_name), message))
                continue
            if fact.sign is None:
                origin = origin or bids.origin(p)
                problems.append(
                    origin.problem(
                        ("impacts", j, "indicator"),
                        f"{indicator.id!r} has a target but no baseline, so which way is "
                        "better is unknown",
                    )
                )
                continue
            if impact.group not in sizes:
                origin = origin or bids.origin(p)
                problems.append(
                    origin.problem(
                        ("impacts", j, "group"),
                        f"framework {framework.id!r} has no population group {impact.group!r}"
                        + (
                            did_you_mean(impact.group, group_ids)
                            or f" (it has: {', '.join(group_ids)})"
                        ),
                    )
                )
                continue
            people = impact.people
            if people is None:
                count = math.nan
            else:
                people_key = (people.magnitude, people.unit)
                found = people_in.get(people_key)
                if found is None:
                    found = people_in[people_key] = impact.people_count or math.nan
                count = found
            timing = impact.timing
            ramp, duration = timing.ramp_up, timing.duration
            ramp_key, duration_key = (
                (ramp.magnitude, ramp.unit),
                (duration.magnitude, duration.unit),
            )
            ramp_years = years_in.get(ramp_key)
            if ramp_years is None:
                ramp_years = years_in[ramp_key] = _years(ramp)
            duration_years = years_in.get(duration_key)
            if duration_years is None:
                duration_years = years_in[duration_key] = _years(duration)
            rows.append(
                (
                    p,
                    j,
                    fact.position,
                    impact.group,
                    written.magnitude * factors[0] * factors[1],
                    impact.evidence,
                    count,
                    timing.persistence,
                    timing.start - base,
                    *ramp_years,
                    *duration_years,
                )
            )
            impacts_of.append(impact)
        for kind, lines in (("costs", proposal.costs), ("fiscal_effects", proposal.fiscal_effects)):
            prefix = "c" if kind == "costs" else "f"
            for k, line in enumerate(lines):
                if line.currency != framework.currency:
                    origin = origin or bids.origin(p)
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
                    origin = origin or bids.origin(p)
                    problems.append(
                        origin.problem(
                            (kind, k, "year"), f"year {line.year} is before the base year {base}"
                        )
                    )
                    continue
                amount = line.amount.to(framework.currency)
                if not math.isfinite(amount):
                    origin = origin or bids.origin(p)
                    problems.append(
                        origin.problem((kind, k, "amount"), "amount is not a finite number")
                    )
                    continue
                money[f"{prefix}_prop"].append(p)
                money[f"{prefix}_off"].append(line.year - base)
                money[f"{prefix}_amt"].append(amount)
    cols = _impact_columns(rows, facts, groups)
    problems += _array_problems(cols, impacts_of, bids, facts, sizes, base, framework, groups)
    if problems:
        raise ValidationError(
            sort_problems(problems),
            summary=f"the proposals do not fit framework {framework.id!r}",
        )
    return cols, money, groups


def _table_columns(
    framework: Framework,
    bids: ProposalSet,
    arrays: TableArrays,
    base: int,
    facts: dict[str, _Facts],
    sizes: dict[str, tuple[float, Source] | None],
    progress: Callable[[int, int], None] | None,
) -> tuple[dict[str, Any], dict[str, list[float]], dict[str, int]] | None:
    """The per-impact columns and money lines of proposals read from tables, worked out on
    the arrays with one conversion per distinct (indicator, unit); the same numbers as
    :func:`_object_columns`, to the last bit. None when any impact or money line has a
    problem: the proposals are then checked one by one, for the exact located messages."""
    total = len(bids)
    if progress is not None:
        progress(0, total)
    known = {p.id for p in framework.priorities}
    if known and any(p not in known for listed in set(arrays.priorities) for p in listed):
        return None
    # Per indicator label: its facts (None: not in the framework, or no direction).
    fact_of = [facts.get(label) for label in arrays.indicators]
    if any(f is None or f.sign is None for f in fact_of):
        return None
    if any(group not in sizes for group in arrays.groups):
        return None
    units = arrays.units
    n_units = max(len(units), 1)
    # One pair of factors per distinct (indicator, relative, unit) in use.
    combined = (arrays.indicator * 2 + arrays.relative) * n_units + arrays.change_unit
    keys = np.flatnonzero(np.bincount(combined, minlength=1))
    slot = np.zeros(int(combined.max()) + 1 if len(combined) else 1, dtype=np.int64)
    slot[keys] = np.arange(len(keys))
    first = np.empty(len(keys), dtype=np.float64)
    second = np.empty(len(keys), dtype=np.float64)
    for n, key in enumerate(keys.tolist()):
        pair, unit = divmod(key, n_units)
        label, relative = divmod(pair, 2)
        fact = fact_of[label]
        assert fact is not None
        factors = _change_factors(fact.indicator, bool(relative), units[unit])
        if factors is None:
            return None
        first[n], second[n] = factors
    inverse = slot[combined]
    change = arrays.change * first[inverse] * second[inverse]

    def per_unit(unit_codes: IntArray, to: str) -> FloatArray:
        # Only the units used in this column: another column's units are other dimensions.
        table = np.ones(len(units) + 1, dtype=np.float64)
        used = np.bincount(unit_codes[unit_codes >= 0], minlength=len(units))
        for u in np.flatnonzero(used).tolist():
            if units[u]:
                table[u] = conversion_factor(units[u], to)
        factor: FloatArray = table[unit_codes]
        return factor

    with np.errstate(invalid="ignore"):
        people_unit = arrays.people_unit
        count = np.where(
            people_unit >= 0,
            np.where(
                np.array([*(u == "" for u in units), True])[people_unit],
                arrays.people,
                arrays.people * per_unit(people_unit, "person"),
            ),
            math.nan,
        )

    def years(codes: IntArray, magnitude: FloatArray, unit: IntArray) -> tuple[FloatArray, ...]:
        # per distinct duration written (a handful), then spread over the impacts
        written = magnitude * per_unit(unit, "year")
        rounded = np.array([_rounded_years(y) for y in written.tolist()], dtype=np.float64)
        return written[codes], rounded[codes]

    ramp_written, ramp = years(arrays.ramp, arrays.ramp_magnitude, arrays.ramp_unit)
    duration_written, duration = years(
        arrays.duration, arrays.duration_magnitude, arrays.duration_unit
    )
    position = np.array([f.position for f in fact_of if f is not None], dtype=np.int64)
    cols: dict[str, Any] = {
        "proposal": arrays.impact_proposal,
        "index": arrays.impact_index,
        "indicator": position[arrays.indicator] if len(position) else arrays.indicator,
        "change": change,
        "people": count,
        "persistence": arrays.persistence,
        "start": arrays.start - base,
        "ramp_written": ramp_written,
        "ramp": ramp,
        "duration_written": duration_written,
        "duration": duration,
    }
    groups: dict[str, int] = {}
    used, first_use = np.unique(arrays.group, return_index=True)
    table = np.full(len(arrays.groups), -1, dtype=np.int64)
    for k in np.argsort(first_use, kind="stable").tolist():
        table[used[k]] = groups[arrays.groups[used[k]]] = len(groups)
    cols["group"] = table[arrays.group]
    levels = np.array([EVIDENCE_LEVELS.index(e) for e in arrays.evidences], dtype=np.int64)
    cols["evidence"] = levels[arrays.evidence]
    cols = _derived_columns(cols, facts, groups)
    if any(mask.any() for _, mask in _array_checks(cols, facts, sizes, framework, groups)):
        return None
    money: dict[str, list[float]] = {}
    currency = framework.currency
    if any(currency_of(units[u]) != currency for u in np.unique(arrays.cost_unit).tolist()):
        return None
    if len(arrays.cost_year) and int(arrays.cost_year.min()) < base:
        return None
    with np.errstate(over="ignore", invalid="ignore"):
        amount = arrays.cost_amount * per_unit(arrays.cost_unit, currency)
    if not np.isfinite(amount).all():
        return None
    for prefix, chosen in (("c", ~arrays.cost_fiscal), ("f", arrays.cost_fiscal)):
        money[f"{prefix}_prop"] = arrays.cost_proposal[chosen]  # type: ignore[assignment]
        money[f"{prefix}_off"] = arrays.cost_year[chosen] - base  # type: ignore[assignment]
        money[f"{prefix}_amt"] = amount[chosen]  # type: ignore[assignment]
    return cols, money, groups


@dataclass(frozen=True)
class _Facts:
    """What compiling needs of one indicator, worked out once rather than per impact."""

    position: int
    indicator: Indicator
    sign: float | None  # None: a target without a baseline, so no direction
    scale: float
    population: float  # people of the group it describes (nan: not given)
    value: int  # index into the value labels, -1 when not priced
    per_unit: float
    times_people: bool
    low: float
    central: float
    high: float


def _indicator_facts(
    framework: Framework,
    indicator_ids: Sequence[str],
    position: dict[str, int],
    pricing: dict[str, tuple[str, float, bool, float, float, float]],
    value_ids: Sequence[str],
) -> dict[str, _Facts]:
    by_id = {i.id: i for i in framework.indicators}
    facts: dict[str, _Facts] = {}
    for ident in indicator_ids:
        indicator = by_id.get(ident)
        if indicator is None or ident in facts:
            continue
        untargeted = indicator.direction.kind == "target" and indicator.baseline is None
        described = framework.group_population(indicator.describes)
        label, per_unit, times_people, low, central, high = pricing.get(
            ident, ("", 0.0, False, 0.0, 0.0, 0.0)
        )
        facts[ident] = _Facts(
            position=position[ident],
            indicator=indicator,
            sign=None if untargeted else _direction_sign(indicator),
            scale=indicator.scale_value,
            population=described[0] if described is not None else math.nan,
            value=value_ids.index(label) if ident in pricing else -1,
            per_unit=per_unit,
            times_people=times_people,
            low=low,
            central=central,
            high=high,
        )
    return facts


def _change_factors(indicator: Indicator, relative: bool, unit: str) -> tuple[float, float] | None:
    """Two factors whose product with a change's magnitude, taken in order, is the change in
    the indicator's unit (the same arithmetic as :func:`_change_in_unit`), or None when a
    change in ``unit`` cannot be read for this indicator."""
    if relative:
        baseline = _baseline_value(indicator)
        if baseline is None:
            return None
        return (1.0 if unit == "" else conversion_factor(unit, "dimensionless")), baseline
    share = is_share_unit(indicator.unit)
    if is_percentage_point(unit):
        if not share:
            return None
        return conversion_factor(unit, "percentage_point"), conversion_factor(
            "percent", indicator.unit
        )
    if share and (unit == "" or is_share_unit(unit)):
        return None
    if unit == "":
        return 1.0, 1.0
    try:
        return conversion_factor(unit, indicator.unit), 1.0
    except UnitError:
        return None


def _may_repeat(impacts: Sequence[Impact]) -> bool:
    """Whether two impacts agree on a few plain fields: identical impacts must, so only then
    is it worth comparing whole impacts (hashing a model is slow)."""
    keys = {
        (i.indicator, i.group, i.evidence, i.timing.start, i.timing.persistence) for i in impacts
    }
    return len(keys) < len(impacts)


def _years(value: Quantity) -> tuple[float, float]:
    """A duration in years, as written and rounded (see :func:`_rounded_years`); the model
    checked when it was read that it is a time and not negative."""
    years = value.to("year")
    return years, _rounded_years(years)


def _impact_columns(
    rows: list[tuple[Any, ...]],
    facts: dict[str, _Facts],
    groups: dict[str, int],
) -> dict[str, Any]:
    """The per-impact arrays, from the facts gathered per impact and per indicator."""
    names = (
        "proposal",
        "index",
        "indicator",
        "group_name",
        "change",
        "evidence_name",
        "people",
        "persistence",
        "start",
        "ramp_written",
        "ramp",
        "duration_written",
        "duration",
    )
    if rows:
        cols: dict[str, Any] = {
            name: np.array(values, dtype=object if name.endswith("_name") else None)
            for name, values in zip(names, zip(*rows, strict=True), strict=True)
        }
    else:
        cols = {
            name: np.array([], dtype=object if name.endswith("_name") else np.float64)
            for name in names
        }
    return _derived_columns(cols, facts, groups)


def _group_codes(cols: dict[str, Any], groups: dict[str, int]) -> None:
    """Group and evidence indices from their names (groups numbered in order of first use)."""
    names, first, inverse = np.unique(
        np.asarray(cols["group_name"], dtype=object), return_index=True, return_inverse=True
    )
    for k in np.argsort(first, kind="stable").tolist():
        groups[names[k]] = len(groups)
    codes = np.array([groups[g] for g in names.tolist()], dtype=np.int64)
    cols["group"] = codes[inverse.reshape(-1)] if len(codes) else np.zeros(0, dtype=np.int64)
    levels = {level: n for n, level in enumerate(EVIDENCE_LEVELS)}
    names, inverse = np.unique(np.asarray(cols["evidence_name"], dtype=object), return_inverse=True)
    codes = np.array([levels[e] for e in names.tolist()], dtype=np.int64)
    cols["evidence"] = codes[inverse.reshape(-1)] if len(codes) else np.zeros(0, dtype=np.int64)


def _derived_columns(
    cols: dict[str, Any], facts: dict[str, _Facts], groups: dict[str, int]
) -> dict[str, Any]:
    """The per-impact arrays that follow from the facts per impact and per indicator;
    ``groups`` is filled with the groups' indices, in order of first use."""
    for name in ("proposal", "index", "indicator", "start"):
        cols[name] = cols[name].astype(np.int64)
    if "group" not in cols:
        _group_codes(cols, groups)
    ordered = sorted(facts.values(), key=lambda f: f.position)
    width = max((f.position for f in ordered), default=-1) + 1

    def per_indicator(field: str, fill: float) -> FloatArray:
        table = np.full(width, fill, dtype=np.float64)
        for f in ordered:
            value = getattr(f, field)
            table[f.position] = fill if value is None else float(value)
        chosen: FloatArray = table[cols["indicator"]]
        return chosen

    cols["sign"] = per_indicator("sign", math.nan)
    cols["scale"] = per_indicator("scale", math.nan)
    cols["population"] = per_indicator("population", math.nan)
    cols["value"] = per_indicator("value", -1.0).astype(np.int64)
    people = cols["people"].astype(np.float64)
    cols["people"] = people
    with np.errstate(invalid="ignore", divide="ignore"):
        cols["reach"] = np.where(np.isnan(people), 1.0, people / cols["population"])
        times_people = per_indicator("times_people", 0.0) > 0
        units = (
            cols["change"].astype(np.float64)
            * per_indicator("per_unit", 0.0)
            * cols["reach"]
            * np.where(times_people, cols["population"], 1.0)
        )
        priced = cols["value"] >= 0
        for name, field in (("money", "central"), ("money_low", "low"), ("money_high", "high")):
            cols[name] = np.where(priced, units * per_indicator(field, 0.0), 0.0)
    cols["times_people"] = times_people
    return cols


def _array_problems(
    cols: dict[str, Any],
    impacts: list[Impact],
    bids: ProposalSet,
    facts: dict[str, _Facts],
    sizes: dict[str, tuple[float, Source] | None],
    base: int,
    framework: Framework,
    groups: dict[str, int],
) -> list[Problem]:
    """The checks that need only numbers, on whole arrays; each failing impact is reported
    once, for the first check it fails (the order in which they were written one by one)."""
    by_position = {f.position: f for f in facts.values()}
    problems: list[Problem] = []
    failed = np.zeros(len(impacts), dtype=np.bool_)
    for kind, mask in _array_checks(cols, facts, sizes, framework, groups):
        for row in np.flatnonzero(mask & ~failed):
            impact = impacts[row]
            indicator = by_position[int(cols["indicator"][row])].indicator
            j = int(cols["index"][row])
            origin = bids.origin(int(cols["proposal"][row]))
            offset = int(cols["start"][row])
            if kind == "people":
                message = _reach(
                    impact, indicator, sizes[indicator.describes], sizes[impact.group]
                )[1]
                problems.append(origin.problem(("impacts", j, "people"), message or ""))
            elif kind == "timing":
                message = _timing_problem(impact, offset, base, framework)
                problems.append(origin.problem(("impacts", j, "timing"), message or ""))
            elif kind == "effect":
                change, reach = float(cols["change"][row]), float(cols["reach"][row])
                problems.append(
                    origin.problem(
                        ("impacts", j, "change"),
                        f"the effect is not a finite number ({change:g} x {reach:g} / "
                        f"{indicator.scale_value:g}): check the change and the scale",
                    )
                )
            elif kind == "early":
                problems.append(
                    origin.problem(
                        ("impacts", j, "timing", "start"),
                        f"starts in {impact.timing.start}, before the base year {base}",
                    )
                )
            else:
                problems.append(
                    origin.problem(
                        ("impacts", j, "indicator"),
                        f"{indicator.id!r} is priced per person, but framework "
                        f"{framework.id!r} gives no population to count the people by",
                    )
                )
        failed |= mask
    return problems


def _array_checks(
    cols: dict[str, Any],
    facts: dict[str, _Facts],
    sizes: dict[str, tuple[float, Source] | None],
    framework: Framework,
    groups: dict[str, int],
) -> list[tuple[str, NDArray[np.bool_]]]:
    """Per check that needs only numbers, the impacts that fail it (in the order the checks
    were written one by one)."""
    horizon = framework.generations.assessment_years
    people, population = cols["people"], cols["population"]
    # Looked up once per group and per indicator, then spread over the impacts by index.
    group_size = np.array(
        [s[0] if (s := sizes.get(g)) is not None else math.nan for g in groups] + [math.nan],
        dtype=np.float64,
    )[cols["group"]]
    width = max((f.position for f in facts.values()), default=-1) + 1
    described = np.full(width, -1, dtype=np.int64)
    for f in facts.values():
        described[f.position] = groups.get(f.indicator.describes, -1)
    describes = described[cols["indicator"]]
    has_people = ~np.isnan(people)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        too_many = has_people & (
            np.isnan(population)
            | (people > population)
            | ((cols["group"] != describes) & ~np.isnan(group_size) & (people > group_size))
        )
        timing = (cols["ramp_written"] > cols["duration_written"]) | (cols["start"] >= horizon)
        effect = cols["change"].astype(np.float64) * cols["reach"] / cols["scale"]
        infinite = ~np.isfinite(effect)
    early = cols["start"] < 0
    unpopulated = (cols["value"] >= 0) & cols["times_people"] & np.isnan(population)
    return [
        ("people", too_many),
        ("timing", timing),
        ("effect", infinite),
        ("early", early),
        ("unpopulated", unpopulated),
    ]


MAX_HORIZON_YEARS = 1000
"""Longest assessment horizon scored: a millennium, far beyond any appraisal guidance, and
small enough that the yearly arrays stay small."""
YEAR_RANGE = (1800, 2300)
"""Calendar years a base year may take (the years that proposals may use)."""


def _check_settings(framework: Framework, base: int) -> None:
    """Refuse settings that would give no figure or a meaningless one, before any work."""
    problems: list[Problem] = []
    years = framework.generations.assessment_years
    if years > MAX_HORIZON_YEARS:
        problems.append(
            Problem(
                f"the assessment horizon is {years:,} years; at most {MAX_HORIZON_YEARS} are "
                "scored",
                ("generations", "assessment_horizon"),
            )
        )
    if not YEAR_RANGE[0] <= base <= YEAR_RANGE[1]:
        problems.append(
            Problem(f"base year {base} is outside {YEAR_RANGE[0]}-{YEAR_RANGE[1]}", ("base_year",))
        )
    weights = [
        ref.weight * domain.weight for domain in framework.domains for ref in domain.indicators
    ]
    if weights and not any(w > 0 for w in weights):
        problems.append(
            Problem(
                "every indicator or domain weight is 0: every score would be 0",
                ("domains",),
            )
        )
    if problems:
        raise ValidationError(problems, summary=f"framework {framework.id!r} cannot be scored")


def _identical_impacts(proposal: Proposal) -> list[tuple[int, int]]:
    """(impact, the earlier identical impact) pairs: a row or entry written twice."""
    first: dict[Impact, int] = {}
    pairs = []
    for j, impact in enumerate(proposal.impacts):
        try:
            earlier = first.setdefault(impact, j)
        except TypeError:  # an unhashable value inside (never from our loaders)
            continue
        if earlier != j:
            pairs.append((j, earlier))
    return pairs


def _timing_problem(impact: Impact, offset: int, base: int, framework: Framework) -> str | None:
    """Why an impact's timing cannot be scored as written, or ``None``."""
    timing = impact.timing
    if timing.ramp_up_years > timing.duration_years:
        return (
            f"ramp_up ({timing.ramp_up}) is longer than duration ({timing.duration}), which "
            "includes it: the impact would never reach its full size"
        )
    horizon = framework.generations.assessment_years
    if offset >= horizon:
        return (
            f"starts in {timing.start}, after the assessment horizon ({horizon} years from "
            f"{base}, up to {base + horizon - 1}): its effect would not be counted"
        )
    return None


def rate_schedule(spec: DiscountSpec, years: int) -> FloatArray:
    """The yearly rate applied in each year ``0 .. years - 1`` (year 0's is never used)."""
    rates = np.zeros(years, dtype=np.float64)
    if spec.kind == "constant":
        rates[:] = spec.rate_for_year(1)
    elif spec.kind == "declining":
        for band in spec.schedule:
            rates[min(band.from_year, years) :] = band.fraction
    return rates


def _currencies(bids: ProposalSet, arrays: TableArrays | None) -> set[str]:
    """The currencies the proposals count money in."""
    if arrays is not None:
        used = {arrays.units[u] for u in np.unique(arrays.cost_unit).tolist()}
        return {c for c in (currency_of(u) for u in used) if c is not None}
    return {line.currency for p in bids for line in (*p.costs, *p.fiscal_effects)}


def _refuse_foreign_currency(framework: Framework, currencies: set[str]) -> None:
    """One clear message when the proposals count money in another currency altogether,
    rather than one per money line (currencies are never converted)."""
    if currencies and framework.currency not in currencies:
        raise ValidationError(
            [
                Problem(
                    f"the proposals count money in {', '.join(sorted(currencies))}; framework "
                    f"{framework.id!r} counts money in {framework.currency}. Currencies are never "
                    "converted: score them under a framework in their currency, or extend this "
                    "framework with currency: " + sorted(currencies)[0],
                    (),
                )
            ],
            summary=f"the proposals do not fit framework {framework.id!r}",
        )


def _earliest_year(bids: ProposalSet, arrays: TableArrays | None, default: int) -> int:
    """The first year anything happens: the earliest cost, fiscal effect or impact start."""
    if arrays is not None:
        found = [int(a.min()) for a in (arrays.cost_year, arrays.start) if len(a)]
        return min(found) if found else default
    years = [
        *(line.year for p in bids for line in (*p.costs, *p.fiscal_effects)),
        *(math.floor(impact.timing.start) for p in bids for impact in p.impacts),
    ]
    return min(years) if years else default


def _reach(
    impact: Impact,
    indicator: Indicator,
    described: tuple[float, Source] | None,
    reached: tuple[float, Source] | None,
) -> tuple[float, str | None]:
    """The share of the population the indicator describes that a per-person change reaches
    (1 for a change to the indicator as a whole), or why it cannot be scaled."""
    people = impact.people_count
    if people is None:
        return 1.0, None
    if described is None:
        return 1.0, (
            f"indicator {indicator.id!r} describes {indicator.describes!r}, whose size the "
            "framework does not give, so a per-person change cannot be scaled to it"
        )
    size, source = described
    if people > size:
        return 1.0, (
            f"{people:,.0f} people is more than the {size:,.0f} of {indicator.describes!r} that "
            f"{indicator.id!r} describes (source: {source.title})"
        )
    if impact.group != indicator.describes and reached is not None and people > reached[0]:
        return 1.0, (
            f"{people:,.0f} people is more than the {reached[0]:,.0f} in group {impact.group!r}"
        )
    return people / size, None


def _pricing(
    framework: Framework, indicator_ids: Sequence[str]
) -> dict[str, tuple[str, float, bool, float, float, float]]:
    """For each priced indicator: the value's label, units of the value per unit of the
    indicator, whether it counts people, and low, central and high money per unit in the
    framework's currency and prices. Converted once per indicator, not per impact."""
    by_id = {i.id: i for i in framework.indicators}
    priced: dict[str, tuple[str, float, bool, float, float, float]] = {}
    for indicator_id in dict.fromkeys(indicator_ids):
        indicator = by_id[indicator_id]
        value = framework.value_of(indicator)
        if value is None:
            continue
        factor = framework.price_factor(value)
        assert factor is not None  # the framework refuses values it cannot bring to its prices
        per_unit, times_people = value_conversion(indicator.unit, value)
        label = (
            value.id if isinstance(indicator.value, str) and value.id else f"{indicator.id}:value"
        )
        priced[indicator_id] = (
            label,
            per_unit,
            times_people,
            value.low_amount * factor,
            value.central_amount * factor,
            value.high_amount * factor,
        )
    return priced
