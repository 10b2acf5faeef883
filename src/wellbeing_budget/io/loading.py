"""Reading frameworks and indicator catalogues from YAML, built in or the user's own.

The built-in YAML lives in the top-level ``frameworks/`` and ``indicators/`` folders of the
source tree and ships inside the wheel (``wellbeing_budget/_data``), so
``load_framework("nz-lsf-2021")`` works wherever the package is installed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import pydantic

from ..errors import (
    FrameworkNotFoundError,
    PathElement,
    Problem,
    UnknownIdError,
    ValidationError,
    WellbeingBudgetError,
    YAMLError,
    did_you_mean,
)
from ..model.base import NotEmpty, Source
from ..model.base import _Model as _ModelBase
from ..model.framework import (
    DiscountSpec,
    Framework,
    Indicator,
    IndicatorCatalogue,
    Priority,
)
from ..model.proposal import Origin, Proposal, ProposalSet
from ..model.values import Deflator, ValueSet
from .files import paused_gc
from .validation import Problems
from .yamlio import Document, load_yaml

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "builtin_catalogue",
    "data_dir",
    "example_path",
    "framework_path",
    "list_discount_schedules",
    "list_frameworks",
    "load_catalogue",
    "load_discount_schedule",
    "load_framework",
    "load_proposals",
]

_EXTENDS_KEYS = ("extends", "drop_domains")
# With extends, these mappings are merged key by key: a child may change one horizon only.
_MERGED_KEYS = ("generations", "discounting")


def data_dir() -> Path:
    """The folder holding the built-in ``frameworks/`` and ``indicators/``."""
    packaged = Path(str(resources.files("wellbeing_budget"))) / "_data"
    if (packaged / "frameworks").is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3]  # src/wellbeing_budget/io -> repository root
    if (checkout / "frameworks").is_dir():
        return checkout
    raise WellbeingBudgetError(  # pragma: no cover - only a broken install gets here
        f"the built-in frameworks are missing: looked in {packaged} and {checkout}"
    )


def example_path(*parts: str) -> Path:
    """A file of the bundled examples, wherever the package is installed.

    >>> example_path("nz-wellbeing-budget-2019", "proposals.yaml").name
    'proposals.yaml'
    """
    path = data_dir().joinpath("examples", *parts)
    if not path.exists():
        raise WellbeingBudgetError(f"no bundled example file {'/'.join(parts)!r} ({path})")
    return path


def _frameworks_dir() -> Path:
    return data_dir() / "frameworks"


def list_frameworks() -> list[str]:
    """The ids of the built-in frameworks, sorted.

    >>> "nz-lsf-2021" in list_frameworks()
    True
    """
    return sorted(p.stem for p in _frameworks_dir().glob("*.yaml"))


def framework_path(framework_id: str) -> Path:
    """The file of a built-in framework; :class:`FrameworkNotFoundError` with a suggestion
    when there is none."""
    path = _frameworks_dir() / f"{framework_id}.yaml"
    if not path.is_file():
        known = list_frameworks()
        raise FrameworkNotFoundError(
            f"no built-in framework {framework_id!r}{did_you_mean(framework_id, known)} "
            f"(built-in: {', '.join(known)}; or give the path of a YAML file)"
        )
    return path


# -- discount schedules ----------------------------------------------------------------------


def list_discount_schedules() -> list[str]:
    """The names of the built-in discount schedules (plus ``none``)."""
    folder = _frameworks_dir() / "discounting"
    return sorted(["none", *(p.stem for p in folder.glob("*.yaml"))])


def builtin_or_file(
    reference: str | os.PathLike[str], folder: Path, what: str, known: list[str]
) -> Path:
    """The YAML file ``reference`` names: a path, or a built-in name in ``folder``;
    :class:`UnknownIdError` with a suggestion when it is neither."""
    text = os.fspath(reference)
    if isinstance(reference, os.PathLike) or _is_path_like(text):
        path = Path(text)
    else:
        path = folder / f"{text}.yaml"
    if not path.is_file():
        raise UnknownIdError(
            f"no {what} {text!r}{did_you_mean(text, known)} (built-in: {', '.join(known)})"
        )
    return path


_M = TypeVar("_M", bound=pydantic.BaseModel)


def _read_model(path: Path, model: type[_M]) -> _M:
    """A YAML file read into ``model``, every problem located at once."""
    doc = load_yaml(path)
    problems = _found(doc)
    result = None
    try:
        result = model.model_validate(doc.data)
    except pydantic.ValidationError as exc:
        problems.add_pydantic(exc, model, _plain_locator(doc), doc.prepare)
    if problems or result is None:
        raise problems.error(f"{doc.name} is not valid")
    return result


def load_discount_schedule(name: str | os.PathLike[str]) -> DiscountSpec:
    """A built-in discount schedule by name (``"nz-treasury-2024-non-commercial"``), or a
    schedule YAML file by path."""
    if name == "none":
        return DiscountSpec(kind="none", name="no discounting")
    folder = _frameworks_dir() / "discounting"
    path = builtin_or_file(name, folder, "discount schedule", list_discount_schedules())
    return _read_model(path, DiscountSpec)


def _named_schedules(data: dict[str, Any], doc: Document, problems: Problems) -> None:
    """Replace schedule names (``money: uk-green-book-standard``) by their definitions."""
    discounting = data.get("discounting")
    if not isinstance(discounting, dict):
        return
    folder = _frameworks_dir() / "discounting"
    for key in ("money", "wellbeing"):
        name = discounting.get(key)
        if not isinstance(name, str):
            continue
        where = ("discounting", key)
        if name == "none":
            discounting[key] = DiscountSpec(kind="none", name="no discounting")
            continue
        target, problem = resolve_reference(
            name, doc, where, folder, "discount schedule", list_discount_schedules()
        )
        # Once reported, the name stands in as "no discounting" so that the schema check does
        # not report it a second time.
        discounting[key] = DiscountSpec(kind="none")
        if problem is not None:
            problems.append(problem)
            continue
        assert target is not None
        try:
            discounting[key] = load_discount_schedule(target)
        except WellbeingBudgetError as exc:
            problems.append(_referred_file_problem(doc, where, name, exc))


def _referred_file_problem(
    doc: Document, where: tuple[PathElement, ...], name: str, exc: WellbeingBudgetError
) -> Problem:
    """A fault inside a file that ``doc`` names, reported at the name: how many problems and
    where to look, never the other file's content."""
    count = len(exc.problems) + exc.more if isinstance(exc, ValidationError) else 1
    return doc.problem(
        where,
        f"{name!r} is not valid ({count} problem{'s' if count != 1 else ''}): check it "
        f"with 'wellbeing-budget validate {name}'",
    )


