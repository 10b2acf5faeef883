"""Scorecards: the scores of a set of proposals under a framework, as pandas tables.

>>> import wellbeing_budget as wb
>>> card = wb.score(
...     wb.load_framework("nz-wellbeing-budget-2019"),
...     wb.load_proposals("examples/nz-wellbeing-budget-2019/proposals.yaml"),
... )
>>> {"current_total", "future_total", "net_cost_npv"} <= set(card.summary().columns)
True
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from html import escape
from typing import Any

import numpy as np
import pandas as pd

from ..engine.compile import PILLARS, CompiledBudget, compile_budget, rate_schedule
from ..engine.scoring import EVIDENCE_LEVELS, EngineResult, run_engine
from ..engine.timeprofile import discounted_sums
from ..errors import UnknownIdError, WellbeingBudgetError, did_you_mean
from ..io.files import csv_text, write_text_atomic
from ..io.loading import list_discount_schedules, load_discount_schedule
from ..model.framework import DiscountSpec, Framework
from ..model.proposal import Proposal, ProposalSet
from .reexpress import reexpress

__all__ = ["Explanation", "Scorecard", "score"]

GENERATIONS = ("current", "future")
PILLAR_NAMES = tuple(p.value for p in PILLARS)


def _spec(value: DiscountSpec | Mapping[str, Any] | str | None) -> DiscountSpec | None:
    if value is None or isinstance(value, DiscountSpec):
        return value
    if isinstance(value, str):
        return load_discount_schedule(value)
    return DiscountSpec.model_validate(value)


def score(
    framework: Framework,
    proposals: ProposalSet | Sequence[Proposal],
    *,
    base_year: int | None = None,
    wellbeing_discount: DiscountSpec | Mapping[str, Any] | str | None = None,
    money_discount: DiscountSpec | Mapping[str, Any] | str | None = None,
    future_weight: float | None = None,
    evidence_weights: Mapping[str, float] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Scorecard:
    """Score proposals under a framework.

    Args:
        framework: the framework (see :func:`~wellbeing_budget.load_framework`).
        proposals: from :func:`~wellbeing_budget.load_proposals`, or a list of
            :class:`~wellbeing_budget.Proposal`.
        base_year: year 0 of the time profiles and discounting; the framework's price year
            by default.
        wellbeing_discount, money_discount: override the framework's schedules with a
            :class:`DiscountSpec`, its YAML mapping, a named schedule
            (``"nz-treasury-2024-non-commercial"``, ``"uk-green-book-standard"``...) or
            ``"none"``.
        future_weight: when given, ``summary()`` adds ``combined_total = current +
            future_weight x future``. Without it the generations are never added up.
        evidence_weights: multiply effects by evidence strength, e.g.
            ``{"high": 1, "medium": 0.75, "low": 0.5}``; by default the framework's
            expected-value adjustments (``uncertainty:``; all 1 unless it declares others).
        progress: called now and then with (proposals checked, proposals in all).
    """
    if future_weight is not None and not (math.isfinite(future_weight) and future_weight >= 0):
        raise WellbeingBudgetError(f"future_weight must be a number >= 0, got {future_weight!r}")
    if evidence_weights:
        unknown = set(evidence_weights) - set(EVIDENCE_LEVELS)
        if unknown:
            raise WellbeingBudgetError(
                f"evidence_weights takes {', '.join(EVIDENCE_LEVELS)}; got {sorted(unknown)}"
            )
        bad = {
            k: v
            for k, v in evidence_weights.items()
            if isinstance(v, bool)
            or not isinstance(v, int | float)
            or not (math.isfinite(v) and v >= 0)
        }
        if bad:
            raise WellbeingBudgetError(f"evidence weights must be finite numbers >= 0, got {bad}")
        if not any(v > 0 for v in evidence_weights.values()):
            raise WellbeingBudgetError("evidence weights are all 0: every score would be 0")
    if evidence_weights is None:
        evidence_weights = _expected_value_adjustments(framework)
    compiled = compile_budget(
        framework,
        proposals,
        base_year=base_year,
        wellbeing_discount=_spec(wellbeing_discount),
        money_discount=_spec(money_discount),
        progress=progress,
    )
    return Scorecard(
        compiled, run_engine(compiled, evidence_weights), future_weight, evidence_weights
    )


def _expected_value_adjustments(framework: Framework) -> dict[str, float] | None:
    """The framework's evidence adjustments as evidence weights; None when all are 1, so a
    framework that declares none scores exactly as before."""
    adjustments = framework.uncertainty_settings.adjustments
    return None if all(v == 1.0 for v in adjustments.values()) else adjustments


@dataclass(frozen=True, eq=False)
class Explanation:
    """Every step from the values written for one proposal to its figures."""

    proposal: Proposal
    impacts: pd.DataFrame
    money: pd.DataFrame
    totals: dict[str, float]
    notes: tuple[str, ...]

    def __str__(self) -> str:
        lines = [f"{self.proposal.id}: {self.proposal.title}", *self.notes, ""]
        with pd.option_context("display.width", 200, "display.max_columns", 40):
            lines.append(self.impacts.to_string(index=False))
            if len(self.money):
                lines += ["", self.money.to_string(index=False)]
        lines.append("")
        lines += [f"{k}: {v:,.6g}" for k, v in self.totals.items()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{escape(n)}</li>" for n in self.notes)
        money = self.money.to_html(index=False, escape=True) if len(self.money) else ""
        totals = "".join(
            f"<tr><th>{escape(k)}</th><td>{v:,.6g}</td></tr>" for k, v in self.totals.items()
        )
        return (
            f"<h4>{escape(self.proposal.id)}: {escape(self.proposal.title)}</h4><ul>{notes}</ul>"
            f"{self.impacts.to_html(index=False, escape=True)}{money}<table>{totals}</table>"
        )


class Scorecard:
    """The scores of proposals under one framework, both generations side by side."""

    def __init__(
        self,
        compiled: CompiledBudget,
        result: EngineResult,
        future_weight: float | None = None,
        evidence_weights: Mapping[str, float] | None = None,
    ) -> None:
        self.compiled = compiled
        self.result = result
        self.future_weight = future_weight
        self.evidence_weights = dict(evidence_weights) if evidence_weights else None
        # The summary and each proposal's position, computed once: explaining every proposal
        # would otherwise recompute the summary each time.
        self._summary: pd.DataFrame | None = None
        self._positions: dict[str, int] | None = None
        self.decision: dict[str, Any] = {}
        """The latest simulation, sensitivity and package run on this card (the report and
        the exports show them)."""

    # -- basic facts -------------------------------------------------------------------------

    @property
    def framework(self) -> Framework:
        """The framework the proposals were scored under."""
        return self.compiled.framework

    @property
    def proposals(self) -> ProposalSet:
        """The proposals, in the order given."""
        return self.compiled.proposals

    @property
    def base_year(self) -> int:
        """Year 0 of profiles and discounting."""
        return self.compiled.base_year

    @property
    def currency(self) -> str:
        """The currency of every money figure."""
        return self.framework.currency

    def __len__(self) -> int:
        return len(self.proposals)

    def __repr__(self) -> str:
        return (
            f"<Scorecard: {len(self)} proposals under {self.framework.id}, base year "
            f"{self.base_year}>"
        )

    # -- per impact ----------------------------------------------------------------------------

    def _impact_pillar(self) -> np.ndarray[Any, np.dtype[np.int64]]:
        c = self.compiled
        return c.domain_pillar[c.indicator_domain[c.impact_indicator]]

    def _weighted(self) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        return self.result.current * self.result.weight, self.result.future * self.result.weight

    # -- tables --------------------------------------------------------------------------------

    def to_frame(self) -> pd.DataFrame:
        """The tidy truth: one row per proposal, indicator, group and generation.

        ``effect_years`` is the weighted contribution to the scores (the sum of a proposal's
        rows is its total); ``weight`` is the weight applied.
        """
        c = self.compiled
        now, later = self._weighted()
        framework = self.framework
        domain_of = [framework.domains[d] for d in c.indicator_domain]
        per_impact = pd.DataFrame(
            {
                "proposal": np.array(self.proposals.ids, dtype=object)[c.impact_proposal],
                "pillar": np.array([d.pillar.value for d in domain_of], dtype=object)[
                    c.impact_indicator
                ],
                "domain": np.array([d.id for d in domain_of], dtype=object)[c.impact_indicator],
                "indicator": np.array(c.indicator_ids, dtype=object)[c.impact_indicator],
                "group": np.array(c.groups, dtype=object)[c.impact_group]
                if c.groups
                else np.array([], dtype=object),
                "weight": self.result.weight,
                "current": now,
                "future": later,
            }
        )
        keys = ["proposal", "pillar", "domain", "indicator", "group"]
        grouped = per_impact.groupby(keys, sort=False).agg(
            weight=("weight", "first"), current=("current", "sum"), future=("future", "sum")
        )
        tidy = grouped.reset_index().melt(
            id_vars=[*keys, "weight"],
            value_vars=list(GENERATIONS),
            var_name="generation",
            value_name="effect_years",
        )
        order = {ident: n for n, ident in enumerate(self.proposals.ids)}
        tidy["_p"] = tidy["proposal"].map(order)
        tidy["_g"] = tidy["generation"].map({"current": 0, "future": 1})
        tidy = tidy.sort_values(["_p", "_g"], kind="stable").drop(columns=["_p", "_g"])
        columns = [*keys, "generation", "effect_years", "weight"]
        return tidy[columns].reset_index(drop=True)

    def summary(self, sort_by: str | None = None) -> pd.DataFrame:
        """One row per proposal: current and future effect-years by pillar and in total, cost,
        fiscal and net cost NPVs, cost-effectiveness and breadth across silos.

        Cost-effectiveness (``ce_current``, ``ce_future``) is effect-years per million of net
        cost NPV; it is left empty when the net cost is zero or negative (the proposal pays for
        itself). Breadth counts agencies, and pillars and domains with a non-zero effect.
        """
        if self._summary is None:
            self._summary = self._compute_summary()
        frame = self._summary.copy()
        frame.attrs.update(self._summary.attrs)
        if sort_by is not None:
            if sort_by not in frame.columns:
                raise WellbeingBudgetError(
                    f"cannot sort by {sort_by!r}{did_you_mean(sort_by, list(frame.columns))}"
                )
            frame = frame.sort_values(sort_by, ascending=False, kind="stable")
        return frame

    def _compute_summary(self) -> pd.DataFrame:
        c = self.compiled
        n = len(self.proposals)
        k = len(PILLARS)
        now, later = self._weighted()
        slot = c.impact_proposal * k + self._impact_pillar()
        by_pillar_now = np.bincount(slot, weights=now, minlength=n * k).reshape(n, k)
        by_pillar_later = np.bincount(slot, weights=later, minlength=n * k).reshape(n, k)
        # Read a column at a time: a set loaded from a table builds no proposal for this.
        bids = self.proposals
        frame = pd.DataFrame(
            {"title": list(bids.titles), "lead_agency": list(bids.lead_agencies)},
            index=pd.Index(list(bids.ids), name="proposal"),
        )
        for i, name in enumerate(PILLAR_NAMES):
            frame[f"current_{name}"] = by_pillar_now[:, i]
        frame["current_total"] = by_pillar_now.sum(axis=1)
        for i, name in enumerate(PILLAR_NAMES):
            frame[f"future_{name}"] = by_pillar_later[:, i]
        frame["future_total"] = by_pillar_later.sum(axis=1)
        if self.future_weight is not None:
            frame["combined_total"] = (
                frame["current_total"] + self.future_weight * frame["future_total"]
            )
        frame["cost_npv"] = self.result.cost_npv
        frame["fiscal_npv"] = self.result.fiscal_npv
        net = self.result.cost_npv - self.result.fiscal_npv
        frame["net_cost_npv"] = net
        millions = np.where(net > 0, net / 1e6, np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            frame["ce_current"] = frame["current_total"].to_numpy() / millions
            frame["ce_future"] = frame["future_total"].to_numpy() / millions
        frame["benefit_npv"] = self.result.benefit_npv
        frame["benefit_npv_low"] = self.result.benefit_npv_low
        frame["benefit_npv_high"] = self.result.benefit_npv_high
        public_cost = net * (1.0 + c.public_funds)
        frame["npsv"] = self.result.benefit_npv - public_cost
        priced = np.bincount(c.impact_proposal, c.impact_value >= 0, minlength=n) > 0
        usable = (public_cost > 0) & priced
        # Without a priced effect a ratio of 0 would read as "worthless"; it is unknown.
        frame["bcr"] = np.where(
            usable, self.result.benefit_npv / np.where(usable, public_cost, 1.0), np.nan
        )
        size = np.abs(now) + np.abs(later)
        frame["monetised_share"] = _share(c.impact_proposal, size, c.impact_value >= 0, n)
        judged = c.indicator_judgement[c.impact_indicator]
        frame["judgement_share"] = _share(c.impact_proposal, size, judged, n)
        wealth = c.domain_wealth[c.indicator_domain[c.impact_indicator]]
        frame["current_wealth"] = np.bincount(c.impact_proposal, now * wealth, minlength=n)
        frame["future_wealth"] = np.bincount(c.impact_proposal, later * wealth, minlength=n)
        frame["n_agencies"] = [len(agencies) for agencies in bids.agencies]
        nonzero = (now != 0) | (later != 0)
        domains = c.indicator_domain[c.impact_indicator]
        frame["n_pillars"] = _distinct_counts(c.impact_proposal, self._impact_pillar(), nonzero, n)
        frame["n_domains"] = _distinct_counts(c.impact_proposal, domains, nonzero, n)
        frame.attrs.update(
            currency=self.currency, base_year=self.base_year, framework=self.framework.id
        )
        return frame

    def domain_effects(self) -> pd.DataFrame:
        """Effect-years by proposal and domain *before* domain weights (indicator and evidence
        weights applied), both generations: what a re-weighting multiplies.

        A proposal's total is the sum over domains of the domain's weight times these, so the
        dashboard's sliders can re-weight without scoring again:

        >>> import numpy as np, wellbeing_budget as wb
        >>> card = wb.score(
        ...     wb.load_framework("nz-wellbeing-budget-2019"),
        ...     wb.load_proposals("examples/nz-wellbeing-budget-2019/proposals.yaml"),
        ... )
        >>> table = card.domain_effects()
        >>> weights = np.array([d.weight for d in card.framework.domains])
        >>> np.allclose(table["current"].to_numpy() @ weights, card.summary().current_total)
        True
        """
        c, r = self.compiled, self.result
        n, k = len(self.proposals), len(c.domain_ids)
        base = c.indicator_own_weight[c.impact_indicator] * r.evidence_weight
        slot = c.impact_proposal * k + c.indicator_domain[c.impact_indicator]
        ids = pd.Index(list(self.proposals.ids), name="proposal")
        domains = pd.Index(list(c.domain_ids), name="domain")
        tables = {
            generation: pd.DataFrame(
                np.bincount(slot, weights=values * base, minlength=n * k).reshape(n, k),
                index=ids,
                columns=domains,
            )
            for generation, values in (("current", r.current), ("future", r.future))
        }
        return pd.concat(tables, axis=1, names=["generation", "domain"])

    def with_wellbeing_discount(
        self, discount: DiscountSpec | Mapping[str, Any] | str
    ) -> Scorecard:
        """The same proposals scored with another wellbeing discount schedule (a
        :class:`DiscountSpec`, its mapping or a named schedule); nothing is compiled again,
        and the result equals :func:`score` with ``wellbeing_discount=discount``."""
        spec = _spec(discount)
        assert spec is not None
        compiled = replace(
            self.compiled,
            wellbeing_discount=spec,
            wellbeing_rates=rate_schedule(spec, self.compiled.assessment_years),
        )
        return Scorecard(
            compiled,
            run_engine(compiled, self.evidence_weights),
            self.future_weight,
            self.evidence_weights,
        )

    def wellbeing_discount_variants(self) -> list[tuple[str, DiscountSpec, Scorecard]]:
        """This scorecard (keyed ``"scored"``), then the same proposals under each built-in
        wellbeing discount schedule that differs from the one used, by schedule name: the
        choices the dashboard precomputes."""
        own = self.compiled.wellbeing_discount
        plain = own.model_copy(update={"inherited_from": None})
        variants: list[tuple[str, DiscountSpec, Scorecard]] = [("scored", own, self)]
        for name in list_discount_schedules():
            spec = load_discount_schedule(name)
            if spec != plain:
                variants.append((name, spec, self.with_wellbeing_discount(spec)))
        return variants

    def by_group(self) -> pd.DataFrame:
        """Effect-years by proposal and population group, both generations."""
        tidy = self.to_frame()
        table = tidy.pivot_table(
            index=["proposal", "group"],
            columns="generation",
            values="effect_years",
            aggfunc="sum",
            sort=False,
        ).reindex(columns=list(GENERATIONS), fill_value=0.0)
        table.columns.name = None
        return table.reset_index()

    # -- explanation ---------------------------------------------------------------------------

    def explain(self, proposal_id: str) -> Explanation:
        """Every step from the values written for a proposal to its figures: the change
        converted to the indicator's unit, the standard effect, the profile sums before and
        after discounting, the weights, and the present value of each money line."""
        if self._positions is None:
            positions: dict[str, int] = {}
            for n, ident in enumerate(self.proposals.ids):
                positions.setdefault(ident, n)
            self._positions = positions
        p = self._positions.get(proposal_id, -1)
        if p < 0:
            ids = list(self._positions)
            raise UnknownIdError(f"no proposal {proposal_id!r}{did_you_mean(proposal_id, ids)}")
        proposal = self.proposals[p]
        c = self.compiled
        horizon, split = c.assessment_years, c.current_years
        framework = self.framework
        # Impacts are compiled proposal by proposal, so a proposal's rows are one slice of
        # the steps table, built once for every impact.
        lo, hi = np.searchsorted(c.impact_proposal, [p, p + 1])
        steps = self._steps()
        impacts = steps.iloc[int(lo) : int(hi)]
        impacts.index = pd.RangeIndex(len(impacts))
        money_rows = self._money_steps(p)
        figures = self._totals()
        totals = {key: float(figures[key][p]) for key in _EXPLAINED_TOTALS}
        w, m = c.wellbeing_discount, c.money_discount
        notes = (
            f"base year {self.base_year}; current generation: years 0-{split - 1}, future: "
            f"{split}-{horizon - 1}",
            "reach = people / population of the group the indicator describes (1 without "
            "people); standard_effect = change x reach x direction sign / scale; effect-years = "
            "discounted profile sum x standard effect; weighted = effect-years x weight",
            f"wellbeing discounting: {w.name or w.kind}; money discounting: {m.name or m.kind}; "
            f"money in {self.currency} at {framework.price_year} prices",
            *self._money_notes(),
        )
        return Explanation(proposal, impacts, money_rows, totals, notes)

    def _totals(self) -> dict[str, np.ndarray[Any, Any]]:
        """The summary's columns that :meth:`explain` shows, as arrays (kept)."""
        cached: dict[str, np.ndarray[Any, Any]] | None = getattr(self, "_totals_arrays", None)
        if cached is None:
            if self._summary is None:
                self._summary = self._compute_summary()
            cached = {
                key: self._summary[key].to_numpy(dtype=np.float64) for key in _EXPLAINED_TOTALS
            }
            self._totals_arrays = cached
        return cached

    def _steps(self) -> pd.DataFrame:
        """One row per impact with every step :meth:`explain` shows (built once)."""
        cached: pd.DataFrame | None = getattr(self, "_steps_table", None)
        if cached is not None:
            return cached
        c, r = self.compiled, self.result
        framework = self.framework
        by_id = {i.id: i for i in framework.indicators}
        ones = np.ones(c.assessment_years, dtype=np.float64)
        (years_now, years_later), (disc_now, disc_later) = discounted_sums(
            c.impact_start,
            c.impact_ramp,
            c.impact_duration,
            c.impact_persistence,
            [ones, r.discount],
            c.current_years,
        )
        facts = {}
        for ident in c.indicator_ids:
            indicator = by_id[ident]
            described = framework.group_population(indicator.describes)
            value = framework.value_of(indicator)
            facts[ident] = (
                indicator,
                described[1].title if described else None,
                ((value.id or "inline"), value.central_amount, value.price_year)
                if value
                else (None, None, None),
                value.source.title if value else None,
            )
        columns: dict[str, list[Any]] = {
            name: []
            for name in (
                "impact",
                "indicator",
                "group",
                "evidence",
                "written",
                "unit",
                "people",
                "describes",
                "population_source",
                "direction",
                "scale_basis",
                "value",
                "value_per_unit",
                "value_price_year",
                "value_source",
            )
        }
        # What was written, read a column at a time (a set loaded from a table builds no
        # proposal for this); compiled row k is impact impact_index[k] of its proposal.
        written_impacts = self.proposals.impact_columns()
        first = np.concatenate(
            [[0], np.cumsum(np.bincount(written_impacts.proposal, minlength=len(self)))]
        ).astype(np.int64)
        at = (first[c.impact_proposal] + c.impact_index).tolist()
        changes, relatives = written_impacts.change, written_impacts.relative_change
        evidences, people_counts = written_impacts.evidence, written_impacts.people_counts
        for row in range(c.n_impacts):
            k = at[row]
            change = changes[k]
            indicator, population_source, (value_label, per_unit, price_year), value_source = facts[
                c.indicator_ids[c.impact_indicator[row]]
            ]
            columns["impact"].append(int(c.impact_index[row]))
            columns["indicator"].append(indicator.id)
            columns["group"].append(c.groups[c.impact_group[row]])
            columns["evidence"].append(evidences[k])
            columns["written"].append(
                str(change) if change is not None else "relative " + str(relatives[k])
            )
            columns["unit"].append(indicator.unit)
            columns["people"].append(people_counts[k])
            columns["describes"].append(indicator.describes)
            columns["population_source"].append(population_source)
            columns["direction"].append(indicator.direction.kind)
            columns["scale_basis"].append(indicator.scale_basis)
            columns["value"].append(value_label)
            columns["value_per_unit"].append(per_unit)
            columns["value_price_year"].append(price_year)
            columns["value_source"].append(value_source)
        priced = c.impact_value >= 0
        numbers = {
            "change": c.impact_change,
            "population": c.impact_population,
            "reach": c.impact_reach,
            "scale": c.impact_scale,
            "standard_effect": c.impact_effect,
            "years_current": years_now,
            "years_future": years_later,
            "discounted_current": disc_now,
            "discounted_future": disc_later,
            "effect_years_current": r.current,
            "effect_years_future": r.future,
            "weight": r.weight,
            "weighted_current": r.current * r.weight,
            "weighted_future": r.future * r.weight,
            "money_per_year": np.where(priced, c.impact_money, np.nan),
            "benefit_pv": np.where(priced, c.impact_money * r.money_years, np.nan),
        }
        order = [
            "impact",
            "indicator",
            "group",
            "evidence",
            "written",
            "change",
            "unit",
            "people",
            "describes",
            "population",
            "population_source",
            "reach",
            "direction",
            "scale",
            "scale_basis",
            "standard_effect",
            "years_current",
            "years_future",
            "discounted_current",
            "discounted_future",
            "effect_years_current",
            "effect_years_future",
            "weight",
            "weighted_current",
            "weighted_future",
            "value",
            "value_per_unit",
            "value_price_year",
            "value_source",
            "money_per_year",
            "benefit_pv",
        ]
        merged: dict[str, Any] = {**columns, **numbers}
        table = pd.DataFrame({name: merged[name] for name in order})
        self._steps_table = table
        return table

    def _money_steps(self, p: int) -> pd.DataFrame:
        """Each money line of proposal ``p``, its discount factor and present value (the
        table of every proposal's lines is built once)."""
        cached: tuple[pd.DataFrame, np.ndarray[Any, Any]] | None = getattr(
            self, "_money_table", None
        )
        if cached is None:
            r = self.result
            names = ("kind", "year", "written", "amount", "discount_factor", "present_value")
            columns: dict[str, list[Any]] = {name: [] for name in names}
            lines = self.proposals.money_columns()
            for kind, year, written in zip(lines.kind, lines.year, lines.amount, strict=True):
                amount = written.to(self.currency)
                factor = float(r.money_discount[year - self.base_year])
                columns["kind"].append(kind)
                columns["year"].append(year)
                columns["written"].append(str(written))
                columns["amount"].append(amount)
                columns["discount_factor"].append(factor)
                columns["present_value"].append(amount * factor)
            cached = (pd.DataFrame(columns), np.asarray(lines.proposal, dtype=np.int64))
            self._money_table = cached
        table, owners = cached
        lo, hi = np.searchsorted(owners, [p, p + 1])
        if lo == hi:
            return pd.DataFrame()
        rows = table.iloc[int(lo) : int(hi)]
        rows.index = pd.RangeIndex(len(rows))
        return rows

    def _money_notes(self) -> tuple[str, ...]:
        framework = self.framework
        values = framework.values
        notes = [
            "benefit_pv = money per year at full level x profile sum discounted with the money "
            "schedule; money is never added to effect-years"
            + (
                f"; values from {values.name} ({values.id})"
                if values is not None
                else "; the framework selects no value set"
            )
        ]
        if framework.public_funds is not None:
            notes.append(
                f"marginal cost of public funds {framework.public_funds.fraction:.0%} "
                f"({framework.public_funds.source.title}): npsv and bcr count net public cost "
                f"x {1 + framework.public_funds.fraction:g}"
            )
        if framework.deflator is not None:
            notes.append(
                f"values brought to {framework.price_year} prices with "
                f"{framework.deflator.source.title}"
            )
        return tuple(notes)

    def unmonetised(self) -> pd.DataFrame:
        """Every impact whose effect has no money value, and why: it is counted in
        effect-years, never dropped (``monetised_share`` in :meth:`summary` says how much of a
        proposal's effect is priced)."""
        c, r = self.compiled, self.result
        framework = self.framework
        by_id = {i.id: i for i in framework.indicators}
        ids = self.proposals.ids
        rows = []
        for k in np.flatnonzero(c.impact_value < 0):
            indicator = by_id[c.indicator_ids[c.impact_indicator[k]]]
            if indicator.value is None:
                reason = "the indicator names no value"
            elif framework.values is None:
                reason = (
                    f"it names value {indicator.value!r}, but the framework selects no value set"
                )
            else:
                reason = f"value set {framework.values.id!r} has no value {indicator.value!r}"
            rows.append(
                {
                    "proposal": ids[int(c.impact_proposal[k])],
                    "impact": int(c.impact_index[k]),
                    "indicator": indicator.id,
                    "effect_years_current": r.current[k] * r.weight[k],
                    "effect_years_future": r.future[k] * r.weight[k],
                    "reason": reason,
                }
            )
        columns = [
            "proposal",
            "impact",
            "indicator",
            "effect_years_current",
            "effect_years_future",
            "reason",
        ]
        return pd.DataFrame(rows, columns=columns)

    def impacts_frame(self) -> pd.DataFrame:
        """One row per impact of every proposal, with the steps of :meth:`explain`."""
        c, r = self.compiled, self.result
        by_id = {i.id: i for i in self.framework.indicators}
        ids = np.array(self.proposals.ids, dtype=object)
        indicator_ids = np.array(c.indicator_ids, dtype=object)[c.impact_indicator]
        return pd.DataFrame(
            {
                "proposal": ids[c.impact_proposal],
                "impact": c.impact_index,
                "indicator": indicator_ids,
                "unit": [by_id[i].unit for i in indicator_ids],
                "group": np.array(c.groups, dtype=object)[c.impact_group]
                if c.groups
                else np.array([], dtype=object),
                "evidence": np.array(EVIDENCE_LEVELS, dtype=object)[c.impact_evidence],
                "change": c.impact_change,
                "reach": c.impact_reach,
                "sign": c.impact_sign,
                "scale": c.impact_scale,
                "standard_effect": c.impact_effect,
                "effect_years_current": r.current,
                "effect_years_future": r.future,
                "weight": r.weight,
                "weighted_current": r.current * r.weight,
                "weighted_future": r.future * r.weight,
            }
        )

    def to_framework(self, target: Any, crosswalk: Any = None) -> Any:
        """The scores re-expressed in another framework's domains, through the built-in
        crosswalk between the two (or the pillars they share): see
        :func:`wellbeing_budget.analysis.reexpress.reexpress`."""
        return reexpress(self, target, crosswalk)

    # -- deciding (analysis/uncertainty.py, sensitivity.py, portfolio.py) ----------------------

    def simulate(self, draws: int = 10_000, seed: int = 0, **options: Any) -> Any:
        """Monte Carlo over effect sizes, judgement scales, values, domain weights, costs and
        (given ``discount=[schedules]``) the discount schedule, each switchable (``effects``,
        ``scales``, ``values``, ``weights``, ``costs``: True by default). Returns a
        :class:`~wellbeing_budget.analysis.uncertainty.Simulation`; see that module."""
        from .uncertainty import simulate

        result = simulate(self, draws, seed, **options)
        self.decision["simulation"] = result
        return result

    def sensitivity(self, **options: Any) -> Any:
        """One input at a time: ranks, package and switch points; see
        :func:`wellbeing_budget.analysis.sensitivity.sensitivity`."""
        from .sensitivity import sensitivity

        result = sensitivity(self, **options)
        self.decision["sensitivity"] = result
        return result

    def choose(self, **options: Any) -> Any:
        """The best package within the money limits; see
        :func:`wellbeing_budget.analysis.portfolio.choose`."""
        from .portfolio import choose

        result = choose(self, **options)
        self.decision["package"] = result
        return result

    def frontier(self, **options: Any) -> pd.DataFrame:
        """Efficient packages trading current against future generations (shown in the
        report once computed); see :func:`wellbeing_budget.analysis.portfolio.frontier`."""
        from .portfolio import frontier

        return frontier(self, **options)

    def decision_tables(self, max_rank: int = 10) -> dict[str, pd.DataFrame]:
        """The decision analyses this card carries (:attr:`decision`), as the tables the
        exports write: ``uncertainty`` (scored value and percentiles of every figure, and
        P(first)), ``rank_probabilities`` (P(rank <= k) for k up to ``max_rank``), ``package``,
        ``package_limits`` (use and slack of each limit), ``package_excluded`` (with the
        reason) and ``tornado``. A table appears only when its analysis was run.

        >>> import wellbeing_budget as wb
        >>> card = wb.score(
        ...     wb.load_framework("nz-wellbeing-budget-2019"),
        ...     wb.load_proposals("examples/nz-wellbeing-budget-2019/proposals.yaml"),
        ... )
        >>> card.decision_tables()
        {}
        >>> _ = card.choose(limits="1 billion NZD")
        >>> sorted(card.decision_tables())
        ['package', 'package_excluded', 'package_limits']
        """
        tables: dict[str, pd.DataFrame] = {}
        simulation = self.decision.get("simulation")
        if simulation is not None:
            tables["uncertainty"] = simulation.summary().reset_index()
            ranks = simulation.rank_probabilities(max_rank)
            ranks.columns = [f"rank_at_most_{k}" for k in ranks.columns]
            tables["rank_probabilities"] = ranks.reset_index()
        package = self.decision.get("package")
        if package is not None:
            tables["package"] = package.chosen.reset_index()
            tables["package_limits"] = package.limits.reset_index(drop=True)
            tables["package_excluded"] = package.excluded.reset_index(drop=True)
        sensitivity = self.decision.get("sensitivity")
        if sensitivity is not None:
            tables["tornado"] = sensitivity.tornado()
        return tables

    def _decision_json(self) -> dict[str, Any]:
        """The decision analyses for :meth:`to_json` (see the schema in the docs)."""
        out: dict[str, Any] = {}
        simulation = self.decision.get("simulation")
        if simulation is not None:
            table = simulation.summary()
            ranks = simulation.rank_probabilities(10).to_numpy(dtype=np.float64)
            figures = [c for c in table.columns if f"{c}_p5" in table.columns]
            entries = []
            for n, proposal_id in enumerate(table.index.tolist()):
                entry: dict[str, Any] = {"id": proposal_id}
                for name in figures:
                    entry[name] = {
                        key: _number(table[f"{name}{suffix}"].iloc[n])
                        for key, suffix in (
                            ("scored", ""),
                            ("p5", "_p5"),
                            ("p50", "_p50"),
                            ("p95", "_p95"),
                        )
                    }
                entry["rank_at_most"] = [_number(v) for v in ranks[n]]
                entries.append(entry)
            settings = simulation.settings
            out["simulation"] = {
                "draws": settings["draws"],
                "seed": settings["seed"],
                "rank_by": settings["rank_by"],
                "discount": list(settings["discount"]),
                "inputs": {
                    key: bool(settings[key])
                    for key in ("effects", "scales", "values", "weights", "costs")
                },
                "proposals": entries,
            }
        sensitivity = self.decision.get("sensitivity")
        if sensitivity is not None:
            out["sensitivity"] = {
                "metric": sensitivity.metric,
                "factors": [float(f) for f in sensitivity.factors],
                "tornado": _records(sensitivity.tornado()),
            }
        package = self.decision.get("package")
        if package is not None:
            out["package"] = {
                "objective": _number(package.objective),
                "objective_weights": {k: float(v) for k, v in package.objective_weights.items()},
                "optimal": bool(package.optimal),
                "status": str(package.status),
                "currency": package.currency,
                "binding": list(package.binding),
                "chosen": _records(package.chosen.reset_index().rename(columns={"proposal": "id"})),
                "limits": _records(package.limits),
                "excluded": _records(package.excluded.rename(columns={"proposal": "id"})),
            }
        return out

    # -- views (rendered by wellbeing_budget.dashboard, imported when used) --------------------

    def _repr_html_(self) -> str:
        from ..views.html import scorecard_html

        return scorecard_html(self)

    def style(self) -> Any:
        """The ranked summary as a pandas ``Styler``, colour-scaled around zero."""
        from ..views.html import scorecard_style

        return scorecard_style(self)

    @property
    def plot(self) -> Any:
        """Plots: ``.pillars()``, ``.generations()``, ``.heatmap()``, ``.frontier()``,
        ``.groups()`` (matplotlib)."""
        from ..views.plots import ScorecardPlots

        return ScorecardPlots(self)

    def to_html(
        self,
        path: str | os.PathLike[str] | None = None,
        title: str | None = None,
        language: str | None = None,
    ) -> str:
        """The offline HTML report (one self-contained file); written atomically to ``path``
        if given. Returns the HTML. ``language`` (``"en"``, ``"da"``, ``"mi"``...) picks the
        names the framework gives in that language and the report's own words where it has
        them (English and Danish)."""
        from ..views.report import render_report

        text = render_report(self, title, language=language)
        if path is not None:
            write_text_atomic(path, text)
        return text

    # -- exports -----------------------------------------------------------------------------

    def to_csv(self, path: str | os.PathLike[str] | None = None) -> str:
        """The tidy table (:meth:`to_frame`) as CSV; written atomically to ``path`` if given."""
        text = csv_text(self.to_frame(), index=False)
        if path is not None:
            write_text_atomic(path, text)
        return text

    def to_excel(self, path: str | os.PathLike[str]) -> None:
        """An Excel workbook, one sheet per view (summary, tidy, groups, impacts,
        assumptions, and the decision tables of :meth:`decision_tables` when the card carries
        them), units in the column headers; written atomically."""
        from ..views.exports import write_excel

        write_excel(self, path)

    def to_json(self, path: str | os.PathLike[str] | None = None) -> str:
        """The scorecard as JSON (schema ``wellbeing-budget/scorecard/1``, see docs).

        The text is what ``json.dumps(document, indent=2, ensure_ascii=False,
        allow_nan=False)`` gives, built column by column: every proposal has the same
        shape, so its entry is one template filled with values encoded a column at a time.

        >>> import json
        >>> import wellbeing_budget as wb
        >>> card = wb.score(
        ...     wb.load_framework("nz-wellbeing-budget-2019"),
        ...     wb.load_proposals(wb.example_path("nz-wellbeing-budget-2019/proposals.yaml")),
        ... )
        >>> document = json.loads(card.to_json())
        >>> document["schema"], len(document["proposals"]) == len(card.proposals)
        ('wellbeing-budget/scorecard/1', True)
        """
        summary = self.summary()
        columns: list[list[str]] = []

        def slot(tokens: list[str]) -> str:
            # A placeholder the template keeps, quoted, where the column's values go
            columns.append(tokens)
            return f"\x00{len(columns) - 1}"

        entry: dict[str, Any] = {
            "id": slot(_json_texts(summary.index.tolist())),
            "title": slot(_json_texts(summary["title"].tolist())),
            "lead_agency": slot(_json_texts(summary["lead_agency"].tolist())),
        }
        for generation in GENERATIONS:
            entry[generation] = {
                name: slot(_json_numbers(summary[f"{generation}_{name}"]))
                for name in (*PILLAR_NAMES, "total")
            }
        if "combined_total" in summary.columns:
            entry["combined_total"] = slot(_json_numbers(summary["combined_total"]))
        for key in ("cost_npv", "fiscal_npv", "net_cost_npv", "ce_current", "ce_future"):
            entry[key] = slot(_json_numbers(summary[key]))
        entry["breadth"] = {
            name: slot(_json_integers(summary[f"n_{name}"]))
            for name in ("agencies", "pillars", "domains")
        }
        document = {
            "schema": "wellbeing-budget/scorecard/1",
            "framework": {
                "id": self.framework.id,
                "name": self.framework.name,
                "version": self.framework.version,
            },
            "base_year": self.base_year,
            "currency": self.currency,
            "horizons": {
                "current_years": self.compiled.current_years,
                "assessment_years": self.compiled.assessment_years,
            },
            "future_weight": self.future_weight,
            "proposals": "\x00proposals",
        }
        if self.decision:
            document["decision"] = self._decision_json()

        def dumps(value: object) -> str:
            # allow_nan=False: strict JSON, never NaN or Infinity (blank figures are null)
            return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)

        # The entry sits two levels deep (document, proposals list): four more spaces a line.
        template = dumps(entry).replace("%", "%%").replace("\n", "\n    ")
        for k in range(len(columns)):
            template = template.replace(f'"\\u0000{k}"', "%s", 1)
        entries = [template % values for values in zip(*columns, strict=True)]
        listed = "[\n    " + ",\n    ".join(entries) + "\n  ]" if entries else "[]"
        # The list is written into its placeholder, which comes before the decision's keys.
        text = dumps(document).replace('"\\u0000proposals"', listed, 1) + "\n"
        if path is not None:
            write_text_atomic(path, text)
        return text


