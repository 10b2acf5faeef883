"""Crosswalks between frameworks: how the domains of one map onto the domains of another.

A crosswalk (YAML under ``frameworks/crosswalks/``) links each domain of framework A to one or
more domains of framework B, with weights that share out A's effects and a note on each link.
Nothing is dropped silently: every domain of A must be linked or listed in ``unmapped_from``,
and every domain of B linked or listed in ``unmapped_to``, each with a reason.

Without a crosswalk file, the pillars always connect two frameworks: a domain of A maps to the
domains of B in the same pillar (shared equally), and domains in pillars B lacks are unmapped.

>>> import wellbeing_budget as wb
>>> table = wb.compare_frameworks("nz-lsf-2021", "oecd-hows-life")
>>> set(table.columns) >= {"framework", "domain", "counterparts", "covered"}
True
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import pandas as pd
import pydantic
from pydantic import Field, field_validator

from .errors import Problem, ValidationError, WellbeingBudgetError, did_you_mean
from .framework import ID_PATTERN, NotEmpty, Source, _Model
from .loading import _plain_locator, builtin_or_file, data_dir, load_framework
from .validation import pydantic_problems, sort_problems
from .yamlio import load_yaml

if TYPE_CHECKING:
    from .framework import Framework
    from .results import Scorecard

__all__ = [
    "Crosswalk",
    "CrosswalkLink",
    "Reexpressed",
    "compare_frameworks",
    "find_crosswalk",
    "list_crosswalks",
    "load_crosswalk",
    "pillar_crosswalk",
    "reexpress",
]

Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=100)]
UNMAPPED = "(unmapped)"


class CrosswalkLink(_Model):
    """A domain of the first framework counted, with a weight, in a domain of the second."""

    source: Id
    target: Id
    weight: float = Field(default=1.0, gt=0, le=1)
    note: str | None = None


class Unmapped(_Model):
    """A domain with no counterpart, and why."""

    domain: Id
    note: str


class Crosswalk(_Model):
    """A mapping from the domains of framework ``from`` to those of framework ``to``."""

    id: Id
    from_framework: Id = Field(alias="from")
    to_framework: Id = Field(alias="to")
    basis: str
    note: str | None = None
    source: Source
    links: Annotated[tuple[CrosswalkLink, ...], NotEmpty]
    unmapped_from: tuple[Unmapped, ...] = ()
    unmapped_to: tuple[Unmapped, ...] = ()

    @field_validator("basis")
    @classmethod
    def _basis(cls, value: str) -> str:
        if value not in ("official", "judgement", "pillar"):
            raise ValueError(f"basis is official, judgement or pillar, got {value!r}")
        return value

    def matrix(self, source: Framework, target: Framework) -> np.ndarray[Any, Any]:
        """Weights as an array: domains of ``source`` (rows) by domains of ``target``."""
        rows = {d.id: n for n, d in enumerate(source.domains)}
        cols = {d.id: n for n, d in enumerate(target.domains)}
        weights = np.zeros((len(rows), len(cols)))
        for link in self.links:
            weights[rows[link.source], cols[link.target]] += link.weight
        return weights


def _crosswalk_dir() -> Path:
    return data_dir() / "frameworks" / "crosswalks"


def list_crosswalks() -> list[str]:
    """The ids of the built-in crosswalks."""
    return sorted(p.stem for p in _crosswalk_dir().glob("*.yaml"))


def _check(crosswalk: Crosswalk, source: Framework, target: Framework, where: Any) -> list[Problem]:
    problems = []
    source_ids = [d.id for d in source.domains]
    target_ids = [d.id for d in target.domains]
    linked_from: dict[str, float] = {}
    linked_to: set[str] = set()
    for n, link in enumerate(crosswalk.links):
        if link.source not in source_ids:
            problems.append(
                where(
                    ("links", n, "source"),
                    f"{source.id} has no domain "
                    f"{link.source!r}" + did_you_mean(link.source, source_ids),
                )
            )
        if link.target not in target_ids:
            problems.append(
                where(
                    ("links", n, "target"),
                    f"{target.id} has no domain "
                    f"{link.target!r}" + did_you_mean(link.target, target_ids),
                )
            )
        linked_from[link.source] = linked_from.get(link.source, 0.0) + link.weight
        linked_to.add(link.target)
    for key, listed, ids, linked, framework in (
        ("unmapped_from", crosswalk.unmapped_from, source_ids, set(linked_from), source),
        ("unmapped_to", crosswalk.unmapped_to, target_ids, linked_to, target),
    ):
        for n, item in enumerate(listed):
            if item.domain not in ids:
                problems.append(
                    where(
                        (key, n, "domain"),
                        f"{framework.id} has no domain "
                        f"{item.domain!r}" + did_you_mean(item.domain, ids),
                    )
                )
            elif item.domain in linked:
                problems.append(
                    where(
                        (key, n, "domain"),
                        f"domain {item.domain!r} is both linked and listed as unmapped",
                    )
                )
        named = linked | {item.domain for item in listed}
        missing = [d for d in ids if d not in named]
        if missing:
            problems.append(
                where(
                    (),
                    f"domains of {framework.id} neither linked nor listed in {key}: "
                    + ", ".join(missing)
                    + " (a crosswalk must not drop a domain silently)",
                )
            )
    for n, link in enumerate(crosswalk.links):
        total = linked_from.get(link.source, 0.0)
        if abs(total - 1.0) > 1e-9 and link.source in source_ids:
            problems.append(
                where(
                    ("links", n, "weight"),
                    f"the weights of {link.source!r} add "
                    f"up to {total:g}, not 1: its effect would be lost or "
                    "counted twice",
                )
            )
            linked_from[link.source] = 1.0  # report once
    return problems


def load_crosswalk(id_or_path: str | os.PathLike[str]) -> Crosswalk:
    """A built-in crosswalk by id, or a crosswalk YAML file; checked against both frameworks,
    every problem reported at once."""
    path = builtin_or_file(id_or_path, _crosswalk_dir(), "crosswalk", list_crosswalks())
    doc = load_yaml(path)
    problems = list(doc.problems)
    crosswalk = None
    try:
        crosswalk = Crosswalk.model_validate(doc.data)
    except pydantic.ValidationError as exc:
        problems += pydantic_problems(exc, Crosswalk, _plain_locator(doc))
    if crosswalk is not None:
        source = load_framework(crosswalk.from_framework)
        target = load_framework(crosswalk.to_framework)
        problems += _check(crosswalk, source, target, lambda loc, msg: doc.problem(loc, msg))
    if problems or crosswalk is None:
        raise ValidationError(sort_problems(problems), summary=f"{doc.name} is not valid")
    return crosswalk


def _lineage(framework: Framework) -> list[str]:
    return [framework.id, *reversed(framework.based_on)]


def pillar_crosswalk(source: Framework, target: Framework) -> Crosswalk:
    """The crosswalk that is always available: each domain of ``source`` shared equally among
    the domains of ``target`` in the same pillar."""
    links, unmapped_from = [], []
    by_pillar: dict[str, list[str]] = {}
    for domain in target.domains:
        by_pillar.setdefault(domain.pillar.value, []).append(domain.id)
    for domain in source.domains:
        targets = by_pillar.get(domain.pillar.value, [])
        if not targets:
            unmapped_from.append(
                Unmapped(domain=domain.id, note=f"{target.id} has no {domain.pillar.value} domain")
            )
        for target_id in targets:
            links.append(
                CrosswalkLink(
                    source=domain.id, target=target_id, weight=1 / len(targets), note="same pillar"
                )
            )
    if not links:
        raise WellbeingBudgetError(f"{source.id} and {target.id} share no pillar")
    covered = {link.target for link in links}
    unmapped_to = [
        Unmapped(domain=d.id, note=f"{source.id} has no {d.pillar.value} domain")
        for d in target.domains
        if d.id not in covered
    ]
    return Crosswalk.model_validate(
        {
            "id": f"{source.id}--{target.id}--pillars",
            "from": source.id,
            "to": target.id,
            "basis": "pillar",
            "note": "Generated from the pillars the two frameworks share.",
            "source": {"title": "wellbeing-budget pillar mapping (generated)"},
            "links": links,
            "unmapped_from": unmapped_from,
            "unmapped_to": unmapped_to,
        }
    )


def find_crosswalk(source: Framework, target: Framework) -> Crosswalk:
    """The built-in crosswalk from ``source`` (or a framework it extends) to ``target``, or
    the pillar crosswalk when there is none."""
    source_ids, target_ids = _lineage(source), _lineage(target)
    for name in list_crosswalks():
        crosswalk = load_crosswalk(name)
        if crosswalk.from_framework in source_ids and crosswalk.to_framework in target_ids:
            domains_ok = {d.id for d in source.domains} <= {
                link.source for link in crosswalk.links
            } | {u.domain for u in crosswalk.unmapped_from}
            if domains_ok and {d.id for d in target.domains} <= {
                link.target for link in crosswalk.links
            } | {u.domain for u in crosswalk.unmapped_to}:
                return crosswalk
    return pillar_crosswalk(source, target)


def _framework(value: Framework | str | os.PathLike[str]) -> Framework:
    from .framework import Framework

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
    source's domain weights) are shared out by the link weights, then the target's domain
    weights apply."""
    goal = _framework(target)
    source = card.framework
    walk = (
        load_crosswalk(crosswalk)
        if isinstance(crosswalk, str)
        else crosswalk or find_crosswalk(source, goal)
    )
    c, r = card.compiled, card.result
    ref_weight = {ref.id: ref.weight for d in source.domains for ref in d.indicators}
    evidence = r.weight / np.where(
        c.indicator_weight[c.impact_indicator] > 0, c.indicator_weight[c.impact_indicator], 1.0
    )
    within = np.array([ref_weight[c.indicator_ids[i]] for i in c.impact_indicator]) * evidence
    domains = c.indicator_domain[c.impact_indicator]
    n, k = len(card.proposals), len(source.domains)
    slot = c.impact_proposal * k + domains
    by_domain_now = np.bincount(slot, r.current * within, minlength=n * k).reshape(n, k)
    by_domain_later = np.bincount(slot, r.future * within, minlength=n * k).reshape(n, k)
    weights = walk.matrix(source, goal)
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