MAX_EXTENDS_DEPTH = 16
"""Longest chain of frameworks extending one another (a built-in's own chain included)."""


def resolve_reference(
    reference: Any,
    doc: Document,
    where: tuple[PathElement, ...],
    folder: Path,
    what: str,
    known: Sequence[str],
) -> tuple[Path | None, Problem | None]:
    """The file that a name written inside ``doc`` refers to, or the located problem.

    The one lookup for every named reference (``extends``, discount schedules, crosswalks):
    a built-in id (a file in ``folder``), or a path relative to the referring file that
    stays inside that file's folder. Never the working folder, an absolute path, ``..`` or a
    link leading out; an error names the referring file and line, never another file's
    content.
    """
    if not isinstance(reference, str) or not reference.strip():
        return None, doc.problem(where, f"{what}: give a built-in id or a relative path")
    if not _is_path_like(reference):
        path = folder / f"{reference}.yaml"
        if reference in known and path.is_file():
            return path, None
        return None, doc.problem(
            where,
            f"no built-in {what} {reference!r}{did_you_mean(reference, known)} "
            f"(built-in: {', '.join(known)}; or a path relative to this file)",
        )
    parts = Path(reference).parts
    if Path(reference).is_absolute() or reference.startswith(("~", "\\")) or ".." in parts:
        return None, doc.problem(
            where,
            f"{what} {reference!r} leaves the folder of the file: give a built-in id or a "
            f"path relative to {doc.name} inside its folder (no absolute path, no '..')",
        )
    if doc.path is None:
        return None, doc.problem(where, f"{what} {reference!r}: a path needs the YAML in a file")
    base = doc.path.resolve().parent
    target = (base / reference).resolve()
    if not target.is_relative_to(base):
        return None, doc.problem(
            where, f"{what} {reference!r} leaves the folder of the file (through a link)"
        )
    if not target.is_file():
        return None, doc.problem(where, f"{what} {reference!r}: no such file beside {doc.name}")
    return target, None


