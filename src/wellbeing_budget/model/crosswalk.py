"""Crosswalks between frameworks: how the domains of one map onto the domains of another.

A crosswalk links each domain of framework A to one or more domains of framework B, with
weights that share out A's effects and a note on each link. Nothing is dropped silently: every
domain of A must be linked or listed in ``unmapped_from``, and every domain of B linked or
listed in ``unmapped_to``, each with a reason (:func:`check_crosswalk`).

Without a crosswalk file, the pillars always connect two frameworks
(:func:`pillar_crosswalk`): a domain of A maps to the domains of B in the same pillar (shared
equally), and domains in pillars B lacks are unmapped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field, field_validator

from ..errors import PathElement, Problem, WellbeingBudgetError, did_you_mean
from .base import ID_PATTERN, NotEmpty, Source, _Model
from .framework import Framework

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "UNMAPPED",
    "Crosswalk",
    "CrosswalkLink",
    "IndicatorLink",
    "Unmapped",
    "check_crosswalk",
    "pillar_crosswalk",
]

Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=100)]
UNMAPPED = "(unmapped)"
"""The domain name under which effects with no counterpart are reported."""


class CrosswalkLink(_Model):
    """A domain of the first framework counted, with a weight, in a domain of the second."""

    source: Id
    target: Id
    weight: float = Field(default=1.0, gt=0, le=1)
    note: str | None = None


class IndicatorLink(_Model):
    """An indicator of the first framework that the second measures too, directly or by an
    indicator of its own: a change of one unit of ``source`` moves ``target`` by ``factor``
    units of ``target`` (after converting units where they are compatible), or by
    ``factor`` divided by the population when ``per_person`` (a national total read as a
    per-person rate). A negative ``factor`` links mirror measures, where one goes up as the
    other goes down (unemployment against employment, difficulty making ends meet against
    making ends meet); its sign must agree with the two indicators' directions. Without such
    a link, the second framework cannot see the change."""

    source: Id
    target: Id
    factor: float = Field(default=1.0, allow_inf_nan=False)
    per_person: bool = False
    basis: str = "same measure"
    note: str

    @field_validator("factor")
    @classmethod
    def _not_zero(cls, value: float) -> float:
        if value == 0:
            raise ValueError("a factor of 0 links nothing: leave the indicator unlinked")
        return value


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
    indicators: tuple[IndicatorLink, ...] = ()

    @field_validator("basis")
    @classmethod
    def _basis(cls, value: str) -> str:
        if value not in ("official", "judgement", "pillar"):
            raise ValueError(f"basis is official, judgement or pillar, got {value!r}")
        return value

    # -- conveniences (implementation in analysis/) ------------------------------------

    def matrix(self, source: Framework, target: Framework) -> np.ndarray[Any, Any]:
        """Weights as an array: domains of ``source`` (rows) by domains of ``target``."""
        from ..analysis.reexpress import crosswalk_matrix

        return crosswalk_matrix(self, source, target)


def check_crosswalk(
    crosswalk: Crosswalk,
    source: Framework,
    target: Framework,
    where: Callable[[tuple[PathElement, ...], str], Problem],
) -> list[Problem]:
    """Every problem of ``crosswalk`` against the two frameworks: unknown domains, domains
    neither linked nor listed as unmapped, link weights that do not add up to 1. ``where(path,
    message)`` locates each problem."""
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
    source_indicators = [i.id for i in source.indicators]
    target_indicators = [i.id for i in target.indicators]
    for n, ilink in enumerate(crosswalk.indicators):
        for end, ids, framework in (
            ("source", source_indicators, source),
            ("target", target_indicators, target),
        ):
            key = getattr(ilink, end)
            if key not in ids:
                problems.append(
                    where(
                        ("indicators", n, end),
                        f"{framework.id} has no indicator {key!r}" + did_you_mean(key, ids),
                    )
                )
        directions = [
            framework.indicator(getattr(ilink, end)).direction.kind
            for end, ids, framework in (
                ("source", source_indicators, source),
                ("target", target_indicators, target),
            )
            if getattr(ilink, end) in ids
        ]
        if len(directions) == 2 and "target" not in directions:
            mirror = directions[0] != directions[1]
            if mirror != (ilink.factor < 0):
                problems.append(
                    where(
                        ("indicators", n, "factor"),
                        f"{ilink.source} is {directions[0]} and {ilink.target} is "
                        f"{directions[1]}: the factor must be "
                        + ("negative (mirror measures)" if mirror else "positive")
                        + f", got {ilink.factor:g}",
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
