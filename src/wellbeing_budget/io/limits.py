"""Read money limits from a CSV file: columns ``limit`` (money with its currency), ``year``
(blank: every year) and ``kind`` (``operating``, ``capital`` or ``total``; blank: total).
Every problem is reported at once, with its line and column.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from pydantic import ValidationError as PydanticError

from ..errors import Problem, ValidationError, did_you_mean
from ..model.limits import MoneyLimit
from .files import display_name

__all__ = ["load_limits", "parse_limits"]

COLUMNS = ("limit", "year", "kind")


def load_limits(path: str | os.PathLike[str]) -> list[MoneyLimit]:
    """The limits in a CSV file."""
    source = Path(path)
    return parse_limits(source.read_text(encoding="utf-8-sig"), display_name(source))


def parse_limits(text: str, name: str | None = None) -> list[MoneyLimit]:
    """The limits in CSV text (``name`` locates problems)."""
    reader = csv.reader(io.StringIO(text))
    rows = list(reader)
    problems: list[Problem] = []
    if not rows:
        raise ValidationError([Problem("the limits table is empty", (), name, 1)])
    header = [cell.strip().lower() for cell in rows[0]]
    for position, cell in enumerate(header, start=1):
        if cell not in COLUMNS:
            problems.append(
                Problem(
                    f"unknown column {cell!r}{did_you_mean(cell, COLUMNS)} (columns: "
                    f"{', '.join(COLUMNS)})",
                    (),
                    name,
                    1,
                    position,
                )
            )
    if "limit" not in header:
        problems.append(Problem("the limits table needs a 'limit' column", (), name, 1))
    if problems:
        raise ValidationError(problems, summary=f"{name or 'limits'}: cannot be read")
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
