"""The package of proposals that buys the most wellbeing within the money: an exact
mixed-integer programme solved by HiGHS (through :func:`scipy.optimize.milp`).

Each proposal is funded whole or not at all, or, when named scalable, in any share between 0
and 1 (its effects and costs scale with the share). The objective is a stated mix of summary
figures (current or future effect-years, benefit NPV); the constraints are yearly money limits
(operating, capital or both, counted on the proposals' gross costs in each year), bids that
must be funded, groups of mutually exclusive bids, missions (groups funded together or not at
all) and minimum shares of the package's effect-years by pillar, domain or population group.
The solver is asked for a zero optimality gap, so a package reported ``optimal`` is proven
optimal.

>>> import wellbeing_budget as wb
>>> card = wb.score(
...     wb.load_framework("nz-wellbeing-budget-2019"),
...     wb.load_proposals("examples/nz-wellbeing-budget-2019/proposals.yaml"),
... )
>>> package = card.choose(limits="1 billion NZD", objective="current")
>>> package.optimal, bool((package.limits["slack"] >= -1e-6).all())
(True, True)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..engine.compile import PILLARS
from ..errors import UnknownIdError, WellbeingBudgetError, did_you_mean
from ..model.limits import MoneyLimit
from ..units import parse_quantity

if TYPE_CHECKING:
    from .results import Scorecard

__all__ = ["OBJECTIVES", "Package", "Solution", "choose", "frontier", "mission_summary", "solve"]

FloatArray = NDArray[np.float64]

OBJECTIVES = {
    "current": {"current_total": 1.0},
    "future": {"current_total": 0.0, "future_total": 1.0},
    "benefit_npv": {"benefit_npv": 1.0},
}
"""Named objectives; a mapping of summary columns to weights states any other mix."""

_FIGURES = ("current_total", "future_total", "benefit_npv")
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Solution:
    """The solver's answer: each proposal's funded share, the objective, and whether the
    solver proved it optimal."""

    shares: FloatArray
    objective: float
    optimal: bool
    status: str
    gap: float


def solve(
    values: FloatArray,
    costs: FloatArray,
    limits: FloatArray,
    *,
    must: Sequence[int] = (),
    exclusive: Sequence[Sequence[int]] = (),
    together: Sequence[Sequence[int]] = (),
    scalable: Sequence[int] = (),
    at_least: FloatArray | None = None,
    time_limit: float | None = None,
) -> Solution:
    """Maximise ``values @ x`` subject to ``costs @ x <= limits`` (one row per limit),
    ``at_least @ x >= 0`` (one row per minimum share), ``x = 1`` for ``must``, at most one of
    each ``exclusive`` group, equal shares within each ``together`` group; ``x`` in {0, 1}, or
    in [0, 1] for ``scalable``.

    >>> solve(np.array([3.0, 2.0, 2.0]), np.array([[2.0, 1.0, 1.0]]), np.array([2.0])).shares
    array([0., 1., 1.])
    """
    from scipy.optimize import (  # type: ignore[import-untyped]
        Bounds,
        LinearConstraint,
        milp,
    )

    n = len(values)
    costs = np.asarray(costs, dtype=np.float64).reshape(-1, n)
    limits = np.asarray(limits, dtype=np.float64)
    rows: list[FloatArray] = []
    low: list[float] = []
    high: list[float] = []
    for row, limit in zip(costs, limits, strict=True):
        # Rows are scaled to order 1 so the solver's absolute tolerances mean the same for a
        # limit of a thousand kroner and one of a billion dollars.
        size = max(abs(limit), float(np.abs(row).max(initial=0.0)), 1e-300)
        rows.append(row / size)
        low.append(-np.inf)
        high.append(limit / size)
    if at_least is not None:
        for row in np.asarray(at_least, dtype=np.float64).reshape(-1, n):
            size = max(float(np.abs(row).max(initial=0.0)), 1e-300)
            rows.append(row / size)
            low.append(0.0)
            high.append(np.inf)
    for group in exclusive:
        row = np.zeros(n)
        row[list(group)] = 1.0
        rows.append(row)
        low.append(-np.inf)
        high.append(1.0)
    for group in together:
        first, *rest = group
        for other in rest:
            row = np.zeros(n)
            row[first], row[other] = 1.0, -1.0
            rows.append(row)
            low.append(0.0)
            high.append(0.0)
    lower = np.zeros(n)
    lower[list(must)] = 1.0
    integrality = np.ones(n)
    integrality[list(scalable)] = 0
    scale = max(float(np.abs(values).max(initial=0.0)), 1e-300)
    options: dict[str, Any] = {"mip_rel_gap": 0.0, "presolve": True}
    if time_limit is not None:
        options["time_limit"] = time_limit
    result = milp(
        -values / scale,
        integrality=integrality,
        bounds=Bounds(lower, np.ones(n)),
        constraints=[LinearConstraint(np.array(rows), low, high)] if rows else [],
        options=options,
    )
    if result.x is None:
        raise WellbeingBudgetError(f"no package satisfies the constraints ({result.message})")
    shares = np.clip(np.asarray(result.x, dtype=np.float64), 0.0, 1.0)
    whole = integrality == 1
    shares[whole] = np.round(shares[whole])
    gap = float(getattr(result, "mip_gap", 0.0) or 0.0)
    return Solution(
        shares=shares,
        objective=float(values @ shares),
        optimal=result.status == 0 and gap <= _TOLERANCE,
        status=str(result.message),
        gap=gap,
    )


@dataclass(frozen=True)
class Package:
    """A chosen package: what is funded, the objective, each limit's use and slack, and why
    each bid left out is out."""

    chosen: pd.DataFrame
    excluded: pd.DataFrame
    limits: pd.DataFrame
    objective: float
    objective_weights: dict[str, float]
    optimal: bool
    status: str
    currency: str

    @property
    def ids(self) -> list[str]:
        """The funded proposals, in the proposals' order."""
        return list(self.chosen.index)

    @property
    def binding(self) -> list[str]:
        """The labels of the limits the package uses up."""
        return list(self.limits.loc[self.limits["binding"], "limit"])

    def __repr__(self) -> str:
        state = "optimal" if self.optimal else f"not proven optimal: {self.status}"
        return (
            f"<Package: {len(self.chosen)} proposals funded, objective {self.objective:.6g} "
            f"({state})>"
        )