# -- value sets ------------------------------------------------------------------------------


def list_value_sets() -> list[str]:
    """The ids of the built-in value sets (money values for the monetised view)."""
    return sorted(p.stem for p in (_frameworks_dir() / "values").glob("*.yaml"))


def load_value_set(name: str | os.PathLike[str]) -> ValueSet:
    """A built-in value set by id (``"uk-green-book-2021"``), or a value-set YAML file.

    >>> load_value_set("uk-green-book-2021").currency
    'GBP'
    """
    folder = _frameworks_dir() / "values"
    path = builtin_or_file(name, folder, "value set", list_value_sets())
    return _read_model(path, ValueSet)


def list_deflators() -> list[str]:
    """The ids of the built-in deflators (price indices by year)."""
    return sorted(p.stem for p in (_frameworks_dir() / "deflators").glob("*.yaml"))


def load_deflator(name: str | os.PathLike[str]) -> Deflator:
    """A built-in deflator by id (``"uk-hmt-gdp-deflator"``), or a deflator YAML file."""
    folder = _frameworks_dir() / "deflators"
    path = builtin_or_file(name, folder, "deflator", list_deflators())
    return _read_model(path, Deflator)


def _named_values(data: dict[str, Any], doc: Document, problems: Problems) -> None:
    """Replace a value-set name (``values: uk-green-book-2021``) and a deflator name by their
    definitions, through the one confined lookup."""
    references = (
        ("values", "values", "value set", list_value_sets, load_value_set),
        ("deflator", "deflators", "deflator", list_deflators, load_deflator),
    )
    for key, folder, what, known, loader in references:
        name = data.get(key)
        if not isinstance(name, str):
            continue
        target, problem = resolve_reference(
            name, doc, (key,), _frameworks_dir() / folder, what, known()
        )
        data[key] = None  # reported once: the schema check must not report the name again
        if problem is not None:
            problems.append(problem)
            continue
        assert target is not None
        try:
            data[key] = loader(target)
        except WellbeingBudgetError as exc:
            problems.append(_referred_file_problem(doc, (key,), name, exc))


# -- catalogues ------------------------------------------------------------------------------


def load_catalogue(path: str | os.PathLike[str]) -> IndicatorCatalogue:
    """Read one indicator catalogue file, reporting every problem at once."""
    doc = load_yaml(path)
    problems = _found(doc)
    catalogue: IndicatorCatalogue | None = None
    if not isinstance(doc.data, dict):
        problems.append(doc.problem((), "an indicator catalogue is a mapping with 'indicators'"))
    else:
        try:
            catalogue = IndicatorCatalogue.model_validate(doc.data)
        except pydantic.ValidationError as exc:
            problems.add_pydantic(exc, IndicatorCatalogue, _plain_locator(doc), doc.prepare)
    if problems or catalogue is None:
        raise problems.error(f"{doc.name} is not valid")
    return catalogue


