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

from ..io.crosswalks import find_crosswalk, load_crosswalk
from ..io.loading import load_framework
from ..model.crosswalk import UNMAPPED, Crosswalk
from ..model.framework import Framework

if TYPE_CHECKING:
    from .results import Scorecard

__all__ = ["Reexpressed", "compare_frameworks", "crosswalk_matrix", "reexpress"]


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
    the other, and whether it has any."""
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
        for domain in framework.domains:
            others = [getattr(x, theirs) for x in walk.links if getattr(x, mine) == domain.id]
            rows.append(
                {
                    "framework": framework.id,
                    "domain": domain.id,
                    "pillar": domain.pillar.value,
                    "counterparts": ", ".join(others),
                    "covered": bool(others),
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
        ids = [p.id for p in self.card.proposals]
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
    within = r.evidence if r.evidence is not None else np.ones(len(c.impact_indicator))
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
