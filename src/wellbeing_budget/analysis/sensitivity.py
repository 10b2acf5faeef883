"""One input at a time: how each domain weight, each judgement scale, each money value and the
discount schedule move every proposal's score, its rank and the chosen package, and the
smallest change of an input that swaps two proposals or changes the package.

Weights, scales and values act linearly on the scores, so each setting is a rescaling of
precomputed per-impact figures; only a discount schedule is applied again (to the compiled
proposals, without compiling them again). The discount tests are New Zealand Treasury's
mandatory 8 % sensitivity test (``nz-treasury-2024-commercial``) and the Green Book's standard
and health schedules, each applied to money and wellbeing effects alike.

>>> import wellbeing_budget as wb
>>> card = wb.score(
...     wb.load_framework("nz-wellbeing-budget-2019"),
...     wb.load_proposals("examples/nz-wellbeing-budget-2019/proposals.yaml"),
... )
>>> sens = card.sensitivity()
>>> "discount: nz-treasury-2024-commercial" in set(sens.tornado("kiwirail")["input"])
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import UnknownIdError, WellbeingBudgetError, did_you_mean
from .uncertainty import discount_alternatives

if TYPE_CHECKING:
    from .portfolio import Package
    from .results import Scorecard

__all__ = ["DISCOUNT_TESTS", "Sensitivity", "sensitivity"]

DISCOUNT_TESTS = ("nz-treasury-2024-commercial", "uk-green-book-standard", "uk-green-book-health")
"""Schedules tried by default: NZ Treasury's 8 % test and the Green Book's alternatives."""

METRICS = ("current_total", "future_total", "benefit_npv")


@dataclass(frozen=True)
class _Input:
    """One input: its label, kind, and per-impact masks of what a multiplier rescales."""

    label: str
    kind: str  # weight | scale | value | discount
    effect_mask: np.ndarray[Any, Any] | None  # impacts whose effect-years it multiplies
    money_mask: np.ndarray[Any, Any] | None  # impacts whose money it multiplies


class Sensitivity:
    """The results of :func:`sensitivity`: a table of runs, tornado tables and switch points."""

    def __init__(
        self,
        card: Scorecard,
        metric: str,
        factors: tuple[float, float],
        inputs: list[_Input],
        discount_cards: list[tuple[str, Scorecard]],
        package_options: Mapping[str, Any] | None,
    ) -> None:
        self.card = card
        self.metric = metric
        self.factors = factors
        self.inputs = inputs
        self.ids = list(card.proposals.ids)
        self._discount = discount_cards
        self.package_options = dict(package_options) if package_options else None
        c, r = card.compiled, card.result
        self._now = r.current * r.weight
        self._later = r.future * r.weight
        self._money = c.impact_money * r.money_years * r.evidence_weight
        self.base = self._metric(np.ones(c.n_impacts), np.ones(c.n_impacts))
        self._base_package: Package | None = None

    # -- arithmetic ------------------------------------------------------------------------

    def _metric(self, effect: np.ndarray[Any, Any], money: np.ndarray[Any, Any]) -> Any:
        c = self.card.compiled
        n = len(self.ids)
        if self.metric == "benefit_npv":
            per_impact = self._money * money
        elif self.metric == "future_total":
            per_impact = self._later * effect
        else:
            per_impact = self._now * effect
        return np.bincount(c.impact_proposal, per_impact, minlength=n)

    def _multipliers(
        self, item: _Input, m: float
    ) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        n_impacts = self.card.compiled.n_impacts
        effect = np.ones(n_impacts)
        money = np.ones(n_impacts)
        if item.effect_mask is not None:
            effect[item.effect_mask] = 1.0 / m if item.kind == "scale" else m
        if item.money_mask is not None:
            money[item.money_mask] = m
        return effect, money

    def _setting_values(self, item: _Input, setting: float | str) -> Any:
        if item.kind == "discount":
            other = dict(self._discount)[str(setting)]
            return other.summary()[self.metric].to_numpy()
        return self._metric(*self._multipliers(item, float(setting)))

    def _settings(self, item: _Input) -> list[tuple[str, float | str]]:
        if item.kind == "discount":
            return [("alternative", item.label.removeprefix("discount: "))]
        if item.kind == "value":
            low, high = self._value_range(item)
            return [("low", low), ("high", high)]
        return [("low", self.factors[0]), ("high", self.factors[1])]

    def _value_range(self, item: _Input) -> tuple[float, float]:
        c = self.card.compiled
        assert item.money_mask is not None
        k = np.flatnonzero(item.money_mask & (c.impact_money > 0))
        if not len(k):
            return 1.0, 1.0
        return (
            float(c.impact_money_low[k[0]] / c.impact_money[k[0]]),
            float(c.impact_money_high[k[0]] / c.impact_money[k[0]]),
        )

    # -- tables ----------------------------------------------------------------------------

    def runs(self) -> pd.DataFrame:
        """One row per input and setting: the multiplier (or schedule), each proposal's
        metric and rank, and how many proposals change rank."""
        base_rank = _ranks(self.base)
        records = []
        for item in self.inputs:
            for setting, value in self._settings(item):
                values = self._setting_values(item, value)
                ranks = _ranks(values)
                record: dict[str, Any] = {
                    "input": item.label,
                    "kind": item.kind,
                    "setting": setting,
                    "multiplier": value if not isinstance(value, str) else math.nan,
                    "rank_changes": int((ranks != base_rank).sum()),
                    "top": self.ids[int(np.argmax(values))] if len(values) else None,
                }
                if self.package_options is not None:
                    package = self._package(values)
                    record["package_changes"] = sorted(
                        set(package.ids) ^ set(self.base_package.ids)
                    )
                for pid, v, rank in zip(self.ids, values, ranks, strict=True):
                    record[f"{pid}"] = v
                    record[f"{pid}:rank"] = int(rank)
                records.append(record)
        return pd.DataFrame(records)

    def ranks(self) -> pd.DataFrame:
        """Proposals (rows) x input settings (columns): each proposal's rank, with the scored
        rank first."""
        runs = self.runs()
        table = pd.DataFrame(
            {"scored": _ranks(self.base)}, index=pd.Index(self.ids, name="proposal")
        )
        for _, row in runs.iterrows():
            table[f"{row['input']} ({row['setting']})"] = [row[f"{p}:rank"] for p in self.ids]
        return table

    def tornado(self, proposal: str | None = None) -> pd.DataFrame:
        """For one proposal (default: the top-scored one), or for the package's objective when
        ``proposal="package"`` and limits were given: each input's low and high result and
        the swing between them, largest swing first."""
        if proposal == "package":
            if self.package_options is None:
                raise WellbeingBudgetError("a package tornado needs sensitivity(..., limits=...)")
            base = self.base_package.objective
        else:
            index = self._position(proposal) if proposal else int(np.argmax(self.base))
            base = float(self.base[index])
        records = []
        for item in self.inputs:
            results = []
            for _, value in self._settings(item):
                values = self._setting_values(item, value)
                if proposal == "package":
                    results.append(self._package(values).objective)
                else:
                    results.append(float(values[index]))
            low, high = (results[0], results[-1])
            records.append(
                {
                    "input": item.label,
                    "kind": item.kind,
                    "low": low,
                    "high": high,
                    "base": base,
                    "swing": max(abs(low - base), abs(high - base), abs(high - low)),
                }
            )
        table = pd.DataFrame(records)
        return table.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)

    def switch_points(self, a: str, b: str) -> pd.DataFrame:
        """For each weight, scale and value: the multiplier of that input alone at which
        proposals ``a`` and ``b`` swap places (empty where no positive multiplier does), and
        for each discount schedule whether it swaps them. Smallest change first."""
        i, j = self._position(a), self._position(b)
        records = []
        for item in self.inputs:
            if item.kind == "discount":
                values = self._setting_values(item, item.label.removeprefix("discount: "))
                swaps = (values[i] > values[j]) != (self.base[i] > self.base[j])
                records.append(
                    {
                        "input": item.label,
                        "kind": item.kind,
                        "multiplier": math.nan,
                        "change": "swaps" if swaps else "no swap",
                    }
                )
                continue
            effect, money = self._multipliers(item, 2.0)
            part = self._metric(effect, money) - self.base  # contribution rescaled by (m - 1)
            gap = self.base[i] - self.base[j]
            slope = part[i] - part[j]
            multiplier = math.nan
            if slope != 0:
                m = 1.0 - gap / slope
                if item.kind == "scale" and m > 0:
                    m = 1.0 / m  # an effect x m is a scale x 1/m
                if m > 0 and math.isfinite(m):
                    multiplier = m
            records.append(
                {
                    "input": item.label,
                    "kind": item.kind,
                    "multiplier": multiplier,
                    "change": "no swap" if math.isnan(multiplier) else f"x {multiplier:.3g}",
                }
            )
        table = pd.DataFrame(records)
        distance = pd.Series(np.abs(np.log(table["multiplier"].astype(float))))
        return (
            table.assign(_d=distance.fillna(np.inf))
            .sort_values("_d", kind="stable")
            .drop(columns="_d")
            .reset_index(drop=True)
        )

    def package_switch_points(self, low: float = 0.25, high: float = 4.0) -> pd.DataFrame:
        """For each weight, scale and value: the smallest multiplier above 1 (up to ``high``)
        and the largest below 1 (down to ``low``) at which the chosen package changes,
        found by bisection to 1 %; blank where it does not change in that range."""
        if self.package_options is None:
            raise WellbeingBudgetError("package switch points need sensitivity(..., limits=...)")
        base = set(self.base_package.ids)
        records = []
        for item in self.inputs:
            if item.kind == "discount":
                continue
            found = {}
            for side, bound in (("up", high), ("down", low)):

                def changed(m: float, item: _Input = item) -> bool:
                    values = self._metric(*self._multipliers(item, m))
                    return set(self._package(values).ids) != base

                found[side] = _bisect(changed, 1.0, bound) if changed(bound) else math.nan
            records.append({"input": item.label, "kind": item.kind, **found})
        return pd.DataFrame(records, columns=["input", "kind", "up", "down"])

    # -- package -----------------------------------------------------------------------------

    @property
    def base_package(self) -> Package:
        """The package chosen with the scores as they are."""
        if self._base_package is None:
            object.__setattr__(self, "_base_package", self._package(self.base))
        assert self._base_package is not None
        return self._base_package

    def _package(self, values: np.ndarray[Any, Any]) -> Package:
        from .portfolio import choose

        assert self.package_options is not None
        return choose(
            self.card,
            objective={self.metric: 1.0},
            values_override=values,
            **self.package_options,
        )

    def _position(self, proposal_id: str) -> int:
        if proposal_id not in self.ids:
            raise UnknownIdError(
                f"no proposal {proposal_id!r}{did_you_mean(proposal_id, self.ids)}"
            )
        return self.ids.index(proposal_id)

    def plot(self, proposal: str | None = None) -> Any:
        """The tornado of :meth:`tornado` as a matplotlib figure."""
        from ..views.decision import tornado_figure

        return tornado_figure(self.tornado(proposal), proposal or "top-scored proposal")


def _bisect(changed: Any, inside: float, outside: float, tolerance: float = 0.01) -> float:
    """The point nearest ``inside`` where ``changed`` turns true (``changed(outside)``)."""
    for _ in range(40):
        middle = math.sqrt(inside * outside)
        if changed(middle):
            outside = middle
        else:
            inside = middle
        if abs(math.log(outside / inside)) < tolerance:
            break
    return outside


def _ranks(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    order = np.argsort(-np.nan_to_num(values, nan=-np.inf), kind="stable")
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[order] = np.arange(1, len(values) + 1)
    return ranks


def sensitivity(
    card: Scorecard,
    *,
    metric: str = "current_total",
    factors: Sequence[float] = (0.5, 2.0),
    discount: Sequence[str] = DISCOUNT_TESTS,
    weights: bool = True,
    scales: bool = True,
    values: bool = True,
    limits: Any = None,
    **package_options: Any,
) -> Sensitivity:
    """Vary one input at a time.

    Args:
        metric: ``current_total``, ``future_total`` or ``benefit_npv``.
        factors: the low and high multipliers of each domain weight and judgement scale
            (values use their own low and high).
        discount: named schedules tried in place of the framework's, for money and wellbeing
            alike (NZ's 8 % test and the Green Book alternatives by default).
        weights, scales, values: include those inputs.
        limits: when given, every setting also chooses a package within them (other keyword
            arguments as for :func:`~wellbeing_budget.analysis.portfolio.choose`), so the
            runs show which settings change the package.
    """
    if metric not in METRICS:
        raise WellbeingBudgetError(f"metric must be one of {', '.join(METRICS)}, got {metric!r}")
    low, high = (float(f) for f in factors)
    if not (0 < low < 1 < high and math.isfinite(high)):
        raise WellbeingBudgetError(f"factors must be (low < 1, high > 1), both > 0; got {factors}")
    c = card.compiled
    domain = c.indicator_domain[c.impact_indicator]
    inputs: list[_Input] = []
    if weights:
        for d, domain_id in enumerate(c.domain_ids):
            mask = domain == d
            if mask.any() and card.framework.domains[d].weight > 0:
                inputs.append(_Input(f"weight: {domain_id}", "weight", mask, None))
    if scales:
        for k in np.unique(c.impact_indicator[c.indicator_judgement[c.impact_indicator]]):
            mask = c.impact_indicator == k
            inputs.append(_Input(f"scale: {c.indicator_ids[k]}", "scale", mask, None))
    if values:
        for v, value_id in enumerate(c.value_ids):
            mask = c.impact_value == v
            if mask.any():
                inputs.append(_Input(f"value: {value_id}", "value", None, mask))
    cards = discount_alternatives(card, list(discount))[1:]
    for name, _ in cards:
        inputs.append(_Input(f"discount: {name}", "discount", None, None))
    options = None
    if limits is not None:
        options = {"limits": limits, **package_options}
    return Sensitivity(card, metric, (low, high), inputs, cards, options)