def _objective(card: Scorecard, objective: str | Mapping[str, float]) -> dict[str, float]:
    if isinstance(objective, str):
        if objective == "combined":
            if card.future_weight is None:
                raise WellbeingBudgetError("objective 'combined' needs score(..., future_weight=w)")
            return {"current_total": 1.0, "future_total": card.future_weight}
        if objective not in OBJECTIVES:
            names = [*OBJECTIVES, "combined"]
            raise WellbeingBudgetError(
                f"no objective {objective!r}{did_you_mean(objective, names)} (one of "
                f"{', '.join(names)}, or a mapping of {', '.join(_FIGURES)} to weights)"
            )
        return dict(OBJECTIVES[objective])
    weights = {}
    for key, weight in objective.items():
        name = {"current": "current_total", "future": "future_total"}.get(key, key)
        if name not in _FIGURES:
            raise WellbeingBudgetError(
                f"objective weights take {', '.join(_FIGURES)}; got {key!r}"
                + did_you_mean(key, _FIGURES)
            )
        if isinstance(weight, bool) or not math.isfinite(float(weight)):
            raise WellbeingBudgetError(f"objective weight of {key!r} must be a number")
        weights[name] = float(weight)
    if not any(weights.values()):
        raise WellbeingBudgetError("every objective weight is 0: nothing would be maximised")
    return weights


