"""The library's error family.

Every error the library raises on bad input is a :class:`WellbeingBudgetError`. A failed load
raises one :class:`ValidationError` that lists every problem found, each located by file, line,
column and the dotted path of the offending value, so a policy unit can fix a whole file in one
pass instead of one error per run.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "FrameworkNotFoundError",
    "Problem",
    "UnitError",
    "UnknownIdError",
    "ValidationError",
    "WellbeingBudgetError",
    "YAMLError",
    "did_you_mean",
    "format_path",
]

PathElement = str | int


def format_path(path: Sequence[PathElement]) -> str:
    """Render a path as the dotted form used in messages: ``domains[3].indicators[1]``.

    >>> format_path(("domains", 3, "indicators", 1))
    'domains[3].indicators[1]'
    """
    out: list[str] = []
    for element in path:
        if isinstance(element, int):
            out.append(f"[{element}]")
        else:
            # A YAML key may be null or a number written as a key: shown as written
            name = element if isinstance(element, str) else repr(element)
            out.append(f".{name}" if out else name)
    return "".join(out)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A ``"; did you mean 'x'?"`` suffix, or an empty string when nothing is close.

    >>> did_you_mean("helth", ["health", "housing"])
    "; did you mean 'health'?"
    """
    return _suggestion(word, tuple(candidates))


@lru_cache(maxsize=4096)
def _suggestion(word: str, candidates: tuple[str, ...]) -> str:
    # A file with a fault on every row repeats the same few wrong names against the same
    # candidates; comparing one with thousands of ids costs milliseconds each time.
    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f"; did you mean {matches[0]!r}?" if matches else ""


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem in an input file or table."""

    message: str
    path: tuple[PathElement, ...] = ()
    file: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(self.file)
        if self.line is not None:
            where.append(str(self.line))
            if self.column is not None:
                where.append(str(self.column))
        prefix = ":".join(where)
        dotted = format_path(self.path)
        parts = [p for p in (prefix, dotted) if p]
        return ": ".join([*parts, self.message])


MAX_PROBLEMS = 1000
"""Problems one error lists; the rest are counted (``ValidationError.more``), so a file with a
fault on every line gives a readable message of bounded size."""


class WellbeingBudgetError(Exception):
    """Base class of every error the library raises on bad input."""


class ValidationError(WellbeingBudgetError, ValueError):
    """One or more located problems; ``problems`` holds them, in file order.

    A reader stops listing problems at a cap (a file with a fault on every line would
    otherwise take memory in proportion); ``more`` counts those found beyond it.
    """

    def __init__(
        self, problems: Sequence[Problem], summary: str | None = None, *, more: int = 0
    ) -> None:
        listed = tuple(problems)
        if len(listed) > MAX_PROBLEMS:
            more += len(listed) - MAX_PROBLEMS
            listed = listed[:MAX_PROBLEMS]
        self.problems: tuple[Problem, ...] = listed
        self.more = more
        count = len(self.problems) + more
        head = summary or f"{count} problem{'s' if count != 1 else ''} found"
        tail = f"\n  ... and {more:,} more problem{'s' if more != 1 else ''}" if more else ""
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems) + tail)


class YAMLError(ValidationError):
    """A YAML file that cannot be read safely: syntax, duplicate keys, limits, ``extends``."""


class UnitError(WellbeingBudgetError, ValueError):
    """A unit that pint does not know, or a quantity of the wrong dimension."""


class UnknownIdError(WellbeingBudgetError, KeyError):
    """A lookup by id (domain, indicator, proposal...) that found nothing."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class FrameworkNotFoundError(UnknownIdError):
    """A framework id that is neither built in nor an existing file."""
