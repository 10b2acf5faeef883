"""Read money limits from a CSV file: columns ``limit`` (money with its currency), ``year``
(blank: every year) and ``kind`` (``operating``, ``capital`` or ``total``; blank: total).
Every problem is reported at once, with its line and column.

A limits file is named on the command line, so a mistyped ``--limits`` may name any file on
the machine: a header that is not a limits header is refused by its column number and the
expected headers, quoting a cell only when it is a short printable word (never a line of
another file), and the file must be a small regular file.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

from pydantic import ValidationError as PydanticError

from ..errors import Problem, ValidationError, did_you_mean
from ..model.limits import MoneyLimit
from .files import display_name, read_small_text

__all__ = ["load_limits", "parse_limits"]

COLUMNS = ("limit", "year", "kind")

MAX_BYTES = 1024 * 1024
"""Largest limits file read: a few lines are expected; a larger file is another file."""

_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9_ .-]{0,15}")


def _cell(text: str) -> str:
    """A header cell as a message may show it: quoted when a short printable word, else
    only described, so that the content of a file named by mistake is never printed."""
    if _TOKEN.fullmatch(text):
        return repr(text)
    return "a cell" if not text else f"a cell of {len(text)} characters"


def load_limits(path: str | os.PathLike[str]) -> list[MoneyLimit]:
    """The limits in a CSV file (see :func:`parse_limits`).

    >>> [limit.label for limit in load_limits("examples/dk-youth-mission/limits.csv")][:1]
    ['operating 2021']
    """
    source = Path(path)
    name = display_name(source)
    text = read_small_text(source, name, MAX_BYTES, "a limits file is a CSV file")
    return parse_limits(text, name)


def parse_limits(text: str, name: str | None = None) -> list[MoneyLimit]:
    """The limits in CSV text (``name`` locates problems)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ValidationError(
            [Problem(f"not a CSV file ({exc})", (), name, reader.line_num)],
            summary=f"{name or 'limits'}: cannot be read",
        ) from None
    problems: list[Problem] = []
    if not rows:
        raise ValidationError([Problem("the limits table is empty", (), name, 1)])
    header = [cell.strip().lower() for cell in rows[0]]
    expected = ", ".join(COLUMNS)
    for position, cell in enumerate(header, start=1):
        if cell not in COLUMNS:
            # a close misspelling is named; anything else is only counted and described
            hint = did_you_mean(cell, COLUMNS) if _TOKEN.fullmatch(cell) else ""
            problems.append(
                Problem(
                    f"column {position} is {_cell(cell)}, not a limits column{hint} "
                    f"(expected headers: {expected})",
                    (),
                    name,
                    1,
                    position,
                )
            )
    if "limit" not in header:
        problems.append(Problem("the limits table needs a 'limit' column", (), name, 1))
    if problems:
        raise ValidationError(
            problems[:10],
            summary=f"{name or 'limits'}: not a limits file (expected headers: {expected})",
            more=max(len(problems) - 10, 0),
        )
    limits: list[MoneyLimit] = []
    seen: dict[tuple[int | None, str], int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        record = {
            key: row[i].strip() for i, key in enumerate(header) if i < len(row) and row[i].strip()
        }
        try:
            limit = MoneyLimit.model_validate(
                {
                    "amount": record.get("limit"),
                    "year": record.get("year"),
                    "kind": record.get("kind", "total"),
                }
            )
        except PydanticError as exc:
            for error in exc.errors():
                field = str(error["loc"][0]) if error["loc"] else "limit"
                column = (
                    header.index("limit" if field == "amount" else field) + 1
                    if ("limit" if field == "amount" else field) in header
                    else None
                )
                message = str(error["msg"]).removeprefix("Value error, ")
                problems.append(Problem(message, (line - 2, field), name, line, column))
            continue
        key = (limit.year, limit.kind)
        if key in seen:
            problems.append(
                Problem(
                    f"a second {limit.label} limit (the first is on line {seen[key]})",
                    (line - 2,),
                    name,
                    line,
                )
            )
            continue
        seen[key] = line
        limits.append(limit)
    if problems:
        raise ValidationError(problems, summary=f"{name or 'limits'}: cannot be read")
    return limits