def _limits(
    card: Scorecard,
    limits: str | MoneyLimit | Mapping[str, Any] | Sequence[Any] | pd.DataFrame | None,
) -> list[MoneyLimit]:
    if limits is None:
        return []
    if isinstance(limits, str | MoneyLimit | Mapping):
        items: list[Any] = [limits]
    elif isinstance(limits, pd.DataFrame):
        items = [
            {k: v for k, v in row.items() if not (isinstance(v, float) and math.isnan(v))}
            for row in limits.to_dict("records")
        ]
    else:
        items = list(limits)
    out = []
    for item in items:
        if isinstance(item, MoneyLimit):
            limit = item
        elif isinstance(item, str):
            limit = MoneyLimit(amount=parse_quantity(item))
        else:
            data = dict(item)
            if "limit" in data:
                data["amount"] = data.pop("limit")
            limit = MoneyLimit.model_validate(data)
        if limit.currency != card.currency:
            raise WellbeingBudgetError(
                f"limit {limit.amount} is in {limit.currency}; the proposals count money in "
                f"{card.currency} (currencies are never converted)"
            )
        out.append(limit)
    return out


def _yearly_costs(card: Scorecard) -> dict[tuple[int, str], FloatArray]:
    """(year, operating|capital) -> gross cost of each proposal, in the framework's currency."""
    n = len(card)
    table: dict[tuple[int, str], FloatArray] = {}
    lines = card.proposals.money_columns()
    for p, kind, year, amount, budget in zip(
        lines.proposal, lines.kind, lines.year, lines.amount, lines.budget, strict=True
    ):
        if kind == "cost":
            table.setdefault((year, budget), np.zeros(n))[p] += amount.to(card.currency)
    return table


def _limit_rows(
    card: Scorecard, limits: list[MoneyLimit]
) -> tuple[list[str], list[int], list[str], FloatArray, FloatArray]:
    costs = _yearly_costs(card)
    years = sorted({year for year, _ in costs})
    n = len(card)
    labels: list[str] = []
    row_years: list[int] = []
    kinds: list[str] = []
    rows: list[FloatArray] = []
    amounts: list[float] = []
    for limit in limits:
        for year in [limit.year] if limit.year is not None else years:
            assert year is not None
            kinds_counted = ("operating", "capital") if limit.kind == "total" else (limit.kind,)
            row = sum((costs.get((year, kind), np.zeros(n)) for kind in kinds_counted), np.zeros(n))
            labels.append(f"{limit.kind} {year}")
            row_years.append(year)
            kinds.append(limit.kind)
            rows.append(row)
            amounts.append(limit.amount.to(limit.currency))
    return (
        labels,
        row_years,
        kinds,
        np.array(rows, dtype=np.float64).reshape(-1, n),
        np.array(amounts, dtype=np.float64),
    )


def _index(ids: list[str], proposal_id: str, what: str) -> int:
    if proposal_id not in ids:
        raise UnknownIdError(f"{what}: no proposal {proposal_id!r}{did_you_mean(proposal_id, ids)}")
    return ids.index(proposal_id)