def _json_texts(values: list[Any]) -> list[str]:
    """Each value as JSON would write it (strings as they are, no ASCII escapes)."""
    encode = json.encoder.encode_basestring
    return [
        encode(v) if isinstance(v, str) else json.dumps(v, ensure_ascii=False, allow_nan=False)
        for v in values
    ]


def _json_numbers(column: pd.Series) -> list[str]:
    """A column's numbers as JSON text, rounded to 10 decimals (as ``round`` does, so the
    digits are the shortest that read back the same), a blank as null."""
    values = column.to_numpy(dtype=np.float64)
    if np.isinf(values).any():
        raise ValueError("Out of range float values are not JSON compliant")
    blank = np.isnan(values)
    rounded = round_decimals(values, 10).tolist()
    # One C-encoded array split apart: numbers and NaN hold no ", ".
    tokens = json.dumps(rounded)[1:-1].split(", ") if rounded else []
    if blank.any():
        for n in np.flatnonzero(blank).tolist():
            tokens[n] = "null"
    return tokens


def round_decimals(values: np.ndarray, decimals: int) -> np.ndarray:
    """``round(v, decimals)`` of every value, bit for bit, at numpy's speed.

    ``np.round`` scales, rounds and unscales: the scaling may round, so on its own it can
    differ from Python's correctly rounded ``round``. Scaled values that fall that close to a
    half (or beyond 2**52, where the scaled value has no fraction left) are rounded by Python.

    >>> round_decimals(np.array([0.125, 2.675, -1e-12, 1e300]), 2).tolist()
    [0.12, 2.67, -0.0, 1e+300]
    """
    scale = 10.0**decimals
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = np.asarray(values, dtype=np.float64) * scale
        fraction = np.abs(scaled - np.floor(scaled) - 0.5)
        # The product is within half an ulp of the exact one; 2**-50 of it is ample margin.
        doubtful = (fraction <= np.abs(scaled) * 2.0**-50) | (np.abs(scaled) >= 2.0**52)
    result = np.rint(scaled) / scale
    for n in np.flatnonzero(doubtful).tolist():
        result[n] = round(float(values[n]), decimals)
    return result


