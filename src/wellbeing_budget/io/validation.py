"""Turn pydantic's validation errors into located problems with plain-language messages."""

from __future__ import annotations

import re
import typing
from collections.abc import Callable, Sequence
from typing import Any

import pydantic
from pydantic import BaseModel

from ..errors import PathElement, Problem, did_you_mean

__all__ = ["Locator", "model_at", "pydantic_problems", "sort_problems"]

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
    exc: pydantic.ValidationError, root: type[BaseModel], locate: Locator
) -> list[Problem]:
    """Every error of ``exc`` as a located :class:`Problem`."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(p for p in error["loc"] if isinstance(p, str | int))
        message, about_key = _message(error, root, loc)
        template = locate(loc, about_key)
        problems.append(
            Problem(message, template.path, template.file, template.line, template.column)
        )
    return problems


def sort_problems(problems: Sequence[Problem]) -> list[Problem]:
    """Problems in file order, duplicates removed."""
    unique = list(dict.fromkeys(problems))

    def path_key(problem: Problem) -> tuple[tuple[int, int, str], ...]:
        # rows[2] before rows[10]: indices compare as numbers, keys as text
        return tuple((0, e, "") if isinstance(e, int) else (1, 0, str(e)) for e in problem.path)

    return sorted(unique, key=lambda p: (p.file or "", p.line or 0, p.column or 0, path_key(p)))
