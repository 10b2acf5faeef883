"""Safe YAML reading and atomic writing, with every problem located by file, line and column.

The reader builds plain Python values (dicts, lists, str, int, float, bool, None) straight from
libyaml's event stream, which is several times faster than ``yaml.safe_load`` and lets it refuse
what ``safe_load`` lets through:

* **no object construction**: any explicit tag other than the standard scalar ones is refused;
* **duplicate keys** are reported (PyYAML silently keeps the last value: that is lost data);
* **alias bombs** ("billion laughs") are refused from the sizes of the anchored values, before
  anything is expanded; recursive aliases and merge keys (``<<``) are refused;
* **size and depth** are bounded (:class:`Limits`);
* scalars follow the YAML 1.2 core schema: ``no``, ``on`` and ``2024-01-01`` stay strings.

Line and column of every value are not kept while reading (they would double the memory of a
large file). When validation finds problems, :meth:`Document.locate` reads the file's events
once more and finds the exact place of each problem path.

>>> doc = load_yaml_text("a: 1\\nb: [x, y]\\n", name="example.yaml")
>>> doc.data
{'a': 1, 'b': ['x', 'y']}
>>> doc.locate(("b", 1))
(2, 8)
"""

from __future__ import annotations

import contextlib
import math
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import MAX_PROBLEMS, PathElement, Problem, YAMLError
from .files import display_name, read_small_text

_EventParser: Any
try:  # libyaml is the fast path; the pure-Python parser gives the same events.
    from yaml._yaml import CParser as _EventParser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _EventParser = yaml.SafeLoader