def _json_integers(column: pd.Series) -> list[str]:
    return [str(v) for v in column.to_numpy(dtype=np.int64).tolist()]


_EXPLAINED_TOTALS = (
    "current_total",
    "future_total",
    "cost_npv",
    "fiscal_npv",
    "net_cost_npv",
    "benefit_npv",
    "benefit_npv_low",
    "benefit_npv_high",
    "npsv",
    "bcr",
    "monetised_share",
    "judgement_share",
)


def _number(value: Any) -> float | None:
    number = float(value)
    return None if math.isnan(number) else round(number, 10)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A table's rows as plain JSON values: numbers rounded as everywhere in the JSON, a
    missing number as null, numpy scalars as Python ones."""
    columns = [str(c) for c in frame.columns]
    rows = []
    for record in zip(*(frame[c].tolist() for c in frame.columns), strict=True):
        row: dict[str, Any] = {}
        for name, value in zip(columns, record, strict=True):
            if value is None or value is pd.NA:
                row[name] = None
            elif isinstance(value, bool | np.bool_):
                row[name] = bool(value)
            elif isinstance(value, int | np.integer):
                row[name] = int(value)
            elif isinstance(value, float | np.floating):
                row[name] = _number(value)
            else:
                row[name] = str(value)
        rows.append(row)
    return rows


def _share(
    owner: np.ndarray[Any, Any], size: np.ndarray[Any, Any], mask: np.ndarray[Any, Any], n: int
) -> np.ndarray[Any, Any]:
    """Per owner, the share of ``size`` where ``mask`` holds (nan where the total is 0)."""
    total = np.bincount(owner, size, minlength=n)
    part = np.bincount(owner, size * mask, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, part / np.where(total > 0, total, 1.0), np.nan)


def _distinct_counts(
    owner: np.ndarray[Any, Any], item: np.ndarray[Any, Any], keep: np.ndarray[Any, Any], n: int
) -> np.ndarray[Any, Any]:
    """For each owner 0..n-1, how many distinct items it has among the kept rows."""
    if not keep.any():
        return np.zeros(n, dtype=np.int64)
    pairs = np.unique(np.stack([owner[keep], item[keep]]), axis=1)
    return np.bincount(pairs[0], minlength=n)