def _share_rows(
    card: Scorecard, min_share: Mapping[str, float], weights: dict[str, float]
) -> tuple[list[str], FloatArray]:
    """One row per minimum share: each proposal's effect-years in the part minus the share of
    its effect-years in all, so that ``row @ x >= 0`` says the package meets the share."""
    c, r = card.compiled, card.result
    n = len(card)
    a = weights.get("current_total", 0.0)
    b = weights.get("future_total", 0.0)
    if a == 0 and b == 0:
        a = b = 1.0
    per_impact = a * r.current * r.weight + b * r.future * r.weight
    total = np.bincount(c.impact_proposal, per_impact, minlength=n)
    domain = c.indicator_domain[c.impact_indicator]
    parts = {
        "pillar": ([p.value for p in PILLARS], c.domain_pillar[domain]),
        "domain": (list(c.domain_ids), domain),
        "group": (list(c.groups), c.impact_group),
    }
    labels, rows = [], []
    for key, share in min_share.items():
        kind, _, name = key.partition(":")
        if kind not in parts:
            raise WellbeingBudgetError(
                f"minimum share {key!r}: write pillar:<id>, domain:<id> or group:<id>"
            )
        names, index = parts[kind]
        if name not in names:
            raise UnknownIdError(
                f"minimum share {key!r}: no {kind} {name!r}{did_you_mean(name, names)}"
            )
        if isinstance(share, bool) or not (0 <= float(share) <= 1):
            raise WellbeingBudgetError(f"minimum share {key!r} must be between 0 and 1")
        mask = index == names.index(name)
        part = np.bincount(c.impact_proposal, per_impact * mask, minlength=n)
        labels.append(f"{key} >= {float(share):.0%}")
        rows.append(part - float(share) * total)
    return labels, np.array(rows, dtype=np.float64).reshape(-1, n)


def choose(
    card: Scorecard,
    *,
    limits: str | MoneyLimit | Mapping[str, Any] | Sequence[Any] | pd.DataFrame | None = None,
    objective: str | Mapping[str, float] = "current",
    must_fund: Sequence[str] = (),
    exclusive: Sequence[Sequence[str]] = (),
    scalable: Sequence[str] = (),
    min_share: Mapping[str, float] | None = None,
    missions: Mapping[str, Sequence[str]] | None = None,
    time_limit: float | None = None,
    values_override: FloatArray | None = None,
) -> Package:
    """The package that maximises ``objective`` within ``limits``.

    Args:
        limits: ``"1.9 billion NZD"`` (total costs in every year), a
            :class:`~wellbeing_budget.model.limits.MoneyLimit`, mappings ``{limit, year,
            kind}``, a list of these, or a table with those columns (see
            :func:`wellbeing_budget.io.limits.load_limits`).
        objective: ``"current"``, ``"future"``, ``"benefit_npv"``, ``"combined"`` (current +
            the card's future weight x future) or weights such as ``{"current": 1,
            "future": 0.5}``.
        must_fund, exclusive, scalable: proposal ids; ``exclusive`` is a list of groups of
            which at most one is funded.
        min_share: ``{"pillar:people": 0.4, "group:young_people_16_24": 0.25}``: at least
            that share of the package's effect-years (in the objective's mix of generations).
        missions: ``{"youth": ["a", "b", "c"]}``: each mission is funded whole or not at all.
        values_override: each proposal's value in the objective, in place of the summary's
            (what sensitivity analysis uses to re-choose under another setting).
    """
    weights = _objective(card, objective)
    summary = card.summary()
    ids = list(summary.index)
    n = len(ids)
    values = np.zeros(n)
    for name, weight in weights.items():
        column = np.nan_to_num(summary[name].to_numpy(dtype=np.float64))
        values += weight * column
    if values_override is not None:
        values = np.asarray(values_override, dtype=np.float64).copy()
    money = _limits(card, limits)
    labels, years, kinds, rows, amounts = _limit_rows(card, money)
    share_labels, share_rows = _share_rows(card, min_share or {}, weights)
    must = [_index(ids, p, "must_fund") for p in must_fund]
    groups = [[_index(ids, p, "exclusive") for p in group] for group in exclusive]
    scaled = [_index(ids, p, "scalable") for p in scalable]
    together = [
        [_index(ids, p, f"mission {name!r}") for p in members]
        for name, members in (missions or {}).items()
        if len(members) > 1
    ]
    solution = solve(
        values,
        rows,
        amounts,
        must=must,
        exclusive=groups,
        together=together,
        scalable=scaled,
        at_least=share_rows if len(share_rows) else None,
        time_limit=time_limit,
    )
    x = solution.shares
    used = rows @ x if len(rows) else np.zeros(0)
    slack = amounts - used
    binding = slack <= 1e-9 * np.maximum(amounts, 1.0) + 1e-6
    limit_table = pd.DataFrame(
        {
            "limit": labels,
            "year": years,
            "kind": kinds,
            "amount": amounts,
            "used": used,
            "slack": slack,
            "binding": binding,
        }
    )
    funded = x > _TOLERANCE
    chosen = summary.loc[funded, ["title", *_FIGURES, "net_cost_npv"]].copy()
    chosen.insert(1, "share", x[funded])
    chosen.insert(2, "objective", values[funded] * x[funded])
    mission_of = {p: name for name, members in (missions or {}).items() for p in members}
    excluded = []
    for p in np.flatnonzero(x < 1 - _TOLERANCE):
        excluded.append(
            {
                "proposal": ids[p],
                "share": x[p],
                "value": values[p],
                "reason": _reason(
                    int(p),
                    x,
                    values,
                    rows,
                    slack,
                    labels,
                    groups,
                    ids,
                    share_rows,
                    share_labels,
                    mission_of,
                ),
            }
        )
    return Package(
        chosen=chosen,
        excluded=pd.DataFrame(excluded, columns=["proposal", "share", "value", "reason"]),
        limits=limit_table,
        objective=solution.objective,
        objective_weights=weights,
        optimal=solution.optimal,
        status=solution.status,
        currency=card.currency,
    )