__all__ = [
    "Document",
    "Limits",
    "dump_yaml",
    "load_yaml",
    "load_yaml_text",
]


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile or broken file from exhausting memory or time."""

    max_bytes: int = 256 * 1024 * 1024
    """Largest file read, in bytes."""
    max_depth: int = 64
    """Deepest nesting of lists and mappings."""
    max_alias_expansion: int = 100_000
    """Most values that aliases may add when expanded, on top of ten per value written out:
    a file can use aliases freely, but not grow exponentially as a "billion laughs" does."""


DEFAULT_LIMITS = Limits()

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str": "str",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:seq": "seq",
    "tag:yaml.org,2002:map": "map",
    "!": "str",
}

_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT_RE = re.compile(r"[-+]?[0-9]+")
_FLOAT_RE = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_SPECIAL_FLOATS = {
    ".inf": math.inf,
    ".Inf": math.inf,
    ".INF": math.inf,
    "+.inf": math.inf,
    "+.Inf": math.inf,
    "+.INF": math.inf,
    "-.inf": -math.inf,
    "-.Inf": -math.inf,
    "-.INF": -math.inf,
    ".nan": math.nan,
    ".NaN": math.nan,
    ".NAN": math.nan,
}
_NUMERIC_START = frozenset("-+.0123456789")


def resolve_plain(value: str) -> Any:
    """The value of a plain (unquoted) scalar under the YAML 1.2 core schema."""
    if not value:
        return None
    first = value[0]
    if first in _NUMERIC_START:
        if _INT_RE.fullmatch(value):
            return int(value)
        if _FLOAT_RE.fullmatch(value):
            return float(value)
        if value in _SPECIAL_FLOATS:
            return _SPECIAL_FLOATS[value]
        if value.startswith(("0x", "0o")):
            with contextlib.suppress(ValueError):
                return int(value, 16 if value[1] == "x" else 8)
        return value
    if value in _BOOLS:
        return _BOOLS[value]
    if value in _NULLS:
        return None
    return value


class _Refused(Exception):
    """A fault that stops reading (syntax, limits, tags); becomes a YAMLError."""

    def __init__(self, message: str, line: int | None, column: int | None) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


@dataclass
class _Frame:
    container: Any
    path: tuple[PathElement, ...]
    is_map: bool
    pending_key: Any = None
    key_mark: tuple[int, int] | None = None
    has_key: bool = False
    size: int = 1
    anchor: str | None = None


def _scalar_value(event: Any) -> Any:
    tag = event.tag
    if tag is None and event.implicit[0]:
        return resolve_plain(event.value)
    if tag is None:
        return event.value
    kind = _STANDARD_TAGS.get(tag)
    mark = event.start_mark
    if kind is None:
        raise _Refused(
            f"tag {tag!r} is not allowed: frameworks and proposals hold data only",
            mark.line + 1,
            mark.column + 1,
        )
    if kind == "str":
        return event.value
    value = resolve_plain(event.value)
    expected: Any = {"int": int, "float": (float, int), "bool": bool, "null": type(None)}[kind]
    if kind == "float" and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, expected) or (kind == "int" and isinstance(value, bool)):
        raise _Refused(f"{event.value!r} is not a valid {kind}", mark.line + 1, mark.column + 1)
    return value


def _events(text: str) -> Iterator[Any]:
    parser = _EventParser(text)
    try:
        while parser.check_event():
            yield parser.get_event()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        raise _Refused(f"YAML syntax error: {problem}", line, column) from None
    except yaml.YAMLError as exc:
        raise _Refused(f"YAML cannot be read: {exc}", None, None) from None


class _Pending:
    """Paths still to be found by a pass that records only some paths: a path is settled
    once its value has been read, or once the container that would hold it has ended."""

    def __init__(self, paths: set[tuple[PathElement, ...]]) -> None:
        self.left = set(paths)
        self.under: dict[tuple[PathElement, ...], list[tuple[PathElement, ...]]] = {}
        for path in paths:
            for cut in range(len(path)):
                self.under.setdefault(path[:cut], []).append(path)

    def settle(self, path: tuple[PathElement, ...]) -> None:
        self.left.discard(path)

    def close(self, container: tuple[PathElement, ...]) -> None:
        for path in self.under.pop(container, ()):
            self.left.discard(path)


def _build(
    text: str,
    limits: Limits,
    record: dict[tuple[PathElement, ...], tuple[int, int]] | None = None,
    key_record: dict[tuple[PathElement, ...], tuple[int, int]] | None = None,
    wanted: set[tuple[PathElement, ...]] | None = None,
    pending: _Pending | None = None,
) -> tuple[Any, list[Problem], int]:
    """Build plain values from events; optionally record where each path starts (only the
    ``wanted`` ones when given, stopping once ``pending`` is empty). Problems beyond
    ``MAX_PROBLEMS`` are only counted (the third value)."""
    problems: list[Problem] = []
    more = 0
    anchors: dict[str, tuple[Any, int]] = {}
    open_anchors: set[str] = set()
    stack: list[_Frame] = []
    root: Any = None
    documents = 0
    expansion = 0
    written = 0
    max_depth = limits.max_depth

    def attach(value: Any, size: int, mark: Any, anchor: str | None) -> None:
        nonlocal root, more
        if anchor is not None:
            anchors[anchor] = (value, size)
        if not stack:
            root = value
            return
        parent = stack[-1]
        parent.size += size
        if parent.is_map:
            if not parent.has_key:
                if isinstance(value, list | dict):
                    raise _Refused(
                        "mapping keys must be plain values, not lists or mappings",
                        mark.line + 1,
                        mark.column + 1,
                    )
                if value == "<<":
                    raise _Refused(
                        "merge keys ('<<') are not supported: write the values out, or use an "
                        "alias for a whole value",
                        mark.line + 1,
                        mark.column + 1,
                    )
                parent.pending_key = value
                parent.key_mark = (mark.line + 1, mark.column + 1)
                parent.has_key = True
                return
            key = parent.pending_key
            parent.has_key = False
            container = parent.container
            if key in container:
                first = record_key_line(parent.path + (key,))
                where = f" (first at line {first})" if first else ""
                line, column = parent.key_mark or (None, None)
                if len(problems) >= MAX_PROBLEMS:
                    more += 1
                    return
                problems.append(
                    Problem(
                        f"duplicate key {key!r}{where}: one of its two values would be "
                        "silently lost",
                        parent.path + (key,),
                        line=line,
                        column=column,
                    )
                )
                return
            container[key] = value
            if key_record is not None and parent.key_mark is not None:
                path = parent.path + (key,)
                if wanted is None or path in wanted:
                    key_record[path] = parent.key_mark
                if pending is not None:
                    pending.settle(path)
        else:
            parent.container.append(value)
            if pending is not None:
                pending.settle(parent.path + (len(parent.container) - 1,))

    def record_key_line(path: tuple[PathElement, ...]) -> int | None:
        mark = first_keys.get(path)
        return mark[0] if mark else None

    first_keys: dict[tuple[PathElement, ...], tuple[int, int]] = {}

    def child_path() -> tuple[PathElement, ...]:
        if not stack:
            return ()
        parent = stack[-1]
        if parent.is_map:
            if not parent.has_key:
                return parent.path  # a key itself: located with its mapping
            key = parent.pending_key
            return parent.path + (key,)
        return parent.path + (len(parent.container),)

    for event in _events(text):
        kind = type(event)
        if kind is yaml.ScalarEvent:
            value = _scalar_value(event)
            mark = event.start_mark
            if stack and stack[-1].is_map and not stack[-1].has_key:
                path = stack[-1].path + (value,)
                if path not in first_keys and isinstance(value, str | int):
                    first_keys[path] = (mark.line + 1, mark.column + 1)
            elif record is not None:
                path = child_path()
                if wanted is None or path in wanted:
                    record.setdefault(path, (mark.line + 1, mark.column + 1))
            written += 1
            attach(value, 1, mark, event.anchor)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            is_map = kind is yaml.MappingStartEvent
            mark = event.start_mark
            if event.tag is not None and _STANDARD_TAGS.get(event.tag) not in (
                "map" if is_map else "seq",
            ):
                raise _Refused(
                    f"tag {event.tag!r} is not allowed: frameworks and proposals hold data only",
                    mark.line + 1,
                    mark.column + 1,
                )
            if stack and stack[-1].is_map and not stack[-1].has_key:
                raise _Refused(
                    "mapping keys must be plain values, not lists or mappings",
                    mark.line + 1,
                    mark.column + 1,
                )
            if len(stack) >= max_depth:
                raise _Refused(
                    f"nesting deeper than {max_depth} levels", mark.line + 1, mark.column + 1
                )
            path = child_path()
            if record is not None and (wanted is None or path in wanted):
                record.setdefault(path, (mark.line + 1, mark.column + 1))
            written += 1
            if event.anchor is not None:
                open_anchors.add(event.anchor)
            container: Any = {} if is_map else []
            stack.append(_Frame(container, path, is_map, anchor=event.anchor))
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            frame = stack.pop()
            if frame.anchor is not None:
                open_anchors.discard(frame.anchor)
            attach(frame.container, frame.size, event.start_mark, frame.anchor)
            if pending is not None:
                pending.close(frame.path)
                if not pending.left:
                    break
        elif kind is yaml.AliasEvent:
            mark = event.start_mark
            if event.anchor in open_anchors:
                raise _Refused(
                    f"alias *{event.anchor} refers to a value that contains it (recursive)",
                    mark.line + 1,
                    mark.column + 1,
                )
            if event.anchor not in anchors:
                raise _Refused(
                    f"alias *{event.anchor} has no anchor &{event.anchor} before it",
                    mark.line + 1,
                    mark.column + 1,
                )
            value, size = anchors[event.anchor]
            expansion += size
            if expansion > limits.max_alias_expansion + 10 * written:
                raise _Refused(
                    f"aliases expand to more than {limits.max_alias_expansion} values "
                    "(a 'billion laughs' file?); write the values out instead",
                    mark.line + 1,
                    mark.column + 1,
                )
            if record is not None:
                path = child_path()
                if wanted is None or path in wanted:
                    record.setdefault(path, (mark.line + 1, mark.column + 1))
            attach(value, size, mark, None)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                mark = event.start_mark
                raise _Refused(
                    "a file must hold one YAML document, found a second one",
                    mark.line + 1,
                    mark.column + 1,
                )
    return root, problems, more


@dataclass(frozen=True)
class Document:
    """Plain data read from one YAML file, able to say where any path of it was written."""

    data: Any
    name: str
    text: str = field(repr=False)
    path: Path | None = None
    problems: tuple[Problem, ...] = ()
    limits: Limits = DEFAULT_LIMITS
    more: int = 0
    """Problems found while reading beyond those kept in ``problems`` (counted only)."""

    def _marks(
        self,
    ) -> tuple[
        dict[tuple[PathElement, ...], tuple[int, int]],
        dict[tuple[PathElement, ...], tuple[int, int]],
    ]:
        cached = self.__dict__.get("_mark_cache")
        if cached is None:
            values: dict[tuple[PathElement, ...], tuple[int, int]] = {}
            keys: dict[tuple[PathElement, ...], tuple[int, int]] = {}
            _build(self.text, self.limits, values, keys)
            cached = (values, keys)
            object.__setattr__(self, "_mark_cache", cached)
        return cached

    def prepare(self, paths: Iterable[Sequence[PathElement]]) -> None:
        """Find where ``paths`` were written in one pass that records only them (and their
        ancestors) and stops once all are found, so that locating the first problems of a
        large file costs neither a record of every value nor a read to its end."""
        if "_mark_cache" in self.__dict__:
            return
        asked, values, keys = self.__dict__.get("_partial", (set(), {}, {}))
        new = {tuple(p) for p in paths} - asked
        if not new:
            return
        wanted = {path[:cut] for path in new for cut in range(len(path) + 1)}
        _build(self.text, self.limits, values, keys, wanted, _Pending(new))
        object.__setattr__(self, "_partial", (asked | new, values, keys))

    def locate(
        self, path: Sequence[PathElement], *, key: bool = False
    ) -> tuple[int | None, int | None]:
        """Line and column (1-based) where ``path`` was written, or where its nearest
        written ancestor was. With ``key=True``, the position of the mapping key itself."""
        current = tuple(path)
        values: dict[tuple[PathElement, ...], tuple[int, int]]
        keys: dict[tuple[PathElement, ...], tuple[int, int]]
        partial = self.__dict__.get("_partial")
        if partial is not None and current in partial[0] and "_mark_cache" not in self.__dict__:
            values, keys = partial[1], partial[2]
        else:
            values, keys = self._marks()
        if key and current in keys:
            return keys[current]
        while True:
            if current in values:
                return values[current]
            if not current:
                return (1, 1) if self.text else (None, None)
            current = current[:-1]

    def problem(self, path: Sequence[PathElement], message: str, *, key: bool = False) -> Problem:
        """A :class:`Problem` located at ``path`` in this document."""
        line, column = self.locate(path, key=key)
        return Problem(message, tuple(path), self.name, line, column)


def load_yaml_text(
    text: str, *, name: str = "<string>", path: Path | None = None, limits: Limits = DEFAULT_LIMITS
) -> Document:
    """Read YAML text safely. Syntax faults and limits raise :class:`YAMLError`; duplicate keys
    are returned in ``Document.problems`` so they can be reported with everything else."""
    if len(text) > limits.max_bytes:
        raise YAMLError(
            [Problem(f"file is larger than {limits.max_bytes} bytes", (), name)],
            summary=f"{name} is too large",
        )
    try:
        data, problems, more = _build(text, limits)
    except _Refused as exc:
        raise YAMLError(
            [Problem(exc.message, (), name, exc.line, exc.column)],
            summary=f"{name} cannot be read",
        ) from None
    located = tuple(Problem(p.message, p.path, name, p.line, p.column) for p in problems)
    return Document(data, name, text, path, located, limits, more)


def load_yaml(
    path: str | os.PathLike[str], *, name: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Document:
    """Read a YAML file safely (see :func:`load_yaml_text`); ``name`` is how messages call it."""
    file = Path(path)
    name = name or display_name(file)
    text = read_small_text(file, name, limits.max_bytes, "YAML is read from a file", YAMLError)
    return load_yaml_text(text, name=name, path=file, limits=limits)


class _Dumper(yaml.SafeDumper):
    """Safe dumper that quotes any string our YAML 1.2 reader would read as something else."""

    def represent_str(self, data: str) -> yaml.ScalarNode:
        if not data.isprintable():  # control characters and YAML 1.1 line breaks (NEL...)
            return self.represent_scalar("tag:yaml.org,2002:str", data, style='"')
        if not isinstance(resolve_plain(data), str) or data != data.strip():
            return self.represent_scalar("tag:yaml.org,2002:str", data, style="'")
        return self.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(str, _Dumper.represent_str)


def dump_yaml(data: Any) -> str:
    """YAML text for plain data, keys in the given order, readable back by :func:`load_yaml`."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