def builtin_catalogue() -> dict[str, Indicator]:
    """Every built-in indicator by id, from all files in ``indicators/``."""
    indicators: dict[str, Indicator] = {}
    origin: dict[str, str] = {}
    for path in sorted((data_dir() / "indicators").glob("*.yaml")):
        for indicator in load_catalogue(path).indicators:
            if indicator.id in indicators:
                raise ValidationError(
                    [
                        Problem(
                            f"indicator {indicator.id!r} is also defined in {origin[indicator.id]}",
                            ("indicators",),
                            str(path),
                        )
                    ]
                )
            indicators[indicator.id] = indicator
            origin[indicator.id] = path.name
    return indicators


# -- frameworks ------------------------------------------------------------------------------


def _found(doc: Document) -> Problems:
    """A collector holding the problems met while reading ``doc`` (duplicate keys)."""
    return Problems(doc.problems, more=doc.more)


def _plain_locator(doc: Document) -> Any:
    def locate(path: tuple[PathElement, ...], key: bool) -> Problem:
        return doc.problem(path, "", key=key)

    return locate


@dataclass
class _Origins:
    """Where each part of merged framework data was written: path prefix -> (doc, prefix)."""

    default: Document
    prefixes: dict[tuple[PathElement, ...], tuple[Document, tuple[PathElement, ...]]]

    def _source(self, path: tuple[PathElement, ...]) -> tuple[Document, tuple[PathElement, ...]]:
        for cut in range(len(path), -1, -1):
            hit = self.prefixes.get(path[:cut])
            if hit is not None:
                return hit[0], hit[1] + path[cut:]
        return self.default, path

    def prepare(self, paths: list[tuple[PathElement, ...]]) -> None:
        """Find the written place of ``paths`` in one pass per file (see Document.prepare)."""
        by_doc: dict[int, tuple[Document, list[tuple[PathElement, ...]]]] = {}
        for path in paths:
            doc, written = self._source(path)
            by_doc.setdefault(id(doc), (doc, []))[1].append(written)
        for doc, written_paths in by_doc.values():
            doc.prepare(written_paths)

    def locate(self, path: tuple[PathElement, ...], key: bool) -> Problem:
        for cut in range(len(path), -1, -1):
            hit = self.prefixes.get(path[:cut])
            if hit is not None:
                doc, prefix = hit
                return doc.problem(prefix + path[cut:], "", key=key)
        return self.default.problem(path, "", key=key)


def _is_path_like(reference: str) -> bool:
    return reference.endswith((".yaml", ".yml")) or "/" in reference or os.sep in reference


def _resolve_extends(reference: Any, doc: Document) -> tuple[Path | None, Problem | None]:
    target, problem = resolve_reference(
        reference, doc, ("extends",), _frameworks_dir(), "framework", list_frameworks()
    )
    if problem is not None and isinstance(reference, str) and not _is_path_like(reference):
        # the message users know from load_framework
        try:
            framework_path(reference)
        except FrameworkNotFoundError as exc:
            return None, doc.problem(("extends",), str(exc))
    if problem is not None and isinstance(reference, str) and Path(reference).is_absolute():
        return None, doc.problem(
            ("extends",),
            f"extends {reference!r}: use a path relative to the file, inside its folder",
        )
    if problem is not None and "leaves the folder" in problem.message:
        return None, doc.problem(
            ("extends",),
            f"extends {reference!r} leaves the folder of the file; a framework may only "
            "extend a built-in framework or a file in its own folder",
        )
    if problem is not None and "no such file" in problem.message:
        return None, doc.problem(("extends",), f"extends {reference!r}: no such file")
    return target, problem