def _reason(
    p: int,
    x: FloatArray,
    values: FloatArray,
    rows: FloatArray,
    slack: FloatArray,
    labels: list[str],
    groups: list[list[int]],
    ids: list[str],
    share_rows: FloatArray,
    share_labels: list[str],
    mission_of: Mapping[str, str],
) -> str:
    """Which constraint keeps bid ``p`` out (or short of full funding)."""
    if values[p] <= 0:
        return "adds nothing to the objective (its value is 0 or less)"
    reasons = []
    for group in groups:
        rivals = [ids[q] for q in group if q != p and x[q] > _TOLERANCE]
        if p in group and rivals:
            reasons.append(f"mutually exclusive with {', '.join(rivals)}")
    missing = 1.0 - x[p]
    for k in np.flatnonzero(rows[:, p] * missing > slack + 1e-6 * np.maximum(np.abs(slack), 1.0)):
        reasons.append(
            f"limit {labels[k]}: needs {rows[k, p] * missing:,.0f} more, {max(slack[k], 0):,.0f} "
            "left"
        )
    if len(share_rows):
        current = share_rows @ x
        for k in np.flatnonzero(current + share_rows[:, p] * missing < -1e-9):
            reasons.append(f"would break the minimum share {share_labels[k]}")
    if ids[p] in mission_of:
        name = mission_of[ids[p]]
        members = [ids.index(q) for q, m in mission_of.items() if m == name]
        need = rows[:, members] @ (1.0 - x[members]) if len(rows) else np.zeros(0)
        broken = [labels[k] for k in np.flatnonzero(need > slack + 1e-6)]
        reasons.append(
            f"funded only with its whole mission {name!r}"
            + (f", which would break limit {', '.join(broken)}" if broken else "")
        )
    if not reasons:
        reasons.append("the money it needs buys more elsewhere in the package")
    return "; ".join(reasons)


