"""Turn pydantic's validation errors into located problems with plain-language messages."""

from __future__ import annotations

import re
import typing
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pydantic
from pydantic import BaseModel

from ..errors import MAX_PROBLEMS, PathElement, Problem, ValidationError, did_you_mean

__all__ = ["Locator", "Problems", "model_at", "pydantic_problems", "sort_problems"]

Locator = Callable[[tuple[PathElement, ...], bool], Problem]
"""Given a path in the validated data and whether the problem is about the key itself,
return a template :class:`Problem` with file, line, column and the path as written."""


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    stack = [annotation]
    while stack:
        current = stack.pop()
        if isinstance(current, type) and issubclass(current, BaseModel):
            found.append(current)
            continue
        origin = typing.get_origin(current)
        if origin is typing.Annotated:
            stack.append(typing.get_args(current)[0])
        elif origin is not None and origin is not typing.Literal:
            stack.extend(typing.get_args(current))
    return found


def model_at(root: type[BaseModel], path: Sequence[PathElement]) -> type[BaseModel] | None:
    """The model class that validates the value at ``path`` (list indexes skipped)."""
    current: type[BaseModel] | None = root
    for element in path:
        if current is None:
            return None
        if isinstance(element, int):
            continue
        field = current.model_fields.get(element)
        if field is None:  # the YAML may use a field's alias ("index" for index_spec)
            field = next((f for f in current.model_fields.values() if f.alias == element), None)
        if field is None:
            return None
        models = _models_in(field.annotation)
        current = models[0] if models else None
    return current


_LITERAL_RE = re.compile(r"'([^']*)'")


def _message(error: Any, root: type[BaseModel], loc: tuple[PathElement, ...]) -> tuple[str, bool]:
    """A message for one pydantic error, and whether it concerns the key rather than the value."""
    kind = error["type"]
    value = error.get("input")
    if kind == "missing":
        return f"missing required key {loc[-1]!r}", False
    if kind == "extra_forbidden":
        owner = model_at(root, loc[:-1])
        allowed = [f.alias or n for n, f in owner.model_fields.items()] if owner else []
        hint = did_you_mean(str(loc[-1]), allowed)
        if not hint and allowed:
            hint = "; allowed keys: " + ", ".join(allowed)
        return f"unknown key {loc[-1]!r}{hint}", True
    message = str(error["msg"])
    if kind == "value_error":
        message = message.removeprefix("Value error, ")
    elif kind in ("literal_error", "enum"):
        expected = _LITERAL_RE.findall(str(error.get("ctx", {}).get("expected", "")))
        message = f"must be one of {', '.join(expected)}, got {value!r}"
        if isinstance(value, str):
            message += did_you_mean(value, expected)
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message = f"expected a mapping of keys and values, got {_describe(value)}"
    elif kind in ("tuple_type", "list_type"):
        message = f"expected a list, got {_describe(value)}"
    elif kind.startswith(("string_", "int_", "float_", "bool_", "greater", "less")):
        message = f"{message[:1].lower()}{message[1:]}, got {_describe(value)}"
    return message, False


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def pydantic_problems(
    exc: pydantic.ValidationError,
    root: type[BaseModel],
    locate: Locator,
    *,
    limit: int | None = None,
    prepare: Callable[[list[tuple[PathElement, ...]]], None] | None = None,
) -> list[Problem]:
    """The errors of ``exc`` as located :class:`Problem` s: every one, or the first ``limit``.

    ``prepare`` is told the paths about to be located first, so a document can find them
    all in one pass instead of recording where every value of a large file was written.
    """
    errors = exc.errors(include_url=False)
    if limit is not None:
        errors = errors[: max(limit, 0)]
    locs = [tuple(p for p in error["loc"] if isinstance(p, str | int)) for error in errors]
    if prepare is not None:
        prepare(locs)
    problems = []
    for error, loc in zip(errors, locs, strict=True):
        message, about_key = _message(error, root, loc)
        template = locate(loc, about_key)
        problems.append(
            Problem(message, template.path, template.file, template.line, template.column)
        )
    return problems


class Problems:
    """The problems of one read, stored up to a cap and only counted beyond it, so a file
    with a fault on every line takes no more memory or time to report than one with a few.

    >>> found = Problems(cap=2)
    >>> for row in range(5):
    ...     found.append(Problem(f"row {row} is wrong"))
    >>> len(found.items), found.more
    (2, 3)
    """

    def __init__(self, initial: Sequence[Problem] = (), *, cap: int = MAX_PROBLEMS, more: int = 0):
        self.items: list[Problem] = []
        self.more = more
        self.cap = cap
        self.extend(initial)

    @property
    def room(self) -> int:
        """How many more problems will be stored (0: only counted from now on)."""
        return max(self.cap - len(self.items), 0)

    def append(self, problem: Problem) -> None:
        if len(self.items) < self.cap:
            self.items.append(problem)
        else:
            self.more += 1

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)

    def __iadd__(self, problems: Iterable[Problem]) -> Problems:
        self.extend(problems)
        return self

    def count(self, extra: int) -> None:
        """Count ``extra`` problems found but not stored (nor located)."""
        self.more += max(extra, 0)

    def add_pydantic(
        self,
        exc: pydantic.ValidationError,
        root: type[BaseModel],
        locate: Locator,
        prepare: Callable[[list[tuple[PathElement, ...]]], None] | None = None,
    ) -> None:
        """The errors of ``exc``, located only as far as there is room; the rest counted."""
        room = self.room
        self.extend(pydantic_problems(exc, root, locate, limit=room, prepare=prepare))
        self.count(exc.error_count() - room)

    def add_at(
        self,
        found: Sequence[tuple[tuple[PathElement, ...], str]],
        locate: Locator,
        prepare: Callable[[list[tuple[PathElement, ...]]], None] | None = None,
    ) -> None:
        """Problems given as (path, message), located only as far as there is room (in one
        pass through ``prepare``); the rest counted."""
        kept = found[: self.room]
        if prepare is not None and kept:
            prepare([path for path, _ in kept])
        for path, message in kept:
            template = locate(path, False)
            self.append(
                Problem(message, template.path, template.file, template.line, template.column)
            )
        self.count(len(found) - len(kept))

    def __bool__(self) -> bool:
        return bool(self.items) or self.more > 0

    def __len__(self) -> int:
        return len(self.items) + self.more

    def error(self, summary: str | None = None) -> ValidationError:
        """One :class:`ValidationError` with the stored problems in file order and the count
        of the rest."""
        return ValidationError(sort_problems(self.items), summary, more=self.more)

    def raise_if_any(self, summary: str | None = None) -> None:
        if self:
            raise self.error(summary)


def sort_problems(problems: Sequence[Problem]) -> list[Problem]:
    """Problems in file order, duplicates removed."""
    unique = list(dict.fromkeys(problems))

    def path_key(problem: Problem) -> tuple[tuple[int, int, str], ...]:
        # rows[2] before rows[10]: indices compare as numbers, keys as text
        return tuple((0, e, "") if isinstance(e, int) else (1, 0, str(e)) for e in problem.path)

    return sorted(unique, key=lambda p: (p.file or "", p.line or 0, p.column or 0, path_key(p)))