def _merge(
    parent: Framework, data: dict[str, Any], doc: Document, problems: Problems
) -> tuple[dict[str, Any], _Origins]:
    """Parent framework patched by a child's data; remembers where each part was written."""
    origins = _Origins(doc, {})
    # top-level fields, parsed objects, under their YAML names
    merged: dict[str, Any] = {
        (Framework.model_fields[name].alias or name): value for name, value in parent
    }
    for key, value in data.items():
        if key in ("domains", "indicators", "groups", *_EXTENDS_KEYS):
            continue
        if key in _MERGED_KEYS and isinstance(value, dict):
            base = merged.get(key)
            if isinstance(base, pydantic.BaseModel):
                value = {**dict(base), **value}
        merged[key] = value
    merged["based_on"] = (*parent.based_on, parent.id)
    written = data.get("discounting", {})
    # a discounting that is not a mapping is left for validation to report where it was written
    if isinstance(written, dict):
        inherited = {
            key: spec.model_copy(update={"inherited_from": spec.inherited_from or parent.id})
            for key, spec in parent.discounting
            if key not in written
        }
        if inherited:
            merged["discounting"] = {**dict(merged["discounting"]), **inherited}
    if "id" not in data:
        problems.append(doc.problem((), "a framework that extends another needs its own id"))
    elif data["id"] == parent.id:
        problems.append(
            doc.problem(("id",), f"id {parent.id!r} is the id of the framework it extends")
        )

    domains: list[Any] = list(parent.domains)
    index = {d.id: i for i, d in enumerate(domains)}
    dropped: set[int] = set()
    drops = data.get("drop_domains", [])
    if not isinstance(drops, list):
        problems.append(doc.problem(("drop_domains",), "drop_domains is a list of domain ids"))
        drops = []
    for j, domain_id in enumerate(drops):
        if domain_id not in index:
            problems.append(
                doc.problem(
                    ("drop_domains", j),
                    f"{parent.id} has no domain {domain_id!r}"
                    + did_you_mean(str(domain_id), list(index)),
                )
            )
        else:
            dropped.add(index[domain_id])

    patches = data.get("domains", [])
    if not isinstance(patches, list):
        problems.append(doc.problem(("domains",), "domains is a list of domains"))
        patches = []
    placed: dict[int, int] = {}  # merged index -> child index
    for j, patch in enumerate(patches):
        patch_id = patch.get("id") if isinstance(patch, dict) else None
        if isinstance(patch_id, str) and patch_id in index:
            i = index[patch_id]
            if i in dropped:
                problems.append(
                    doc.problem(("domains", j, "id"), f"domain {patch_id!r} is also dropped")
                )
            base = domains[i].model_dump(mode="python", exclude_defaults=True)
            domains[i] = {**base, **patch}
            placed[i] = j
        else:
            if isinstance(patch, dict) and isinstance(patch_id, str) and "name" not in patch:
                hint = did_you_mean(patch_id, list(index))
                if hint:
                    problems.append(
                        doc.problem(
                            ("domains", j, "id"),
                            f"{parent.id} has no domain {patch_id!r}{hint}",
                        )
                    )
                    continue
            placed[len(domains)] = j
            domains.append(patch)
    kept = [i for i in range(len(domains)) if i not in dropped]
    merged["domains"] = [domains[i] for i in kept]
    for new_i, old_i in enumerate(kept):
        if old_i in placed:
            origins.prefixes[("domains", new_i)] = (doc, ("domains", placed[old_i]))

    merged["groups"] = _merge_groups(parent, data, doc, problems, origins)

    inline = data.get("indicators", [])
    indicators: list[Any] = list(parent.indicators)
    by_id = {ind.id: k for k, ind in enumerate(indicators)}
    if isinstance(inline, list):
        for m, item in enumerate(inline):
            item_id = item.get("id") if isinstance(item, dict) else None
            k = by_id.get(item_id) if isinstance(item_id, str) else None
            if k is None:
                k = len(indicators)
                indicators.append(item)
            else:
                indicators[k] = item
            origins.prefixes[("indicators", k)] = (doc, ("indicators", m))
    else:
        problems.append(doc.problem(("indicators",), "indicators is a list of indicators"))
    merged["indicators"] = indicators
    return merged, origins