def frontier(
    card: Scorecard,
    *,
    limits: str | MoneyLimit | Mapping[str, Any] | Sequence[Any] | pd.DataFrame | None = None,
    points: int = 9,
    **constraints: Any,
) -> pd.DataFrame:
    """Efficient packages trading current against future generations: for evenly spaced
    floors on future effect-years (from the best package for the current generation to the
    best for the future), the package with the most current effect-years, then the most future
    effect-years at that. Other keyword arguments are as for :func:`choose`."""
    if points < 2:
        raise WellbeingBudgetError("a frontier needs at least 2 points")
    best_now = choose(card, limits=limits, objective="current", **constraints)
    best_later = choose(card, limits=limits, objective="future", **constraints)
    summary = card.summary()
    future = summary["future_total"].to_numpy()
    current = summary["current_total"].to_numpy()
    floor_lo = float(best_now.chosen["future_total"].mul(best_now.chosen["share"]).sum())
    floor_hi = float(best_later.chosen["future_total"].mul(best_later.chosen["share"]).sum())
    records = []
    seen: set[tuple[float, ...]] = set()
    ids = list(summary.index)
    for floor in np.linspace(floor_lo, floor_hi, points):
        package = _with_floor(card, limits, constraints, future, floor, current)
        key = tuple(np.round(package, 9))
        if key in seen:
            continue
        seen.add(key)
        records.append(
            {
                "current_total": float(current @ package),
                "future_total": float(future @ package),
                "cost_npv": float(summary["cost_npv"].to_numpy() @ package),
                "n_proposals": int((package > _TOLERANCE).sum()),
                "proposals": ", ".join(ids[i] for i in np.flatnonzero(package > _TOLERANCE)),
            }
        )
    table = pd.DataFrame(records)
    card.decision["frontier"] = table
    return table


def _with_floor(
    card: Scorecard,
    limits: Any,
    constraints: dict[str, Any],
    future: FloatArray,
    floor: float,
    current: FloatArray,
) -> FloatArray:
    ids = list(card.proposals.ids)
    money = _limits(card, limits)
    _, _, _, rows, amounts = _limit_rows(card, money)
    slack = 1e-9 * max(abs(floor), 1.0)
    # future @ x >= floor, written as a <= row
    rows2 = np.vstack([rows, -future[None, :]]) if len(rows) else -future[None, :]
    amounts2 = np.append(amounts, -floor + slack)
    must = [_index(ids, p, "must_fund") for p in constraints.get("must_fund", ())]
    groups = [[_index(ids, p, "exclusive") for p in g] for g in constraints.get("exclusive", ())]
    scaled = [_index(ids, p, "scalable") for p in constraints.get("scalable", ())]
    together = [
        [_index(ids, p, "mission") for p in members]
        for members in (constraints.get("missions") or {}).values()
        if len(members) > 1
    ]
    first = solve(
        current, rows2, amounts2, must=must, exclusive=groups, together=together, scalable=scaled
    )
    # Among packages with that much for the current generation, the most for the future:
    # otherwise a point could be dominated by an equally good package that does more later.
    rows3 = np.vstack([rows2, -current[None, :]])
    amounts3 = np.append(amounts2, -first.objective + 1e-9 * max(abs(first.objective), 1.0))
    second = solve(
        future, rows3, amounts3, must=must, exclusive=groups, together=together, scalable=scaled
    )
    return second.shares


def mission_summary(card: Scorecard, missions: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Missions (named groups of proposals) scored as one: their summed effect-years by
    generation and pillar, costs, fiscal effects and benefit NPV, with the number of proposals
    and agencies they span."""
    summary = card.summary()
    ids = list(summary.index)
    additive = [
        column
        for column in summary.columns
        if column.startswith(("current_", "future_", "combined_"))
        or column in ("cost_npv", "fiscal_npv", "net_cost_npv", "benefit_npv", "npsv")
        or column in ("benefit_npv_low", "benefit_npv_high")
    ]
    agencies_of = card.proposals.agencies
    records = []
    for name, members in missions.items():
        rows = [_index(ids, p, f"mission {name!r}") for p in members]
        part = summary.iloc[rows]
        record: dict[str, Any] = {"mission": name, "n_proposals": len(rows)}
        record.update({str(k): v for k, v in part[additive].sum().items()})
        agencies = {a for r in rows for a in agencies_of[r]}
        record["n_agencies"] = len(agencies)
        records.append(record)
    return pd.DataFrame(records).set_index("mission")
