"""Proposals from tables: analysts keep bids in spreadsheets.

The **impacts** table has one row per impact. Proposal-level columns may be filled on any row
of the proposal (the first, the last, or all of them); where several rows fill one, they must
agree.

========================  ========  ============================================================
column                    required  meaning
========================  ========  ============================================================
``proposal``              yes       proposal id
``title``                 yes       proposal title
``lead_agency``           yes       the agency that leads it
``partner_agencies``      no        other agencies, separated by ``;``
``groups``                no        population groups the proposal targets, ``;``-separated
``priorities``            no        framework priorities it serves, ``;``-separated
``description``           no        free text
``indicator``             yes       indicator id
``change``                one of    absolute change with its unit (``-0.4 percentage_point``)
``relative_change``       one of    relative change (``-5 percent``)
``people``                no        people reached, when the change is per person
``group``                 no        population group of the impact (default ``all``)
``start``                 yes       calendar year the impact starts
``ramp_up``               no        duration of the linear ramp-up (``2 years``)
``duration``              yes       how long it lasts, ramp-up included (``10 years``)
``persistence``           no        share remaining each year after the end (0 to <1)
``evidence``              yes       ``high``, ``medium`` or ``low``
``source``, ``note``      no        free text
========================  ========  ============================================================

The **costs** table: ``proposal``, ``year``, ``amount`` (``12 million NZD``), ``kind``
(``cost``, the default, ``saving`` or ``revenue``), ``note``.

What cannot be read for sure is refused, located, rather than guessed: Excel error values
(``#N/A``) and formulas without a saved value, missing-value markers (``NA``, ``NaN``), a
DataFrame NaN where an empty cell would change a figure (``people``, ``ramp_up``...), numbers
with a decimal comma or thousands separators (unless the table is read with ``decimal=","``),
sheets with other names than ``impacts`` and ``costs``, two identical impact rows, and tables
beyond :class:`TableLimits`. Problems are located by file, physical line and column (CSV and
Excel) and always by row and column name: ``impacts.csv:5:9: rows[3].change: ...``.

A DataFrame or a CSV file without quotes is read a column at a time and kept as columns (see
``docs/performance.md``): its proposals are built when asked for, and scoring compiles the
columns directly. Anything doubtful in it sends the table to the row-by-row reader, which
words and locates every problem.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pydantic
from numpy.typing import NDArray

from ..errors import PathElement, Problem, UnitError, ValidationError, WellbeingBudgetError
from ..errors import did_you_mean as _did_you_mean
from ..model.base import ID_PATTERN
from ..model.proposal import Origin, Proposal, ProposalSet
from ..units import (
    MAX_MAGNITUDE,
    Quantity,
    conversion_factor,
    currency_of,
    delocalise,
    parse_quantity,
)
from .files import display_name, paused_gc
from .validation import pydantic_problems, sort_problems

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COST_COLUMNS", "IMPACT_COLUMNS", "TableLimits", "load_proposal_tables"]

PROPOSAL_COLUMNS = (
    "proposal",
    "title",
    "lead_agency",
    "partner_agencies",
    "groups",
    "priorities",
    "description",
)
IMPACT_ONLY = (
    "indicator",
    "change",
    "relative_change",
    "people",
    "group",
    "start",
    "ramp_up",
    "duration",
    "persistence",
    "evidence",
    "source",
    "note",
)
IMPACT_COLUMNS = PROPOSAL_COLUMNS + IMPACT_ONLY
COST_COLUMNS = ("proposal", "year", "amount", "kind", "budget", "note")
_REQUIRED = {
    "impacts": ("proposal", "title", "lead_agency", "indicator", "start", "duration", "evidence"),
    "costs": ("proposal", "year", "amount"),
}
_LISTS = {"partner_agencies", "groups", "priorities"}
_NUMBERS = {"start", "persistence", "year"}
# Cells holding numbers, whose decimal separator the table's locale decides.
_NUMERIC_TEXT = {
    "change",
    "relative_change",
    "people",
    "start",
    "ramp_up",
    "duration",
    "persistence",
    "year",
    "amount",
}
_FREE_TEXT = {"title", "description", "source", "note"}
# Optional numeric columns whose empty cell means a default that changes a figure: a NaN in
# them is a missing value, not a choice (a per-person change would reach everyone).
_NAN_REFUSED = {"people", "ramp_up", "persistence"} | {
    "proposal",
    "indicator",
    "start",
    "duration",
    "evidence",
    "year",
    "amount",
}
_MISSING_MARKERS = {"na", "n/a", "#n/a", "nan", "#na", "null", "#null!", "none", "-nan"}
_IGNORED_SHEETS = {"notes", "readme", "about", "sources"}
_EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class TableLimits:
    """Bounds that keep a broken or hostile table from exhausting memory or time."""

    max_bytes: int = 256 * 1024 * 1024
    """Largest CSV file read, in bytes."""
    max_rows: int = 200_000
    """Most rows in a table or sheet (empty rows of a sheet count: Excel stores them)."""
    max_columns: int = 200
    """Most columns in a table or sheet."""
    max_problems: int = 200
    """Most problems listed; the rest are counted ("and 1,234 more")."""


DEFAULT_TABLE_LIMITS = TableLimits()


class _Collector:
    """Problems, up to a cap; beyond it only counted, so a file with a fault on every row
    costs no more memory than one with a few."""

    def __init__(self, cap: int) -> None:
        self.items: list[Problem] = []
        self.more = 0
        self.cap = cap

    def add(self, problem: Problem) -> None:
        if len(self.items) < self.cap:
            self.items.append(problem)
        else:
            self.more += 1

    def extend(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, summary: str) -> None:
        if self.items:
            raise ValidationError(sort_problems(self.items), summary=summary, more=self.more)


@dataclass
class _Raw:
    """Cells as read, before any meaning is given to them."""

    name: str
    in_file: bool
    columns: list[str]
    rows: list[list[Any]]
    lines: list[int]  # physical line (CSV) or sheet row (Excel) of each row
    column_numbers: list[int]


class _Table:
    """A table as rows of cells, with a way to say where a cell is."""

    def __init__(self, raw: _Raw, kind: str, decimal: str, problems: _Collector) -> None:
        self.name = raw.name
        self.in_file = raw.in_file
        self.columns = raw.columns
        self.lines = raw.lines
        self.column_numbers = raw.column_numbers
        self.rows: list[dict[str, Any]] = []
        for i, record in enumerate(raw.rows):
            row: dict[str, Any] = {}
            for column, value in zip(self.columns, record, strict=False):
                cell = self._clean(value, column, decimal, i, problems)
                if cell is not None:
                    row[column] = cell
            self.rows.append(row)

    def _clean(self, value: Any, column: str, decimal: str, row: int, problems: _Collector) -> Any:
        cell, message = _clean_value(value, column, decimal)
        if message is not None:
            problems.add(self.problem(row, column, message))
        return cell

    def problem(self, row: int, column: str | None, message: str) -> Problem:
        path: tuple[PathElement, ...] = ("rows", row) if column is None else ("rows", row, column)
        if not self.in_file:
            return Problem(message, path, self.name)
        col = self.column_numbers[self.columns.index(column)] if column in self.columns else None
        return Problem(message, path, self.name, self.lines[row], col)


def _clean_value(value: Any, column: str, decimal: str) -> tuple[Any, str | None]:
    """A cell as the model reads it (``None``: empty) and why it is refused, if it is. It
    depends on the value and the column alone, so a column is cleaned once per distinct
    value."""
    if value is None:
        return None, None
    if isinstance(value, _Refusal):
        return None, value.message
    if _is_nan(value):
        if column in _NAN_REFUSED:
            return None, (
                "NaN (a missing value): give the value, or None to leave this optional cell empty"
            )
        return None, None
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None, None
        if column not in _FREE_TEXT and value.lower() in _MISSING_MARKERS:
            return None, (
                f"{value!r} marks a missing value: give the value, or leave the cell "
                "empty where the column is optional"
            )
        if decimal == "," and column in _NUMERIC_TEXT:
            try:
                value = delocalise(value)
            except UnitError as exc:
                return None, str(exc)
    elif isinstance(value, float) and not math.isfinite(value):
        return None, f"must be a finite number, got {value!r}"
    if column in _LISTS or column in _NUMBERS:
        return _cell(value, column), None
    return value, None


class _Refusal:
    """A cell that cannot be read (an Excel error value, an uncached formula)."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