def _merge_groups(
    parent: Framework,
    data: dict[str, Any],
    doc: Document,
    problems: Problems,
    origins: _Origins,
) -> list[Any]:
    """The parent's population groups, resized or added to by the child's (matched by id)."""
    groups: list[Any] = list(parent.groups)
    index = {g.id: i for i, g in enumerate(groups)}
    patches = data.get("groups", [])
    if not isinstance(patches, list):
        problems.append(doc.problem(("groups",), "groups is a list of population groups"))
        return groups
    for j, patch in enumerate(patches):
        patch_id = patch.get("id") if isinstance(patch, dict) else None
        if isinstance(patch_id, str) and patch_id in index:
            i = index[patch_id]
            base = groups[i].model_dump(mode="python", exclude_defaults=True)
            groups[i] = {**base, **patch}
        else:
            i = len(groups)
            groups.append(patch)
        origins.prefixes[("groups", i)] = (doc, ("groups", j))
    return groups


def _resolve_indicators(
    merged: dict[str, Any],
    origins: _Origins,
    catalogue: dict[str, Indicator],
    problems: Problems,
) -> None:
    """Add the catalogue definitions of referenced indicators; report unknown references
    and indicators placed in two domains, located where they were written."""
    indicators = merged.setdefault("indicators", [])
    if not isinstance(indicators, list):
        return
    local = {}
    for item in indicators:
        item_id = (
            item.id
            if isinstance(item, Indicator)
            else (item.get("id") if isinstance(item, dict) else None)
        )
        if isinstance(item_id, str):
            local[item_id] = item
    known = sorted(set(local) | set(catalogue))
    used: dict[str, str] = {}
    found: list[tuple[tuple[PathElement, ...], str]] = []  # located once, up to the cap
    _check_references(merged, local, known, catalogue, used, found, indicators)
    problems.add_at(found, origins.locate, origins.prepare)


def _check_references(
    merged: dict[str, Any],
    local: dict[str, Any],
    known: list[str],
    catalogue: dict[str, Indicator],
    used: dict[str, str],
    found: list[tuple[tuple[PathElement, ...], str]],
    indicators: list[Any],
) -> None:
    domains = merged.get("domains")
    if not isinstance(domains, list):
        return
    for i, domain in enumerate(domains):
        if isinstance(domain, dict):
            refs = domain.get("indicators", [])
            domain_id = domain.get("id")
        else:
            refs = [r.id for r in domain.indicators]
            domain_id = domain.id
        if not isinstance(refs, list | tuple):
            continue
        for j, ref in enumerate(refs):
            ref_id = ref.get("id") if isinstance(ref, dict) else ref
            if not isinstance(ref_id, str):
                continue
            path: tuple[PathElement, ...] = ("domains", i, "indicators", j)
            if ref_id not in local and ref_id not in catalogue:
                found.append((path, f"unknown indicator {ref_id!r}{did_you_mean(ref_id, known)}"))
                continue
            if ref_id in used and used[ref_id] != domain_id:
                found.append(
                    (
                        path,
                        f"indicator {ref_id!r} is already in domain {used[ref_id]!r}: "
                        "its effects would count twice",
                    )
                )
            used[ref_id] = str(domain_id)
            if ref_id not in local:
                local[ref_id] = catalogue[ref_id]
                indicators.append(catalogue[ref_id])
    priorities = merged.get("priorities") or []
    for p, priority in enumerate(priorities if isinstance(priorities, list | tuple) else []):
        if isinstance(priority, Priority):
            ids: Any = priority.indicators
        else:
            ids = priority.get("indicators", []) if isinstance(priority, dict) else []
        for q, ref_id in enumerate(ids if isinstance(ids, list | tuple) else []):
            if isinstance(ref_id, str) and ref_id not in used:
                found.append(
                    (
                        ("priorities", p, "indicators", q),
                        f"indicator {ref_id!r} is not measured by any domain of the framework"
                        + did_you_mean(ref_id, list(used)),
                    )
                )


