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

A DataFrame or a CSV file without quotes is read a column at a time and kept as columns
(:mod:`wellbeing_budget.io.columns`, see ``docs/performance.md``): its proposals are built when
asked for, and scoring compiles the columns directly. Anything doubtful in it sends the table
to the row-by-row reader here, which words and locates every problem.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pydantic

from ..errors import PathElement, Problem, UnitError, ValidationError, WellbeingBudgetError
from ..errors import did_you_mean as _did_you_mean
from ..model.proposal import Origin, Proposal, ProposalSet
from ..units import delocalise
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
    header: list[str] | None = None
    header_line = 0
    rows: list[list[Any]] = []
    lines: list[int] = []
    extra = _Collector(limits.max_problems)
    for first_line, record in csv_records(text, name, sep):
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


def csv_records(text: str, name: str, sep: str = ",") -> Iterator[tuple[int, list[str]]]:
    """The records of CSV ``text`` with the physical line each starts on, blank lines and
    rows of empty cells skipped (the line numbers still count them: a quoted cell may span
    lines); a malformed record is a located error.

    >>> list(csv_records('a,b\\n\\n"x\\ny",2\\n', "t.csv"))
    [(1, ['a', 'b']), (3, ['x\\ny', '2'])]
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    while True:
        first_line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ValidationError(
                [Problem(f"CSV cannot be read: {exc}", (), name, reader.line_num)],
                summary=f"{name} cannot be read",
            ) from None
        if record and any(cell.strip() for cell in record):
            yield first_line, record


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
    # The column reader builds on this module's row-by-row pieces: imported here, not above.
    from .columns import _load_columns

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
