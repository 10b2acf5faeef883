"""Crosswalk files: the built-in ones under ``frameworks/crosswalks/`` and the user's own,
each checked against both frameworks it connects, every problem reported at once."""

from __future__ import annotations

import os
from pathlib import Path

import pydantic

from ..errors import ValidationError
from ..model.crosswalk import Crosswalk, check_crosswalk, pillar_crosswalk
from ..model.framework import Framework
from .loading import _plain_locator, builtin_or_file, data_dir, load_framework
from .validation import pydantic_problems, sort_problems
from .yamlio import load_yaml

__all__ = ["find_crosswalk", "list_crosswalks", "load_crosswalk"]


def _crosswalk_dir() -> Path:
    return data_dir() / "frameworks" / "crosswalks"


def list_crosswalks() -> list[str]:
    """The ids of the built-in crosswalks."""
    return sorted(p.stem for p in _crosswalk_dir().glob("*.yaml"))


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
        problems += check_crosswalk(
            crosswalk, source, target, lambda loc, msg: doc.problem(loc, msg)
        )
    if problems or crosswalk is None:
        raise ValidationError(sort_problems(problems), summary=f"{doc.name} is not valid")
    return crosswalk


def _lineage(framework: Framework) -> list[str]:
    return [framework.id, *reversed(framework.based_on)]


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