def _load(path: Path, chain: tuple[Path, ...], catalogue: dict[str, Indicator]) -> Framework:
    doc = load_yaml(path)
    problems = _found(doc)
    data = doc.data
    if not isinstance(data, dict):
        raise ValidationError(
            [doc.problem((), "a framework is a mapping of keys (id, name, domains...)")],
            summary=f"{doc.name} is not valid",
        )
    origins = _Origins(doc, {})
    _named_schedules(data, doc, problems)
    _named_values(data, doc, problems)
    if "extends" in data:
        target, problem = _resolve_extends(data["extends"], doc)
        if problem is not None:
            problems.append(problem)
            raise problems.error(f"{doc.name} is not valid")
        assert target is not None
        if target in chain:
            cycle = " -> ".join(p.name for p in (*chain, target))
            raise YAMLError([doc.problem(("extends",), f"extends goes round in a circle: {cycle}")])
        if len(chain) >= MAX_EXTENDS_DEPTH:
            raise YAMLError(
                [
                    doc.problem(
                        ("extends",),
                        f"extends chains are at most {MAX_EXTENDS_DEPTH} frameworks long",
                    )
                ]
            )
        parent = _load(target, (*chain, target), catalogue)
        merged, origins = _merge(parent, data, doc, problems)
    else:
        for key in _EXTENDS_KEYS[1:]:
            if key in data:
                problems.append(doc.problem((key,), f"{key} needs extends", key=True))
        merged = {k: v for k, v in data.items() if k not in _EXTENDS_KEYS}
        if isinstance(merged.get("indicators"), list):
            merged["indicators"] = list(merged["indicators"])
            for k in range(len(merged["indicators"])):
                origins.prefixes[("indicators", k)] = (doc, ("indicators", k))
    _resolve_indicators(merged, origins, catalogue, problems)
    framework: Framework | None = None
    try:
        framework = Framework.model_validate(merged, context={"references_checked": True})
    except pydantic.ValidationError as exc:
        problems.add_pydantic(exc, Framework, origins.locate, origins.prepare)
    if problems or framework is None:
        raise problems.error(f"{doc.name} is not valid")
    return framework


def load_framework(id_or_path: str | os.PathLike[str]) -> Framework:
    """A built-in framework by id (``"nz-lsf-2021"``), or a framework YAML file by path.

    Every problem in the file is reported at once in one :class:`ValidationError`, each with
    file, line, column and dotted path.

    >>> lsf = load_framework("nz-lsf-2021")
    >>> lsf.jurisdiction
    'New Zealand'
    """
    reference = os.fspath(id_or_path)
    candidate = Path(reference)
    if isinstance(id_or_path, os.PathLike) or _is_path_like(reference) or candidate.is_file():
        if not candidate.is_file():
            raise FrameworkNotFoundError(f"no framework file {reference!r}")
        path = candidate.resolve()
    else:
        path = framework_path(reference)
    return _load(path, (path,), builtin_catalogue())


# -- proposals -------------------------------------------------------------------------------


class ProposalFile(_ModelBase):
    """The shape of a proposals YAML file."""

    title: str | None = None
    description: str | None = None
    note: str | None = None
    source: Source | None = None
    proposals: Annotated[tuple[Proposal, ...], NotEmpty]


def _repeated(ids: Sequence[Any]) -> list[tuple[int, int]]:
    """(position, position of the first use) of every id used again."""
    first: dict[Any, int] = {}
    twice = []
    for i, item in enumerate(ids):
        if not isinstance(item, str):
            continue
        if item in first:
            twice.append((i, first[item]))
        else:
            first[item] = i
    return twice


