"""Re-expression of a scorecard in another framework's domains, and the coverage of two
frameworks by each other, through a crosswalk.

>>> import wellbeing_budget as wb
>>> table = wb.compare_frameworks("nz-lsf-2021", "oecd-hows-life")
>>> set(table.columns) >= {"framework", "domain", "counterparts", "covered"}
True
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import UnitError, WellbeingBudgetError
from ..io.crosswalks import find_crosswalk, load_crosswalk
from ..io.loading import load_framework
from ..model.crosswalk import UNMAPPED, Crosswalk
from ..model.framework import Framework

if TYPE_CHECKING:
    from .results import Scorecard

__all__ = [
    "Comparison",
    "Reexpressed",
    "Rescored",
    "compare",
    "compare_frameworks",
    "crosswalk_matrix",
    "reexpress",
    "score_under",
]


def crosswalk_matrix(
    crosswalk: Crosswalk, source: Framework, target: Framework
) -> np.ndarray[Any, Any]:
    """The crosswalk's weights as an array: domains of ``source`` (rows) by domains of
    ``target``."""
    rows = {d.id: n for n, d in enumerate(source.domains)}
    cols = {d.id: n for n, d in enumerate(target.domains)}
    weights = np.zeros((len(rows), len(cols)))
    for link in crosswalk.links:
        weights[rows[link.source], cols[link.target]] += link.weight
    return weights


def _framework(value: Framework | str | os.PathLike[str]) -> Framework:
    return value if isinstance(value, Framework) else load_framework(value)


def compare_frameworks(
    a: Framework | str | os.PathLike[str],
    b: Framework | str | os.PathLike[str],
    crosswalk: Crosswalk | str | None = None,
) -> pd.DataFrame:
    """Coverage of two frameworks by each other: for every domain of each, its counterparts in
    the other, whether it has any, and how many of its indicators the other framework
    measures (itself or through the crosswalk's indicator links): what a proposal scored under
    the other framework can be seen by."""
    first, second = _framework(a), _framework(b)
    walk = (
        load_crosswalk(crosswalk)
        if isinstance(crosswalk, str)
        else crosswalk or find_crosswalk(first, second)
    )
    notes_from = {u.domain: u.note for u in walk.unmapped_from}
    notes_to = {u.domain: u.note for u in walk.unmapped_to}
    rows = []
    for framework, notes, mine, theirs in (
        (first, notes_from, "source", "target"),
        (second, notes_to, "target", "source"),
    ):
        other = second if framework is first else first
        measured = {i.id for i in other.indicators}
        linked = {getattr(x, mine) for x in walk.indicators}
        for domain in framework.domains:
            others = [getattr(x, theirs) for x in walk.links if getattr(x, mine) == domain.id]
            seen = [r.id for r in domain.indicators if r.id in measured or r.id in linked]
            rows.append(
                {
                    "framework": framework.id,
                    "domain": domain.id,
                    "pillar": domain.pillar.value,
                    "counterparts": ", ".join(others),
                    "covered": bool(others),
                    "indicators_measured": f"{len(seen)} of {len(domain.indicators)}",
                    "note": notes.get(domain.id, ""),
                    "crosswalk": walk.id,
                }
            )
    return pd.DataFrame(rows)


@dataclass(frozen=True, eq=False)
class Reexpressed:
    """A scorecard's effects re-expressed in the domains of another framework."""

    card: Scorecard
    target: Framework
    crosswalk: Crosswalk
    current: np.ndarray[Any, Any]  # proposals x target domains
    future: np.ndarray[Any, Any]
    unmapped_current: np.ndarray[Any, Any]  # proposals
    unmapped_future: np.ndarray[Any, Any]

    def _generations(self) -> tuple[tuple[str, np.ndarray[Any, Any], np.ndarray[Any, Any]], ...]:
        return (
            ("current", self.current, self.unmapped_current),
            ("future", self.future, self.unmapped_future),
        )

    def to_frame(self) -> pd.DataFrame:
        """Tidy: proposal, pillar, domain, generation, effect_years; effects with no
        counterpart in the target framework appear under domain ``(unmapped)``."""
        ids = list(self.card.proposals.ids)
        rows: list[tuple[str, str | None, str, str, float]] = []
        for generation, values, lost in self._generations():
            for k, domain in enumerate(self.target.domains):
                for p, pid in enumerate(ids):
                    rows.append((pid, domain.pillar.value, domain.id, generation, values[p, k]))
            for p, pid in enumerate(ids):
                rows.append((pid, None, UNMAPPED, generation, lost[p]))
        return pd.DataFrame(
            rows, columns=["proposal", "pillar", "domain", "generation", "effect_years"]
        )

    def summary(self, sort_by: str | None = None) -> pd.DataFrame:
        """Like :meth:`Scorecard.summary`, by the target framework's pillars and domains."""
        source = self.card.summary()
        frame = source[["title", "lead_agency"]].copy()
        pillars = [p.value for p in self.target.pillars]
        for generation, values, lost in self._generations():
            for pillar in pillars:
                cols = [k for k, d in enumerate(self.target.domains) if d.pillar.value == pillar]
                frame[f"{generation}_{pillar}"] = values[:, cols].sum(axis=1)
            frame[f"{generation}_total"] = values.sum(axis=1)
            frame[f"{generation}_unmapped"] = lost
        for column in ("cost_npv", "fiscal_npv", "net_cost_npv"):
            frame[column] = source[column]
        frame.attrs.update(framework=self.target.id, crosswalk=self.crosswalk.id)
        if sort_by is not None:
            frame = frame.sort_values(sort_by, ascending=False, kind="stable")
        return frame


def reexpress(
    card: Scorecard,
    target: Framework | str | os.PathLike[str],
    crosswalk: Crosswalk | str | None = None,
) -> Reexpressed:
    """Re-express a scorecard in ``target``'s domains through a crosswalk (the built-in one,
    or the pillar crosswalk when there is none). Each source domain's effects (without the
    source's indicator or domain weights, so whatever they are, effects are conserved) are
    shared out by the link weights, then the target's domain weights apply."""
    goal = _framework(target)
    source = card.framework
    walk = (
        load_crosswalk(crosswalk)
        if isinstance(crosswalk, str)
        else crosswalk or find_crosswalk(source, goal)
    )
    c, r = card.compiled, card.result
    # The source's weights (its value judgements) do not travel: the evidence weight alone
    # scales each effect. Dividing the combined weight by the indicator's weight instead would
    # lose every effect of a domain or indicator whose weight is zero.
    within = r.evidence_weight
    domains = c.indicator_domain[c.impact_indicator]
    n, k = len(card.proposals), len(source.domains)
    slot = c.impact_proposal * k + domains
    by_domain_now = np.bincount(slot, r.current * within, minlength=n * k).reshape(n, k)
    by_domain_later = np.bincount(slot, r.future * within, minlength=n * k).reshape(n, k)
    weights = crosswalk_matrix(walk, source, goal)
    target_weight = np.array([d.weight for d in goal.domains])
    mapped = weights.sum(axis=1)
    return Reexpressed(
        card=card,
        target=goal,
        crosswalk=walk,
        current=(by_domain_now @ weights) * target_weight,
        future=(by_domain_later @ weights) * target_weight,
        unmapped_current=by_domain_now @ (1.0 - mapped),
        unmapped_future=by_domain_later @ (1.0 - mapped),
    )


# -- scoring under another framework: what it measures, with its scales and weights ------------


@dataclass(frozen=True, eq=False)
class Rescored:
    """A scorecard's proposals scored under framework ``target`` on what ``target`` measures.

    An impact counts where ``target`` has its indicator, or an indicator the crosswalk links it
    to (with a stated factor): in ``target``'s indicator, at ``target``'s scale, with
    ``target``'s indicator and domain weights. The timing and discounting stay the proposal's.
    Every other effect is ``target``'s blind spot: reported (``blind_*``), never credited,
    unless ``pillar_credit`` asked for the old domain/pillar re-expression of it.
    """

    card: Scorecard
    target: Framework
    crosswalk: Crosswalk | None
    current: np.ndarray[Any, Any]  # proposals x target domains, weighted
    future: np.ndarray[Any, Any]
    blind_current: np.ndarray[Any, Any]  # proposals: effect-years target cannot see
    blind_future: np.ndarray[Any, Any]
    seen_current: np.ndarray[Any, Any]  # proposals: effect-years target sees (source scale)
    seen_future: np.ndarray[Any, Any]
    links: pd.DataFrame  # source indicator -> target indicator, factor, basis
    pillar_credit: bool = False

    def summary(self, generation: str = "current") -> pd.DataFrame:
        """One row per proposal: the total under ``target`` and by its pillars, and the
        blind spot (share of the proposal's effect-years, in absolute value, that ``target``
        cannot see; blank for a proposal with no effects)."""
        values = self.current if generation == "current" else self.future
        blind = self.blind_current if generation == "current" else self.blind_future
        seen = self.seen_current if generation == "current" else self.seen_future
        frame = pd.DataFrame(index=pd.Index(list(self.card.proposals.ids), name="id"))
        for pillar in self.target.pillars:
            cols = [k for k, d in enumerate(self.target.domains) if d.pillar == pillar]
            frame[pillar.value] = values[:, cols].sum(axis=1)
        frame["total"] = values.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            frame["blind_share"] = np.where(seen + blind > 0, blind / (seen + blind), np.nan)
        frame.attrs.update(framework=self.target.id, generation=generation)
        return frame


def _signed(indicator: Any) -> float | None:
    kind = indicator.direction.kind
    return 1.0 if kind == "higher_is_better" else -1.0 if kind == "lower_is_better" else None


def score_under(
    card: Scorecard,
    target: Framework | str | os.PathLike[str],
    crosswalk: Crosswalk | str | None = None,
    *,
    pillar_credit: bool = False,
) -> Rescored:
    """Score ``card``'s proposals under ``target`` on what ``target`` measures (see
    :class:`Rescored`). ``pillar_credit=True`` also credits the blind effects through the
    domain (or pillar) crosswalk, as :func:`reexpress` does: an explicit choice, never the
    default.

    >>> import wellbeing_budget as wb
    >>> card = wb.score(wb.load_framework("nz-wellbeing-budget-2019"),
    ...                 wb.load_proposals("examples/nz-wellbeing-budget-2019/proposals.yaml"))
    >>> hdi = wb.score_under(card, "undp-hdi").summary()
    >>> round(float(hdi.loc["mh-access-choice", "blind_share"]), 2)
    1.0
    """
    from ..units import conversion_factor

    goal = _framework(target)
    source = card.framework
    if goal.kind == "index":
        raise WellbeingBudgetError(
            f"{goal.id!r} is an index-only framework: it has no impact scales to score on"
        )
    walk: Crosswalk | None
    if isinstance(crosswalk, str):
        walk = load_crosswalk(crosswalk)
    elif crosswalk is not None:
        walk = crosswalk
    elif goal.id == source.id:
        walk = None
    else:
        found = find_crosswalk(source, goal)
        walk = None if found.basis == "pillar" else found
    c, r = card.compiled, card.result
    evidence = r.evidence_weight
    now, later = r.current * evidence, r.future * evidence
    src = {i.id: i for i in source.indicators}
    dst = {i.id: i for i in goal.indicators}
    weight_of: dict[str, float] = {}
    domain_of: dict[str, int] = {}
    for k, domain in enumerate(goal.domains):
        for ref in domain.indicators:
            weight_of[ref.id] = ref.weight * domain.weight
            domain_of[ref.id] = k
    pairs: dict[str, list[tuple[str, float, str]]] = {}
    for ident in src:
        if ident in dst:
            pairs[ident] = [(ident, 1.0, "same indicator")]
    for link in walk.indicators if walk is not None else ():
        if link.source in src and link.target in dst and link.source not in dst:
            factor = link.factor
            if link.per_person:
                if source.population is None:
                    continue  # no population to divide by: the link cannot be used
                factor /= source.population.count
            basis = link.basis + (" (per person)" if link.per_person else "")
            pairs.setdefault(link.source, []).append((link.target, factor, basis))
    # The multiplier from one standard effect of the source indicator to target effects.
    rows = []
    per_indicator: dict[str, list[tuple[int, float]]] = {}
    for ident, targets in pairs.items():
        s = src[ident]
        for target_id, factor, basis in targets:
            t = dst[target_id]
            sign_s, sign_t = _signed(s), _signed(t)
            if sign_s is None or sign_t is None:
                continue  # a target-level direction has no fixed sign for a change
            per_person = basis.endswith("(per person)")
            wanted = f"({t.unit}) * person" if per_person else t.unit
            try:
                units = conversion_factor(s.unit, wanted)
            except UnitError:
                units = 1.0  # incompatible units: the stated factor carries them
            change = s.scale_value * sign_s * factor * units * sign_t / t.scale_value
            multiplier = change * weight_of[target_id]
            per_indicator.setdefault(ident, []).append((domain_of[target_id], multiplier))
            rows.append(
                {
                    "source_indicator": ident,
                    "target_indicator": target_id,
                    "factor": factor,
                    "basis": basis,
                    "target_effects_per_source_effect": change,
                    "target_weight": weight_of[target_id],
                }
            )
    n, k = len(card.proposals), len(goal.domains)
    current, future = np.zeros((n, k)), np.zeros((n, k))
    seen = np.zeros(len(c.impact_indicator), dtype=bool)
    for m, i in enumerate(c.impact_indicator):
        for slot, multiplier in per_indicator.get(c.indicator_ids[i], ()):
            seen[m] = True
            current[c.impact_proposal[m], slot] += now[m] * multiplier
            future[c.impact_proposal[m], slot] += later[m] * multiplier
    p = c.impact_proposal
    blind_now = np.bincount(p, np.abs(now) * ~seen, minlength=n)
    blind_later = np.bincount(p, np.abs(later) * ~seen, minlength=n)
    seen_now = np.bincount(p, np.abs(now) * seen, minlength=n)
    seen_later = np.bincount(p, np.abs(later) * seen, minlength=n)
    if pillar_credit:
        credited = reexpress(_only(card, ~seen), goal, crosswalk)
        current, future = current + credited.current, future + credited.future
    return Rescored(
        card=card, target=goal, crosswalk=walk, current=current, future=future,
        blind_current=blind_now, blind_future=blind_later, seen_current=seen_now,
        seen_future=seen_later, pillar_credit=pillar_credit,
        links=pd.DataFrame(rows, columns=["source_indicator", "target_indicator", "factor",
                                          "basis", "target_effects_per_source_effect",
                                          "target_weight"]),
    )  # fmt: skip


def _only(card: Scorecard, keep: np.ndarray[Any, Any]) -> Scorecard:
    """The scorecard with only the impacts in ``keep`` (the others' effects set to zero)."""
    from dataclasses import replace

    from .results import Scorecard

    r = card.result
    result = replace(
        r, current=np.where(keep, r.current, 0.0), future=np.where(keep, r.future, 0.0)
    )
    return Scorecard(card.compiled, result)


@dataclass(frozen=True, eq=False)
class Comparison:
    """The same proposals ranked under several frameworks (see :func:`compare`)."""

    scores: dict[str, Rescored]
    generation: str

    @property
    def frameworks(self) -> list[str]:
        """The framework ids, the proposals' own first."""
        return list(self.scores)

    def totals(self) -> pd.DataFrame:
        """Proposals x frameworks: the total under each framework."""
        return pd.DataFrame(
            {f: s.summary(self.generation)["total"] for f, s in self.scores.items()}
        )

    def ranks(self) -> pd.DataFrame:
        """Proposals x frameworks: 1 = best; tied totals share the best rank."""
        return self.totals().rank(ascending=False, method="min").astype(int)

    def blind_spots(self) -> pd.DataFrame:
        """Proposals x frameworks: the share of each proposal's effect-years a framework
        cannot see (0 = it sees everything)."""
        return pd.DataFrame(
            {f: s.summary(self.generation)["blind_share"] for f, s in self.scores.items()}
        )

    def pillar_balance(self) -> pd.DataFrame:
        """Frameworks x pillars: the share of all proposals' effect-years (in absolute value)
        each framework counts in each of its pillars."""
        rows = {}
        for f, s in self.scores.items():
            summary = s.summary(self.generation)
            pillars = [p.value for p in s.target.pillars]
            amounts = summary[pillars].abs().sum()
            total = float(amounts.sum())
            rows[f] = amounts / total if total > 0 else amounts * np.nan
        return pd.DataFrame(rows).T

    def spearman(self) -> pd.DataFrame:
        """Rank agreement between every pair of frameworks (blank where a framework ranks all
        proposals equal)."""
        ranks = self.totals().rank()
        ids = self.frameworks
        table = pd.DataFrame(np.nan, index=ids, columns=ids)
        for a in ids:
            for b in ids:
                if ranks[a].std() > 0 and ranks[b].std() > 0:
                    table.loc[a, b] = float(np.corrcoef(ranks[a], ranks[b])[0, 1])
        return table

    def reading(self, top: int = 3) -> list[str]:
        """Plain sentences on why ranks differ: for each other framework, the proposals that
        move most, and whether they move because the framework cannot see their effects or
        because its scales and weights value them differently."""
        ranks, blind, totals = (
            _cells(self.ranks()),
            _cells(self.blind_spots()),
            _cells(self.totals()),
        )
        own = self.frameworks[0]
        lines = []
        for f in self.frameworks[1:]:
            shares = [v for v in blind[f].values() if not pd.isna(v)]
            share = float(np.mean(shares)) if shares else float("nan")
            lines.append(
                f"{f} cannot see {share:.0%} of the typical proposal's effects"
                + (" (it measures few of the indicators the bids move)." if share > 0.5 else ".")
            )
            moves = sorted(ranks[f], key=lambda p: -abs(ranks[f][p] - ranks[own][p]))
            for pid in [p for p in moves[:top] if ranks[f][p] != ranks[own][p]]:
                before, after = int(ranks[own][pid]), int(ranks[f][pid])
                verb = "falls" if after > before else "rises"
                hidden = float(blind[f][pid])
                if totals[f][pid] == 0 and hidden == 1:
                    why = f"{f} sees none of its effects (tied at zero with all it cannot see)"
                elif hidden >= 0.5:
                    why = f"{f} cannot see {hidden:.0%} of its effects"
                elif after < before and share > 0.5:
                    why = (
                        f"{f} sees {1 - hidden:.0%} of its effects, while most other bids are "
                        "largely invisible to it"
                    )
                else:
                    why = f"{f}'s scales and weights value what it sees of it differently"
                lines.append(f"  {pid} {verb} from {before} to {after}: {why}.")
        return lines

    def to_text(self) -> str:
        """The comparison as plain text: ranks (totals), blind spots, Spearman, pillar
        balance and the reading."""
        ranks, totals, blind = (
            _cells(self.ranks()),
            _cells(self.totals()),
            _cells(self.blind_spots()),
        )
        ids = self.frameworks
        order = sorted(ranks[ids[0]], key=lambda p: ranks[ids[0]][p])
        width = max(len(p) for p in order) + 2
        lines = [f"{'proposal':<{width}}" + "".join(f"{f[:24]:>28}" for f in ids)]
        for pid in order:
            cells = "".join(
                f"{ranks[f][pid]:>4} ({totals[f][pid]:>9.3g}, {_pct(blind[f][pid])} blind)".rjust(
                    28
                )
                for f in ids
            )
            lines.append(f"{pid:<{width}}{cells}")
        lines += ["", "Rank agreement (Spearman):"]
        rho = _cells(self.spearman())
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                lines.append(f"  {a} vs {b}: {rho[b][a]:.3f}")
        lines += ["", "Pillar balance (share of counted effect-years):"]
        for f, row in _cells(self.pillar_balance().T).items():
            parts = ", ".join(f"{p} {v:.0%}" for p, v in row.items() if not pd.isna(v))
            lines.append(f"  {f}: {parts or 'nothing counted'}")
        lines += ["", "Why ranks differ:", *self.reading()]
        return "\n".join(lines) + "\n"


def _cells(frame: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """column -> row -> value, with string keys (plain values for formatting)."""
    return {str(c): {str(r): v for r, v in frame[c].items()} for c in frame.columns}


def _pct(value: float) -> str:
    return "  - " if pd.isna(value) else f"{value:>4.0%}"


def compare(
    card: Scorecard,
    frameworks: list[Framework | str | os.PathLike[str]],
    *,
    generation: str = "current",
    pillar_credit: bool = False,
) -> Comparison:
    """Rank ``card``'s proposals under its own framework and each of ``frameworks``, each
    scoring what it measures with its own scales and weights (:func:`score_under`); a
    framework given as a :class:`Framework` object keeps its custom weights.

    >>> import wellbeing_budget as wb
    >>> card = wb.score(wb.load_framework("nz-wellbeing-budget-2019"),
    ...                 wb.load_proposals("examples/nz-wellbeing-budget-2019/proposals.yaml"))
    >>> result = wb.compare(card, ["oecd-hows-life", "undp-hdi"])
    >>> result.frameworks
    ['nz-wellbeing-budget-2019', 'oecd-hows-life', 'undp-hdi']
    """
    if generation not in ("current", "future"):
        raise WellbeingBudgetError("generation is 'current' or 'future'")
    scores = {card.framework.id: score_under(card, card.framework)}
    for framework in frameworks:
        again = score_under(card, framework, pillar_credit=pillar_credit)
        scores[again.target.id] = again
    return Comparison(scores, generation)