def _is_nan(value: Any) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    if value is None or isinstance(value, str | int | bool):
        return False
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# -- reading -----------------------------------------------------------------------------------


def _from_frame(frame: pd.DataFrame, kind: str) -> _Raw:
    columns = [str(c).strip() for c in frame.columns]
    rows = [list(record) for record in frame.itertuples(index=False, name=None)]
    return _Raw(
        f"<{kind} table>",
        False,
        columns,
        rows,
        list(range(len(rows))),
        list(range(1, len(columns) + 1)),
    )


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
        line_start = raw.rfind(b"\n", 0, start) + 1
        line = raw.count(b"\n", 0, start) + 1
        column = len(raw[line_start:start].decode("utf-8", errors="replace")) + 1
        bad = raw[start : exc.end].hex(" ")
        raise ValidationError(
            [
                Problem(
                    f"not UTF-8 text (byte {bad}); save the file as UTF-8 (in Excel: 'CSV UTF-8')",
                    (),
                    name,
                    line,
                    column,
                )
            ],
            summary=f"{name} cannot be read",
        ) from None


def _read_csv(path: Path, name: str, sep: str, limits: TableLimits) -> _Raw:
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise WellbeingBudgetError(
                f"{name} is {size:,} bytes, more than the limit of {limits.max_bytes:,}"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise WellbeingBudgetError(f"cannot read {name}: {exc.strerror or exc}") from None
    text = _decode(raw, name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    header: list[str] | None = None
    header_line = 0
    rows: list[list[Any]] = []
    lines: list[int] = []
    extra = _Collector(limits.max_problems)
    while True:
        first_line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ValidationError(
                [Problem(f"CSV cannot be read: {exc}", (), name, reader.line_num)],
                summary=f"{name} cannot be read",
            ) from None
        if not record or all(not cell.strip() for cell in record):
            continue  # blank lines separate nothing; the line numbers still count them
        if header is None:
            header, header_line = record, first_line
            if len(header) > limits.max_columns:
                raise _too_large(name, f"{len(header):,} columns", limits.max_columns, "columns")
            continue
        if len(rows) >= limits.max_rows:
            raise _too_large(name, f"more than {limits.max_rows:,} rows", limits.max_rows, "rows")
        if len(record) > len(header) and any(c.strip() for c in record[len(header) :]):
            extra.add(
                Problem(
                    f"this row has {len(record)} cells, the header {len(header)}: is a "
                    f"separator missing, or a decimal comma in a file separated by commas? "
                    f"(read it with sep=';' if that separates the columns)",
                    ("rows", len(rows)),
                    name,
                    first_line,
                    len(header) + 1,
                )
            )
        rows.append([*record[: len(header)], *([None] * (len(header) - len(record)))])
        lines.append(first_line)
    if header is None:
        raise ValidationError(
            [Problem("the table is empty: it has no header row", (), name, 1)],
            summary=f"{name} is not valid",
        )
    extra.raise_if_any(f"{name} is not valid")
    del header_line
    return _Raw(
        name, True, [c.strip() for c in header], rows, lines, list(range(1, len(header) + 1))
    )


def _too_large(name: str, found: str, limit: int, what: str) -> WellbeingBudgetError:
    return WellbeingBudgetError(
        f"{name} holds {found}; tables are read up to {limit:,} {what} (TableLimits)"
    )


def require_openpyxl() -> Any:
    """The openpyxl module, imported only when a workbook is read (it is the ``excel`` extra);
    a clear error saying how to install it when it is missing."""
    try:
        import openpyxl  # type: ignore[import-untyped]
    except ImportError:
        raise WellbeingBudgetError(
            "reading Excel needs openpyxl: pip install 'wellbeing-budget[excel]' "
            "(or save the sheets as CSV)"
        ) from None
    return openpyxl


def _open_workbook(path: Path, name: str, data_only: bool) -> Any:
    import zipfile

    openpyxl = require_openpyxl()
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise WellbeingBudgetError(f"cannot read {name} as an Excel workbook: {exc}") from None


_EXCEL_ERRORS = ("#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!")


def _read_sheet(
    path: Path, name: str, sheet: str, limits: TableLimits
) -> tuple[_Raw | None, list[str]]:
    """The sheet's cells (``None`` when the workbook has no such sheet) and the sheet names."""
    book = _open_workbook(path, name, data_only=False)
    try:
        names = list(book.sheetnames)
        by_name = {n.strip().lower(): n for n in names}
        if sheet not in by_name:
            return None, names
        formulas: set[tuple[int, int]] = set()
        raw = _sheet_cells(book[by_name[sheet]], f"{name}[{sheet}]", limits, formulas)
    finally:
        book.close()
    if formulas:
        # Formula cells hold the saved result only in the data-only view; a formula never
        # calculated (written by a script, say) has none, and is refused rather than read
        # as empty.
        cached = _open_workbook(path, name, data_only=True)
        try:
            values: dict[tuple[int, int], Any] = {}
            ws = cached[by_name[sheet]]
            for row in ws.iter_rows(max_col=len(raw.columns)):
                for cell in row:
                    key = (getattr(cell, "row", 0), getattr(cell, "column", 0))
                    if key in formulas:
                        values[key] = cell.value
        finally:
            cached.close()
        row_of = {line: i for i, line in enumerate(raw.lines)}
        for line, column in formulas:
            value = values.get((line, column))
            if value is None:
                value = _Refusal(
                    "a formula without a saved value (the workbook was never calculated): "
                    "open and save it in Excel, or write the value"
                )
            elif isinstance(value, str) and value in _EXCEL_ERRORS:
                value = _Refusal(f"the formula's value is the Excel error {value}")
            if line in row_of:
                raw.rows[row_of[line]][column - 1] = value
            elif line < (raw.lines[0] if raw.lines else 0):
                pass  # a formula in the header row: the header was already refused or read
    return raw, names


def _sheet_cells(ws: Any, name: str, limits: TableLimits, formulas: set[tuple[int, int]]) -> _Raw:
    rows_iter: Iterator[Any] = ws.iter_rows(max_col=limits.max_columns + 1)
    header: list[str] | None = None
    rows: list[list[Any]] = []
    lines: list[int] = []
    seen = 0
    for cells in rows_iter:
        seen += 1
        if seen > limits.max_rows + 1:
            raise _too_large(name, f"more than {limits.max_rows:,} rows", limits.max_rows, "rows")
        values: list[Any] = []
        line = None
        for cell in cells:
            line = getattr(cell, "row", None) or line
            value = cell.value
            if getattr(cell, "data_type", None) == "e" or (
                isinstance(value, str) and value in _EXCEL_ERRORS
            ):
                value = _Refusal(f"the Excel error value {value}: give the value")
            elif getattr(cell, "data_type", None) == "f" or (
                isinstance(value, str) and value.startswith("=") and len(value) > 1
            ):
                formulas.add((getattr(cell, "row", 0), getattr(cell, "column", 0)))
                value = None
            values.append(value)
        if header is None:
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            while values and (values[-1] is None or str(values[-1]).strip() == ""):
                values.pop()
            if len(values) > limits.max_columns:
                raise _too_large(name, "more columns", limits.max_columns, "columns")
            header = [str(v).strip() if v is not None else "" for v in values]
            continue
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if line is None:
            continue
        stray = [v for v in values[len(header) :] if v is not None and str(v).strip()]
        if stray:
            raise ValidationError(
                [
                    Problem(
                        "a value in a column without a header would be ignored: give the "
                        "column a name or clear it",
                        ("rows", len(rows)),
                        name,
                        line,
                        len(header) + 1,
                    )
                ],
                summary=f"{name} is not valid",
            )
        rows.append(values[: len(header)] + [None] * (len(header) - len(values)))
        lines.append(line)
    if header is None:
        raise ValidationError(
            [Problem("the sheet is empty: it has no header row", (), name, 1)],
            summary=f"{name} is not valid",
        )
    return _Raw(name, True, header, rows, lines, list(range(1, len(header) + 1)))


def _read(
    source: str | os.PathLike[str] | pd.DataFrame,
    kind: str,
    sep: str,
    limits: TableLimits,
) -> _Raw:
    import pandas as pd

    if isinstance(source, pd.DataFrame):
        if len(source) > limits.max_rows:
            raise _too_large(
                f"the {kind} DataFrame", f"{len(source):,} rows", limits.max_rows, "rows"
            )
        return _from_frame(source, kind)
    path = Path(source)
    name = display_name(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path, name, sep, limits)
    if suffix in _EXCEL_SUFFIXES:
        raw, names = _excel(path, name, kind, limits)
        if raw is None:
            raise WellbeingBudgetError(
                f"{name}: no sheet named {kind!r}{_did_you_mean(kind, names)} "
                f"(sheets: {', '.join(names)})"
            )
        return raw
    raise WellbeingBudgetError(
        f"{name}: proposals are read from .yaml, .csv or .xlsx files, not {suffix or 'this file'}"
    )


def _excel(path: Path, name: str, kind: str, limits: TableLimits) -> tuple[_Raw | None, list[str]]:
    require_openpyxl()
    if not path.is_file():
        raise WellbeingBudgetError(f"cannot read {name}: no such file")
    return _read_sheet(path, name, kind, limits)


def _check_sheet_names(path: Path, names: list[str]) -> None:
    """Every sheet is read or deliberately ignored: a sheet named ``Costs 2024`` or ``cost``
    would otherwise leave the bids without costs, without a word."""
    problems = []
    for sheet in names:
        key = sheet.strip().lower()
        if key in ("impacts", "costs") or key in _IGNORED_SHEETS or key.startswith("_"):
            continue
        hint = _did_you_mean(key, ["impacts", "costs"])
        problems.append(
            Problem(
                f"sheet {sheet!r} is not read{hint or ''}: proposals are read from the sheets "
                "'impacts' and 'costs'; name other sheets 'notes' or start their name with '_'",
                ("sheets", sheet),
                display_name(path),
            )
        )
    if problems:
        raise ValidationError(problems, summary=f"{display_name(path)} has sheets it cannot read")


def _cell(value: Any, column: str) -> Any:
    if column in _LISTS:
        return [part.strip() for part in str(value).split(";") if part.strip()]
    if column in _NUMBERS and isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return value  # the model reports it, located
        if not math.isfinite(number):
            return value
        return int(number) if number.is_integer() and column != "persistence" else number
    if isinstance(value, float) and value.is_integer() and column in ("start", "year"):
        return int(value)
    return value


# -- assembling proposals ----------------------------------------------------------------------


def load_proposal_tables(
    impacts: str | os.PathLike[str] | pd.DataFrame,
    costs: str | os.PathLike[str] | pd.DataFrame | None = None,
    *,
    decimal: str = ".",
    sep: str | None = None,
    limits: TableLimits = DEFAULT_TABLE_LIMITS,
) -> ProposalSet:
    """Proposals from an impacts table and an optional costs table (see the module doc).

    An Excel workbook holds both, as sheets named ``impacts`` and ``costs``. ``decimal=","``
    reads numbers written with a decimal comma (``12,1 million DKK``; dots may group
    thousands); CSV cells are then usually separated by ``;``, the default ``sep`` in that
    case (``,`` otherwise).
    """
    if decimal not in (".", ","):
        raise WellbeingBudgetError(f"decimal is '.' or ',', got {decimal!r}")
    separator = sep if sep is not None else (";" if decimal == "," else ",")
    if len(separator) != 1 or separator in '"\r\n' or separator == decimal:
        raise WellbeingBudgetError(
            f"sep is one character other than the decimal mark and quotes, got {separator!r}"
        )
    with paused_gc():
        columnar = _load_columns(impacts, costs, decimal, separator, limits)
        if columnar is not None:
            return columnar
        return _load_tables(impacts, costs, decimal, separator, limits)


def _is_workbook(source: Any) -> bool:
    return isinstance(source, str | os.PathLike) and Path(source).suffix.lower() in (
        _EXCEL_SUFFIXES
    )


def _load_tables(
    impacts: str | os.PathLike[str] | pd.DataFrame,
    costs: str | os.PathLike[str] | pd.DataFrame | None,
    decimal: str,
    sep: str,
    limits: TableLimits,
) -> ProposalSet:
    raw_impacts = _read(impacts, "impacts", sep, limits)
    raw_costs: _Raw | None = None
    if costs is not None:
        raw_costs = _read(costs, "costs", sep, limits)
    if _is_workbook(impacts):
        path = Path(impacts)  # type: ignore[arg-type]
        found, names = _excel(path, display_name(path), "costs", limits)
        _check_sheet_names(path, names)
        if costs is None:
            raw_costs = found

    problems = _Collector(limits.max_problems)
    for raw, kind in ((raw_impacts, "impacts"), (raw_costs, "costs")):
        if raw is not None:
            _check_columns(raw, kind, problems)
    problems.raise_if_any("the proposal tables have unknown or missing columns")

    impact_table = _Table(raw_impacts, "impacts", decimal, problems)
    cost_table = _Table(raw_costs, "costs", decimal, problems) if raw_costs is not None else None
    if not impact_table.rows:
        raise ValidationError(
            [Problem("the impacts table has a header but no rows", (), impact_table.name, 2)],
            summary=f"{impact_table.name} holds no proposals",
        )

    # Group impact rows by proposal, keeping the order of first appearance.
    order: list[str] = []
    rows_of: dict[str, list[int]] = {}
    for i, row in enumerate(impact_table.rows):
        proposal_id = row.get("proposal")
        if proposal_id is None:
            if any(p.path[:2] == ("rows", i) for p in problems.items):
                continue  # already refused, with the reason
            problems.add(impact_table.problem(i, "proposal", "missing proposal id"))
            continue
        proposal_id = str(proposal_id)
        if proposal_id not in rows_of:
            order.append(proposal_id)
            rows_of[proposal_id] = []
        rows_of[proposal_id].append(i)
    cost_rows: dict[str, list[int]] = {}
    if cost_table is not None:
        for i, row in enumerate(cost_table.rows):
            proposal_id = row.get("proposal")
            if proposal_id is None:
                problems.add(cost_table.problem(i, "proposal", "missing proposal id"))
            elif str(proposal_id) not in rows_of:
                problems.add(
                    cost_table.problem(
                        i,
                        "proposal",
                        f"no proposal {proposal_id!r} in the impacts table"
                        + _did_you_mean(str(proposal_id), list(rows_of)),
                    )
                )
            else:
                cost_rows.setdefault(str(proposal_id), []).append(i)

    proposals: list[Proposal] = []
    origins: list[Origin] = []
    for proposal_id in order:
        data, where = _assemble(
            proposal_id,
            rows_of[proposal_id],
            cost_rows.get(proposal_id, []),
            impact_table,
            cost_table,
            problems,
        )
        try:
            proposal = Proposal.model_validate(data)
        except pydantic.ValidationError as exc:
            problems.extend(pydantic_problems(exc, Proposal, _ignoring_key(where)))
            continue
        proposals.append(proposal)
        origins.append(Origin(where))
    problems.raise_if_any("the proposal tables are not valid")
    return ProposalSet(tuple(proposals), tuple(origins), impact_table.name)


def _check_columns(raw: _Raw, kind: str, problems: _Collector) -> None:
    allowed = IMPACT_COLUMNS if kind == "impacts" else COST_COLUMNS

    def at(column: str, message: str) -> Problem:
        if not raw.in_file:
            return Problem(message, ("columns", column), raw.name)
        number = raw.columns.index(column) + 1 if column in raw.columns else None
        line = raw.lines[0] - 1 if raw.lines else 1
        return Problem(message, ("columns", column), raw.name, max(line, 1), number)

    seen: set[str] = set()
    for column in raw.columns:
        if column in seen:
            problems.add(at(column, f"column {column!r} appears twice"))
        seen.add(column)
        if not column:
            problems.add(at(column, "a column without a name"))
        elif column not in allowed:
            problems.add(at(column, f"unknown column {column!r}{_did_you_mean(column, allowed)}"))
    for column in _REQUIRED[kind]:
        if column not in raw.columns:
            problems.add(
                Problem(
                    f"the {kind} table has no {column!r} column (required)",
                    ("columns",),
                    raw.name,
                    (raw.lines[0] - 1 if raw.lines else 1) if raw.in_file else None,
                )
            )
    if kind == "impacts" and "change" not in raw.columns and "relative_change" not in raw.columns:
        problems.add(
            Problem(
                "the impacts table needs a 'change' or a 'relative_change' column",
                ("columns",),
                raw.name,
                (raw.lines[0] - 1 if raw.lines else 1) if raw.in_file else None,
            )
        )


def _ignoring_key(
    where: Callable[[tuple[PathElement, ...]], Problem],
) -> Callable[[tuple[PathElement, ...], bool], Problem]:
    def locate(loc: tuple[PathElement, ...], key: bool) -> Problem:
        return where(loc)

    return locate


_IMPACT_KEYS = (
    "indicator",
    "change",
    "relative_change",
    "people",
    "group",
    "evidence",
    "source",
    "note",
)
_TIMING_KEYS = ("start", "ramp_up", "duration", "persistence")


def _where_written(table: _Table, row: int) -> str:
    return f"line {table.lines[row]}" if table.in_file else f"row {row}"


def _assemble(
    proposal_id: str,
    rows: list[int],
    costs: list[int],
    impacts: _Table,
    cost_table: _Table | None,
    problems: _Collector,
    check: bool = True,
) -> tuple[dict[str, Any], Callable[[tuple[PathElement, ...]], Problem]]:
    """The proposal's data as the model reads it, and where each part was written; with
    ``check``, rows that disagree or repeat are reported (tables read as columns were checked
    for both when they were read)."""
    data: dict[str, Any] = {"id": proposal_id}
    given_at: dict[str, int] = {}
    # A proposal-level value may be given on any of the proposal's rows; every row that
    # gives one must agree with the first that did.
    for i in rows:
        for column in PROPOSAL_COLUMNS[1:]:
            value = impacts.rows[i].get(column)
            if value is None:
                continue
            if column not in data:
                data[column] = value
                given_at[column] = i
            elif check and value != data[column]:
                first = given_at[column]
                problems.add(
                    impacts.problem(
                        i,
                        column,
                        f"{column} differs from the one given for proposal {proposal_id!r} at "
                        f"{_where_written(impacts, first)}: {data[column]!r}",
                    )
                )
    impact_list = []
    first_of: dict[tuple[tuple[str, str], ...], int] = {}
    for i in rows:
        row = impacts.rows[i]
        impact: dict[str, Any] = {k: row[k] for k in _IMPACT_KEYS if k in row}
        timing = {k: row[k] for k in _TIMING_KEYS if k in row}
        impact["timing"] = timing
        impact_list.append(impact)
        if not check:
            continue
        key = tuple(sorted((k, repr(v)) for k, v in {**impact, **timing}.items() if k != "timing"))
        if key in first_of:
            problems.add(
                impacts.problem(
                    i,
                    None,
                    f"this impact row is identical to the one at "
                    f"{_where_written(impacts, first_of[key])}: its effect would count twice; "
                    "merge the two rows, or tell them apart (group, timing, note)",
                )
            )
        else:
            first_of[key] = i
    data["impacts"] = impact_list
    cost_lines: list[dict[str, Any]] = []
    fiscal_lines: list[dict[str, Any]] = []
    cost_index: list[int] = []
    fiscal_index: list[int] = []
    if cost_table is not None:
        for i in costs:
            row = cost_table.rows[i]
            kind = str(row.get("kind", "cost"))
            line: dict[str, Any] = {
                k: row[k] for k in ("year", "amount", "budget", "note") if k in row
            }
            if kind == "cost":
                cost_lines.append(line)
                cost_index.append(i)
            elif kind in ("saving", "revenue"):
                fiscal_lines.append({**line, "kind": kind})
                fiscal_index.append(i)
            else:
                problems.add(
                    cost_table.problem(
                        i,
                        "kind",
                        f"kind must be cost, saving or revenue, got {kind!r}"
                        + _did_you_mean(kind, ["cost", "saving", "revenue"]),
                    )
                )
    if cost_lines:
        data["costs"] = cost_lines
    if fiscal_lines:
        data["fiscal_effects"] = fiscal_lines

    def where(loc: tuple[PathElement, ...]) -> Problem:
        head = loc[0] if loc else None
        if head == "impacts" and len(loc) >= 2 and isinstance(loc[1], int):
            column = loc[-1] if len(loc) > 2 and isinstance(loc[-1], str) else None
            if column == "timing":
                column = None
            return impacts.problem(rows[loc[1]], column, "")
        if head in ("costs", "fiscal_effects") and cost_table is not None and len(loc) >= 2:
            index = cost_index if head == "costs" else fiscal_index
            position = loc[1]
            if isinstance(position, int) and position < len(index):
                column = loc[2] if len(loc) > 2 and isinstance(loc[2], str) else None
                return cost_table.problem(index[position], column, "")
        column = head if isinstance(head, str) and head in impacts.columns else None
        if head == "id":
            column = "proposal"
        row = given_at.get(column, rows[0]) if column is not None else rows[0]
        return impacts.problem(row, column, "")

    return data, where


# -- columns: tables read as arrays ------------------------------------------------------------
#
# A table whose every cell is plainly valid is read column by column: each column is cleaned
# and checked once per distinct value (a bulk table repeats "10 years" and a handful of
# indicators thousands of times), proposals are grouped with numpy, and the set keeps the
# columns as codes, building a pydantic Proposal only when one is asked for. The checks here
# only decide that a table is plainly valid; a table with anything doubtful (a refused cell,
# a value of an unexpected type, rows that disagree, two identical impacts...) is read row by
# row instead, so that every problem is reported exactly as the row-by-row reader words and
# locates it.

_ID_RE = re.compile(ID_PATTERN)
_EVIDENCE = ("high", "medium", "low")
_QUANTITIES = {"change", "relative_change", "people", "ramp_up", "duration", "amount"}
_PARSED_DEFAULTS: dict[str, Any] = {
    "group": "all",
    "ramp_up": Quantity(0.0, "year"),
    "persistence": 0.0,
}


@dataclass(frozen=True, eq=False)
class TableArrays:
    """Proposals read from tables as arrays, one entry per impact in proposal order (impacts
    of a proposal in the order of their rows), and one per money line likewise. Codes index
    the label tuples (``units``, ``indicators``...); ``-1`` is an empty cell."""

    impact_proposal: NDArray[np.int64]
    impact_index: NDArray[np.int64]
    indicator: NDArray[np.int64]
    relative: NDArray[np.bool_]
    change: NDArray[np.float64]  # magnitude of the change or relative change, as written
    change_unit: NDArray[np.int64]
    people: NDArray[np.float64]  # magnitude (nan: not per person)
    people_unit: NDArray[np.int64]
    group: NDArray[np.int64]
    start: NDArray[np.int64]
    ramp: NDArray[np.int64]  # per impact, index into ramp_magnitude and ramp_unit
    ramp_magnitude: NDArray[np.float64]  # per distinct ramp-up written
    ramp_unit: NDArray[np.int64]
    duration: NDArray[np.int64]
    duration_magnitude: NDArray[np.float64]
    duration_unit: NDArray[np.int64]
    persistence: NDArray[np.float64]
    evidence: NDArray[np.int64]
    priorities: tuple[tuple[str, ...], ...]  # per proposal
    cost_proposal: NDArray[np.int64]
    cost_year: NDArray[np.int64]
    cost_amount: NDArray[np.float64]
    cost_unit: NDArray[np.int64]
    cost_fiscal: NDArray[np.bool_]  # a saving or revenue rather than a cost
    units: tuple[str, ...]
    indicators: tuple[str, ...]
    groups: tuple[str, ...]
    evidences: tuple[str, ...]


def table_arrays(proposals: ProposalSet) -> TableArrays | None:
    """The arrays of proposals read from tables, or None for proposals given as objects."""
    source = proposals.source
    return source.arrays if isinstance(source, _TableColumns) else None


class _Doubt(Exception):
    """Something in the table that only the row-by-row reader reports exactly."""


@dataclass
class _Column:
    """One column as codes into its distinct cleaned values (-1: empty)."""

    codes: NDArray[np.int64]
    values: list[Any]

    def present(self) -> NDArray[np.bool_]:
        present: NDArray[np.bool_] = self.codes >= 0
        return present


def _column_from(codes: NDArray[Any], uniques: list[Any], column: str, decimal: str) -> _Column:
    plain = decimal == "." and column not in _LISTS and column not in _NUMBERS
    if plain and all(type(v) is str for v in uniques):
        return _text_column(codes, uniques, column)
    cleaned: list[Any] = []
    remap = np.empty(len(uniques) + 1, dtype=np.int64)
    remap[-1] = -1
    for n, value in enumerate(uniques):
        cell, message = _clean_value(value, column, decimal)
        if message is not None:
            raise _Doubt
        if cell is None:
            remap[n] = -1
        else:
            remap[n] = len(cleaned)
            cleaned.append(cell)
    return _Column(remap[np.asarray(codes, dtype=np.int64)], cleaned)


def _text_column(codes: NDArray[Any], uniques: list[str], column: str) -> _Column:
    """:func:`_column_from` for distinct plain strings read with a decimal point: the same
    cleaning (stripped, empty is empty, missing-value markers refused), in bulk."""
    stripped = [v.strip() for v in uniques]
    if column not in _FREE_TEXT and any(
        len(v) <= 6 and v.lower() in _MISSING_MARKERS for v in stripped
    ):
        raise _Doubt
    index: dict[str, int] = {}
    remap = np.array(
        [index.setdefault(v, len(index)) if v else -1 for v in stripped] + [-1], dtype=np.int64
    )
    return _Column(remap[np.asarray(codes, dtype=np.int64)], list(index))


def _frame_column(series: pd.Series, column: str, decimal: str) -> _Column:
    import pandas as pd

    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    values = series.to_numpy()
    kind = values.dtype.kind
    if kind in "iuf":
        if column not in _NUMERIC_TEXT:
            raise _Doubt
    elif kind == "O":
        inferred = pd.api.types.infer_dtype(values, skipna=True)
        numeric = inferred in ("integer", "floating", "mixed-integer-float")
        if not (inferred in ("string", "empty") or (numeric and column in _NUMERIC_TEXT)):
            raise _Doubt
    else:
        raise _Doubt
    nulls = pd.isna(values)
    if column in _NAN_REFUSED and nulls.any() and any(v is not None for v in values[nulls]):
        raise _Doubt  # a NaN where an empty cell changes a figure: refused, located
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return _column_from(codes, list(np.asarray(uniques, dtype=object)), column, decimal)


def _quantity_of(value: Any) -> Quantity:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _Doubt
    try:
        return parse_quantity(value)
    except UnitError:
        raise _Doubt from None


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 100 and _ID_RE.match(value) is not None


def _is_year(value: Any) -> bool:
    return type(value) is int and 1800 <= value <= 2300


def _parsed(column: str, value: Any) -> Any:
    """The value the model would hold for a cleaned cell that is not a quantity;
    :class:`_Doubt` when the model would refuse it (or might)."""
    if column in ("title", "lead_agency", "description", "source", "note", "kind", "budget"):
        if not isinstance(value, str):
            raise _Doubt
        if column == "kind" and value not in ("cost", "saving", "revenue"):
            raise _Doubt
        if column == "budget" and value not in ("operating", "capital"):
            raise _Doubt
        return value
    if column == "proposal":
        if isinstance(value, bool) or not _is_id(str(value)):
            raise _Doubt
        return str(value)
    if column in ("indicator", "group"):
        if not _is_id(value):
            raise _Doubt
        return value
    if column == "evidence":
        if value not in _EVIDENCE or not isinstance(value, str):
            raise _Doubt
        return value
    if column == "partner_agencies":
        return tuple(value)
    if column in ("groups", "priorities"):
        if not all(_is_id(v) for v in value):
            raise _Doubt
        return tuple(value)
    if column in ("start", "year"):
        if not _is_year(value):
            raise _Doubt
        return value
    if column == "persistence":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _Doubt
        number = float(value)
        if not (math.isfinite(number) and 0 <= number < 1):
            raise _Doubt
        return number
    raise _Doubt  # quantities are read a column at a time (_Parsed)


def _key(value: Any) -> Any:
    """A hashable key under which two values are equal only if the model's values are (and
    of one type: 1 and 1.0 are told apart, to be safe)."""
    if isinstance(value, Quantity):
        return ("q", value.magnitude + 0.0, value.unit)
    if isinstance(value, float):
        return ("f", value + 0.0)
    return (type(value).__name__, value)


_TEXTS: dict[str, set[str]] = {
    "title": set(),
    "lead_agency": set(),
    "description": set(),
    "source": set(),
    "note": set(),
    "kind": {"cost", "saving", "revenue"},
    "budget": {"operating", "capital"},
}
_PLAIN_QUANTITY_RE = re.compile(r"^(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?) ([^\n]*)$", re.MULTILINE)


def _bulk_quantities(values: list[str]) -> tuple[list[float], list[str]]:
    """Each text as :func:`~wellbeing_budget.units.parse_quantity` reads it. When every
    text is a plain number, one space and a unit (``-0.4 percentage_point``), all are split
    by one regular expression and each distinct unit is read once, as parse_quantity reads
    it (its checks of a unit look at the unit's text alone); otherwise each is parsed whole."""
    text = "\n".join(values)
    found = _PLAIN_QUANTITY_RE.findall(text) if text.count("\n") == len(values) - 1 else []
    if len(found) != len(values):
        parsed = [_quantity_of(v) for v in values]
        return [q.magnitude for q in parsed], [q.unit for q in parsed]
    numbers, written = zip(*found, strict=True) if found else ((), ())
    canonical = {unit: _quantity_of("1 " + unit).unit for unit in set(written)}
    magnitudes = list(map(float, numbers))
    if not all(abs(m) <= MAX_MAGNITUDE for m in magnitudes):
        raise _Doubt
    return magnitudes, [canonical[u] for u in written]


_NO_CODES: NDArray[np.int64] = np.zeros(0, dtype=np.int64)


class _Parsed:
    """A column's parsed values per code, and per row canonical codes (equal codes: equal
    model values; the empty cell, under its default where the model has one). A quantity
    column keeps magnitudes and units (``magnitude``, ``unit`` into ``units``) per code."""

    def __init__(self, name: str, column: _Column | None, n_rows: int) -> None:
        values = column.values if column is not None else []
        default = _PARSED_DEFAULTS.get(name)
        self.values: list[Any] = []
        self.units: list[str] = []
        self.magnitude = np.zeros(0, dtype=np.float64)
        self.unit = np.zeros(0, dtype=np.int64)
        import pandas as pd

        codes = column.codes if column is not None else np.full(n_rows, -1, dtype=np.int64)
        self.codes = codes
        if name in _QUANTITIES:
            self._quantities(name, values)
            magnitude, unit = self.magnitude + 0.0, self.unit  # 0.0 and -0.0 are one value
            if isinstance(default, Quantity):
                magnitude = np.append(magnitude, default.magnitude)
                unit = np.append(unit, self._unit_id(default.unit))
            else:
                magnitude, unit = np.append(magnitude, math.nan), np.append(unit, -1)
            by_magnitude = pd.factorize(magnitude, use_na_sentinel=False)[0].astype(np.int64)
            canon = pd.factorize(by_magnitude * (len(self.units) + 1) + unit + 1)[0]
        elif name in _TEXTS and all(type(v) is str for v in values):
            self.values = values
            if _TEXTS[name] and not set(values) <= _TEXTS[name]:
                raise _Doubt
            keyed = np.empty(len(values) + 1, dtype=object)
            keyed[: len(values)] = values
            keyed[-1] = ("none",)
            canon = pd.factorize(keyed)[0]
        else:
            self.values = [_parsed(name, v) for v in values]
            keys = [_key(v) for v in self.values]
            keys.append(_key(default) if default is not None else ("none",))
            index: dict[Any, int] = {}
            canon = np.array([index.setdefault(k, len(index)) for k in keys], dtype=np.int64)
        self.canon: NDArray[np.int64] = np.asarray(canon, dtype=np.int64)[codes]

    def _unit_id(self, unit: str) -> int:
        if unit not in self.units:
            self.units.append(unit)
        return self.units.index(unit)

    def _quantities(self, name: str, values: list[Any]) -> None:
        import pandas as pd

        if all(type(v) is str for v in values):
            magnitudes, units = _bulk_quantities(values)
        elif all(type(v) in (int, float) for v in values):
            magnitudes = [float(v) for v in values]
            if not all(math.isfinite(m) and abs(m) <= MAX_MAGNITUDE for m in magnitudes):
                raise _Doubt
            units = [""] * len(values)
        else:
            parsed = [_quantity_of(v) for v in values]
            magnitudes, units = [q.magnitude for q in parsed], [q.unit for q in parsed]
        unit_codes, distinct = pd.factorize(np.array(units, dtype=object))
        self.units = [str(u) for u in distinct]
        self.magnitude = np.array(magnitudes, dtype=np.float64)
        self.unit = unit_codes.astype(np.int64)
        # What the models check, once per distinct unit and then on the magnitudes.
        factor = np.ones(len(self.units), dtype=np.float64)
        for n, unit in enumerate(self.units):
            try:
                if name == "relative_change" and unit:
                    conversion_factor(unit, "dimensionless")
                elif name == "people" and unit:
                    factor[n] = conversion_factor(unit, "person")
                elif name in ("ramp_up", "duration"):
                    if not unit:
                        raise _Doubt
                    factor[n] = conversion_factor(unit, "year")
                elif name == "amount" and currency_of(unit) is None:
                    raise _Doubt
            except UnitError:
                raise _Doubt from None
        if name in ("people", "ramp_up", "duration"):
            # as Quantity.to computes it: the magnitude times the unit's factor
            scaled = self.magnitude * factor[self.unit] if len(self.unit) else self.magnitude
            if name == "people" and not (scaled > 0).all():
                raise _Doubt
            if name == "ramp_up" and (scaled < 0).any():
                raise _Doubt
            if name == "duration" and (scaled <= 0).any():
                raise _Doubt


def _frame_columns(
    frame: pd.DataFrame, allowed: tuple[str, ...], decimal: str
) -> tuple[list[str], dict[str, _Column]]:
    names = [str(c).strip() for c in frame.columns]
    if len(set(names)) != len(names) or any(n not in allowed for n in names):
        raise _Doubt
    columns = {name: _frame_column(frame.iloc[:, n], name, decimal) for n, name in enumerate(names)}
    return names, columns


def _read_csv_columns(
    path: Path, sep: str, decimal: str, limits: TableLimits, allowed: tuple[str, ...]
) -> tuple[list[str], dict[str, _Column], NDArray[np.int64]]:
    """A plain CSV file (no quotes, so one line a row) as columns, with each row's line."""
    import pandas as pd

    try:
        if path.stat().st_size > limits.max_bytes:
            raise _Doubt
        with path.open("rb") as handle:
            head = handle.read(1 << 16)
            quoted = b'"' in head or b"\x00" in head
            # A quote may hide a line break inside a cell, and a lone carriage return
            # breaks a line too: either way a row's line is no longer its position. (A NUL
            # byte the csv module refuses, located.)
            while not quoted and (block := handle.read(1 << 22)):
                quoted = (
                    b'"' in block or b"\x00" in block or block.count(b"\r") != block.count(b"\r\n")
                )
    except OSError:
        raise _Doubt from None
    first = head.split(b"\n", 1)[0].removeprefix(b"\xef\xbb\xbf").rstrip(b"\r")
    if (
        quoted
        or b"\r" in head.replace(b"\r\n", b"")
        or not first.replace(sep.encode(), b"").strip()
    ):
        raise _Doubt
    try:
        header = [c.strip() for c in first.decode("utf-8").split(sep)]
        if len(header) > limits.max_columns:
            raise _Doubt
        # Read in chunks of text, each column kept as codes into its distinct values: the
        # strings of a million rows are never all alive at once.
        with warnings.catch_warnings():
            # pandas drops the cells of rows longer than the header with only a warning:
            # such a row is refused, located, by the row-by-row reader
            warnings.simplefilter("error", pd.errors.ParserWarning)
            chunks = pd.read_csv(
                path,
                sep=sep,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                encoding="utf-8-sig",
                engine="c",
                index_col=False,
                chunksize=1 << 16,
            )
            distinct: list[dict[str, int]] = [{} for _ in header]
            parts: list[list[NDArray[np.int64]]] = [[] for _ in header]
            n_rows = 0
            for chunk in chunks:
                if len(chunk.columns) != len(header):
                    raise _Doubt
                n_rows += len(chunk)
                if n_rows > limits.max_rows:
                    raise _Doubt
                for n in range(len(header)):
                    codes, uniques = pd.factorize(chunk.iloc[:, n].to_numpy(dtype=object))
                    index = distinct[n]
                    known = np.array(
                        [index.setdefault(u, len(index)) for u in uniques.tolist()], dtype=np.int64
                    )
                    parts[n].append(known[codes] if len(known) else codes.astype(np.int64))
    except (OSError, ValueError, pd.errors.ParserError, pd.errors.ParserWarning):
        raise _Doubt from None
    if len(set(header)) != len(header) or any(n not in allowed for n in header):
        raise _Doubt
    columns: dict[str, _Column] = {}
    for n, name in enumerate(header):
        codes = np.concatenate(parts[n]) if parts[n] else np.zeros(0, dtype=np.int64)
        parts[n] = []
        columns[name] = _column_from(codes, list(distinct[n]), name, decimal)
    blank = np.ones(len(next(iter(columns.values())).codes), dtype=np.bool_)
    for column in columns.values():
        blank &= ~column.present()
    lines = np.flatnonzero(~blank).astype(np.int64) + 2
    if blank.any():
        keep = ~blank
        for column in columns.values():
            column.codes = column.codes[keep]
    return header, columns, lines


@dataclass
class _Sheet:
    """A table as columns, with the lines its rows were written on."""

    name: str
    in_file: bool
    header: list[str]
    columns: dict[str, _Column]
    lines: NDArray[np.int64]

    @property
    def n_rows(self) -> int:
        return len(self.lines)


def _sheet(
    source: str | os.PathLike[str] | pd.DataFrame,
    kind: str,
    sep: str,
    decimal: str,
    limits: TableLimits,
) -> _Sheet:
    import pandas as pd

    allowed = IMPACT_COLUMNS if kind == "impacts" else COST_COLUMNS
    if isinstance(source, pd.DataFrame):
        if len(source) > limits.max_rows:
            raise _Doubt
        header, columns = _frame_columns(source, allowed, decimal)
        return _Sheet(
            f"<{kind} table>", False, header, columns, np.arange(len(source), dtype=np.int64)
        )
    path = Path(source)
    if path.suffix.lower() != ".csv":
        raise _Doubt
    header, columns, lines = _read_csv_columns(path, sep, decimal, limits, allowed)
    return _Sheet(display_name(path), True, header, columns, lines)


def _load_columns(
    impacts: str | os.PathLike[str] | pd.DataFrame,
    costs: str | os.PathLike[str] | pd.DataFrame | None,
    decimal: str,
    sep: str,
    limits: TableLimits,
) -> ProposalSet | None:
    """The proposals of plainly valid tables, as columns; None when anything is doubtful."""
    try:
        sheet = _sheet(impacts, "impacts", sep, decimal, limits)
        cost_sheet = _sheet(costs, "costs", sep, decimal, limits) if costs is not None else None
        return ProposalSet(source=_TableColumns(sheet, cost_sheet), name=sheet.name)
    except _Doubt:
        return None


def _reduce(values: NDArray[np.int64], starts: NDArray[np.int64], op: Any) -> NDArray[np.int64]:
    """``op`` over each proposal's rows (every proposal has one at least)."""
    reduced: NDArray[np.int64] = op.reduceat(values, starts) if len(values) else values
    return reduced


class _TableColumns:
    """Proposals kept as the columns of their tables (a :class:`ProposalSource`)."""

    def __init__(self, sheet: _Sheet, costs: _Sheet | None) -> None:
        import pandas as pd

        n = sheet.n_rows
        if n == 0:
            raise _Doubt  # "a header but no rows", said by the row-by-row reader
        for required in _REQUIRED["impacts"]:
            if required not in sheet.columns:
                raise _Doubt
        if "change" not in sheet.columns and "relative_change" not in sheet.columns:
            raise _Doubt
        parsed = {name: _Parsed(name, sheet.columns.get(name), n) for name in IMPACT_COLUMNS}
        for name in ("proposal", "indicator", "start", "duration", "evidence"):
            if (parsed[name].codes < 0).any():
                raise _Doubt
        has_change = parsed["change"].codes >= 0
        if (has_change == (parsed["relative_change"].codes >= 0)).any():
            raise _Doubt
        # Proposals in the order they first appear; rows by proposal, in table order.
        id_codes, ids = pd.factorize(
            np.array(parsed["proposal"].values, dtype=object)[parsed["proposal"].codes]
            if len(parsed["proposal"].values)
            else np.array([], dtype=object)
        )
        proposal = id_codes.astype(np.int64)
        order = np.argsort(proposal, kind="stable")
        counts = np.bincount(proposal, minlength=len(ids))
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        # Proposal-level columns: present on some row (required ones), and equal where given.
        first_code: dict[str, NDArray[np.int64]] = {}
        for name in PROPOSAL_COLUMNS[1:]:
            canon = parsed[name].canon[order]
            present = parsed[name].codes[order] >= 0
            high = _reduce(np.where(present, canon, -1), starts, np.maximum)
            low = _reduce(np.where(present, canon, np.iinfo(np.int64).max), starts, np.minimum)
            if ((high >= 0) & (low != high)).any():
                raise _Doubt
            if name in ("title", "lead_agency") and (high < 0).any():
                raise _Doubt
            first_code[name] = high
        # Agencies listed twice (lead among partners, or a partner twice).
        lead_of = _first_values(parsed["lead_agency"], order, starts)
        partners_of = _first_values(parsed["partner_agencies"], order, starts)
        for lead, partners in set(zip(lead_of, partners_of, strict=True)):
            agencies = [lead, *(partners or ())]
            if len(set(agencies)) != len(agencies):
                raise _Doubt
        # Two impacts of one proposal equal as models: refused (by the reader or by scoring).
        keys = {name: parsed[name].canon for name in IMPACT_ONLY}
        keys["proposal"] = proposal
        if pd.DataFrame(keys).duplicated().any():
            raise _Doubt
        del keys
        for checked in parsed.values():
            checked.canon = _NO_CODES  # needed only for the checks: a set keeps ~250 B/impact
        self.sheet = sheet
        self.ids: tuple[str, ...] = tuple(str(i) for i in ids)
        self.order = order
        self.starts = starts
        self.counts = counts
        self.parsed = parsed
        self.impact_proposal = proposal
        self.cost_sheet = costs
        self.cost_parsed: dict[str, _Parsed] = {}
        if costs is not None:
            self._costs(costs)
        self.view = _ColumnTable(sheet, parsed)
        self.cost_view = _ColumnTable(costs, self.cost_parsed) if costs is not None else None
        self.arrays = self._arrays()

    def _costs(self, costs: _Sheet) -> None:
        import pandas as pd

        n = costs.n_rows
        for required in _REQUIRED["costs"]:
            if required not in costs.columns:
                raise _Doubt
        parsed = {name: _Parsed(name, costs.columns.get(name), n) for name in COST_COLUMNS}
        for name in _REQUIRED["costs"]:
            if (parsed[name].codes < 0).any():
                raise _Doubt
        position = {ident: p for p, ident in enumerate(self.ids)}
        of_code = np.array(
            [position.get(v, -1) for v in parsed["proposal"].values] + [-1], dtype=np.int64
        )
        proposal = of_code[parsed["proposal"].codes]
        if (proposal < 0).any():
            raise _Doubt
        self.cost_proposal = proposal
        self.cost_order = np.argsort(proposal, kind="stable")
        counts = np.bincount(proposal, minlength=len(self.ids))
        self.cost_starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        self.cost_counts = counts
        self.cost_parsed = parsed
        del pd

    def _arrays(self) -> TableArrays:
        """The impacts and money lines as arrays, in proposal order (what scoring compiles)."""
        order, parsed = self.order, self.parsed
        units: dict[str, int] = {}

        def quantities(
            p: _Parsed, rows: NDArray[np.int64], default: Quantity | None
        ) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
            ids = np.array([units.setdefault(u, len(units)) for u in p.units], dtype=np.int64)
            magnitude = np.append(p.magnitude, math.nan if default is None else default.magnitude)
            unit = np.append(
                ids[p.unit] if len(ids) else p.unit,
                -1 if default is None else units.setdefault(default.unit, len(units)),
            )
            codes = p.codes[rows]
            return magnitude[codes], unit[codes]

        def labels(
            p: _Parsed, rows: NDArray[np.int64], names: dict[str, int], default: str | None
        ) -> NDArray[np.int64]:
            table = np.array(
                [
                    -1 if v is None else names.setdefault(v, len(names))
                    for v in [*p.values, default]
                ],
                dtype=np.int64,
            )
            chosen: NDArray[np.int64] = table[p.codes[rows]]
            return chosen

        def numbers(p: _Parsed, rows: NDArray[np.int64], default: float) -> NDArray[np.float64]:
            table = np.array([*p.values, default], dtype=np.float64)
            chosen: NDArray[np.float64] = table[p.codes[rows]]
            return chosen

        proposal = self.impact_proposal[order]
        indicators: dict[str, int] = {}
        groups: dict[str, int] = {}
        evidence = {level: n for n, level in enumerate(_EVIDENCE)}
        relative = parsed["relative_change"].codes[order] >= 0
        change, change_unit = quantities(parsed["change"], order, None)
        rel, rel_unit = quantities(parsed["relative_change"], order, None)
        people, people_unit = quantities(parsed["people"], order, None)

        def distinct(p: _Parsed, default: Quantity) -> tuple[Any, Any, Any]:
            ids = np.array([units.setdefault(u, len(units)) for u in p.units], dtype=np.int64)
            unit = np.append(
                ids[p.unit] if len(ids) else p.unit, units.setdefault(default.unit, len(units))
            )
            codes = p.codes[order]
            return (
                np.where(codes < 0, len(p.magnitude), codes),
                np.append(p.magnitude, default.magnitude),
                unit,
            )

        ramp, ramp_magnitude, ramp_unit = distinct(parsed["ramp_up"], Quantity(0.0, "year"))
        duration, duration_magnitude, duration_unit = distinct(
            parsed["duration"], Quantity(1.0, "year")
        )
        start_table = np.array([*parsed["start"].values, 0], dtype=np.int64)
        priorities = _first_values(parsed["priorities"], order, self.starts)
        n_costs = self.cost_sheet.n_rows if self.cost_sheet is not None else 0
        cost_order = self.cost_order if n_costs else np.zeros(0, dtype=np.int64)
        if n_costs:
            cp = self.cost_parsed
            kinds = {"cost": 0, "saving": 1, "revenue": 1}
            kind_table = np.array([kinds[v] for v in cp["kind"].values] + [0], dtype=np.int64)
            fiscal = kind_table[cp["kind"].codes[cost_order]] == 1
            amount, amount_unit = quantities(cp["amount"], cost_order, None)
            year = np.array([*cp["year"].values, 0], dtype=np.int64)[cp["year"].codes[cost_order]]
            cost_proposal = self.cost_proposal[cost_order]
        else:
            fiscal = np.zeros(0, dtype=np.bool_)
            amount = np.zeros(0, dtype=np.float64)
            amount_unit = year = cost_proposal = np.zeros(0, dtype=np.int64)
        return TableArrays(
            impact_proposal=proposal,
            impact_index=np.arange(len(order), dtype=np.int64) - self.starts[proposal],
            indicator=labels(parsed["indicator"], order, indicators, None),
            relative=relative,
            change=np.where(relative, rel, change),
            change_unit=np.where(relative, rel_unit, change_unit),
            people=people,
            people_unit=people_unit,
            group=labels(parsed["group"], order, groups, "all"),
            start=start_table[parsed["start"].codes[order]],
            ramp=ramp,
            ramp_magnitude=ramp_magnitude,
            ramp_unit=ramp_unit,
            duration=duration,
            duration_magnitude=duration_magnitude,
            duration_unit=duration_unit,
            persistence=numbers(parsed["persistence"], order, 0.0),
            evidence=labels(parsed["evidence"], order, evidence, None),
            priorities=tuple(p or () for p in priorities),
            cost_proposal=cost_proposal,
            cost_year=year,
            cost_amount=amount,
            cost_unit=amount_unit,
            cost_fiscal=fiscal,
            units=tuple(units),
            indicators=tuple(indicators),
            groups=tuple(groups),
            evidences=_EVIDENCE,
        )

    # -- a ProposalSource --------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.ids)

    def proposal_ids(self) -> tuple[str, ...]:
        return self.ids

    def _rows(self, index: int) -> tuple[list[int], list[int]]:
        lo = int(self.starts[index])
        rows = self.order[lo : lo + int(self.counts[index])].tolist()
        costs: list[int] = []
        if self.cost_sheet is not None:
            lo = int(self.cost_starts[index])
            costs = self.cost_order[lo : lo + int(self.cost_counts[index])].tolist()
        return rows, costs

    def _assembled(
        self, index: int
    ) -> tuple[dict[str, Any], Callable[[tuple[PathElement, ...]], Problem]]:
        rows, costs = self._rows(index)
        self.view.rows.gather(rows)
        if self.cost_view is not None:
            self.cost_view.rows.gather(costs)
        return _assemble(
            self.ids[index], rows, costs, self.view, self.cost_view, _Collector(0), check=False
        )

    def proposal(self, index: int) -> Proposal:
        data, _ = self._assembled(index)
        return Proposal.model_validate(data)

    def origin(self, index: int) -> Origin:
        return Origin(self._assembled(index)[1])


def _first_values(
    parsed: _Parsed, order: NDArray[np.int64], starts: NDArray[np.int64]
) -> list[Any]:
    """Per proposal, the value of a proposal-level column where given (None where not)."""
    codes = parsed.codes[order]
    high = _reduce(codes, starts, np.maximum)
    values = parsed.values
    return [values[c] if c >= 0 else None for c in high.tolist()]


class _ColumnTable(_Table):
    """A :class:`_Table` over columns: each row's cells are gathered when it is read."""

    def __init__(
        self, sheet: _Sheet, parsed: dict[str, _Parsed]
    ) -> None:  # reads no cells: rows are gathered on use
        self.name = sheet.name
        self.in_file = sheet.in_file
        self.columns = sheet.header
        self.lines = sheet.lines  # type: ignore[assignment]
        self.column_numbers = list(range(1, len(sheet.header) + 1))
        self.rows: _LazyRows = _LazyRows(sheet, parsed)  # type: ignore[assignment]

    def problem(self, row: int, column: str | None, message: str) -> Problem:
        found = super().problem(row, column, message)
        if found.line is None:
            return found
        return Problem(found.message, found.path, found.file, int(found.line), found.column)


class _LazyRows:
    """A sheet's rows as the row-by-row reader holds them (cleaned cells by column name),
    gathered for the rows of one proposal at a time; quantities already parsed."""

    def __init__(self, sheet: _Sheet, parsed: dict[str, _Parsed]) -> None:
        self.sheet = sheet
        self.parsed = parsed
        self.cache: dict[int, dict[str, Any]] = {}

    def gather(self, rows: list[int]) -> None:
        """Read these rows (forgetting those read before)."""
        cells: list[dict[str, Any]] = [{} for _ in rows]
        where = np.asarray(rows, dtype=np.int64)
        for name, column in self.sheet.columns.items():
            codes = column.codes[where].tolist()
            quantities = self.parsed.get(name) if name in _QUANTITIES else None
            if quantities is not None:
                magnitude, unit, units = quantities.magnitude, quantities.unit, quantities.units
                for cell, code in zip(cells, codes, strict=True):
                    if code >= 0:
                        cell[name] = Quantity(float(magnitude[code]), units[unit[code]])
                continue
            values = column.values
            for cell, code in zip(cells, codes, strict=True):
                if code >= 0:
                    cell[name] = values[code]
        self.cache = dict(zip(rows, cells, strict=True))

    def __getitem__(self, row: int) -> dict[str, Any]:
        found = self.cache.get(row)
        if found is None:
            self.gather([row])
            found = self.cache[row]
        return found

    def __len__(self) -> int:
        return self.sheet.n_rows