def _duplicate_ids(
    ids: Sequence[Any], where: Callable[[int], Problem], what: str, limit: int | None = None
) -> list[Problem]:
    problems = []
    for i, first in _repeated(ids)[:limit]:
        template = where(i)
        problems.append(
            Problem(
                f"{what} id {ids[i]!r} is used twice (first at {what}s[{first}])",
                template.path,
                template.file,
                template.line,
                template.column,
            )
        )
    return problems


def load_proposals_yaml(path: str | os.PathLike[str]) -> ProposalSet:
    """Read proposals from a YAML file, reporting every problem at once."""
    with paused_gc():
        return _load_proposals_yaml(path)


def _load_proposals_yaml(path: str | os.PathLike[str]) -> ProposalSet:
    doc = load_yaml(path)
    problems = _found(doc)
    data = doc.data
    if not isinstance(data, dict) or "proposals" not in data:
        problems.append(doc.problem((), "a proposals file is a mapping with a 'proposals' list"))
        raise problems.error(f"{doc.name} is not valid")
    raw = data.get("proposals")
    if isinstance(raw, list):
        ids = [p.get("id") if isinstance(p, dict) else None for p in raw]
        twice, room = _repeated(ids), problems.room
        doc.prepare([("proposals", i, "id") for i, _ in twice[:room]])
        problems += _duplicate_ids(
            ids, lambda i: doc.problem(("proposals", i, "id"), ""), "proposal", room
        )
        problems.count(len(twice) - room)
    parsed: ProposalFile | None = None
    try:
        parsed = ProposalFile.model_validate(data)
    except pydantic.ValidationError as exc:
        problems.add_pydantic(exc, ProposalFile, _plain_locator(doc), doc.prepare)
    if problems or parsed is None:
        raise problems.error(f"{doc.name} is not valid")

    origins = tuple(
        Origin(lambda path, i=i: doc.problem(("proposals", i, *path), ""))  # type: ignore[misc]
        for i in range(len(parsed.proposals))
    )
    return ProposalSet(parsed.proposals, origins, doc.name, parsed.title, parsed.note)


def load_proposals(
    source: str | os.PathLike[str] | pd.DataFrame | Sequence[Proposal],
    costs: str | os.PathLike[str] | pd.DataFrame | None = None,
    *,
    decimal: str = ".",
    sep: str | None = None,
) -> ProposalSet:
    """Proposals from a YAML file, a table of impacts (CSV, Excel or a pandas DataFrame, with
    costs in a second table or sheet), or proposals built in code.

    Tables have one row per impact; see the docs page "Proposals" for their columns.
    ``decimal=","`` reads tables whose numbers have a decimal comma (``12,1 million DKK``),
    CSV cells then separated by ``;`` unless ``sep`` says otherwise (docs: "Reading your
    files").

    >>> bids = load_proposals("examples/nz-wellbeing-budget-2019/proposals.yaml")
    >>> len(bids) >= 10
    True
    """
    import pandas as pd

    from .tables import load_proposal_tables

    if isinstance(source, ProposalSet):
        return source
    if isinstance(source, pd.DataFrame):
        return load_proposal_tables(source, costs, decimal=decimal, sep=sep)
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if path.suffix.lower() in (".yaml", ".yml"):
            if costs is not None:
                raise WellbeingBudgetError("costs go inside a YAML proposals file")
            if decimal != "." or sep is not None:
                raise WellbeingBudgetError(
                    "decimal and sep are for tables; YAML numbers have a decimal point"
                )
            return load_proposals_yaml(path)
        return load_proposal_tables(path, costs, decimal=decimal, sep=sep)
    items = list(source)
    if not all(isinstance(p, Proposal) for p in items):
        raise WellbeingBudgetError("load_proposals takes a file, a DataFrame or Proposal objects")
    problems = _duplicate_ids(
        [p.id for p in items], lambda i: Problem("", ("proposals", i, "id")), "proposal"
    )
    if problems:
        raise ValidationError(problems)
    return ProposalSet(tuple(items))
