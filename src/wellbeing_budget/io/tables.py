"""Proposals from tables: analysts keep bids in spreadsheets.

The **impacts** table has one row per impact. Proposal-level columns are read from a
proposal's first row; later rows may leave them empty, and must not contradict it.

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

Problems are located by file, line and column (CSV and Excel) and always by row and column
name: ``impacts.csv:5:9: rows[3].change: ...``.
"""

from __future__ import annotations

import importlib.util
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pydantic

from ..errors import PathElement, Problem, ValidationError, WellbeingBudgetError
from ..model.proposal import Origin, Proposal, ProposalSet
from .files import paused_gc
from .validation import pydantic_problems, sort_problems

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COST_COLUMNS", "IMPACT_COLUMNS", "load_proposal_tables"]

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
COST_COLUMNS = ("proposal", "year", "amount", "kind", "note")
_LISTS = {"partner_agencies", "groups", "priorities"}
_NUMBERS = {"start", "persistence", "year"}


class _Table:
    """A table as rows of cells, with a way to say where a cell is."""

    def __init__(self, frame: pd.DataFrame, name: str, in_file: bool) -> None:
        self.name = name
        self.in_file = in_file
        self.columns = [str(c).strip() for c in frame.columns]
        # Column by column: empty cells (NaN, None, blank text) are dropped, text is stripped
        # and cells of list and number columns are converted, each in one pass.
        cleaned: list[list[Any]] = []
        for position, column in enumerate(self.columns):
            values = frame.iloc[:, position].tolist()
            convert = column in _LISTS or column in _NUMBERS
            out: list[Any] = []
            for value in values:
                if value is None or (isinstance(value, float) and math.isnan(value)):
                    out.append(None)
                    continue
                if isinstance(value, str):
                    value = value.strip()
                    if not value:
                        out.append(None)
                        continue
                out.append(_cell(value, column) if convert else value)
            cleaned.append(out)
        self.rows: list[dict[str, Any]] = (
            [
                {c: v for c, v in zip(self.columns, record, strict=True) if v is not None}
                for record in zip(*cleaned, strict=True)
            ]
            if cleaned
            else [{} for _ in range(len(frame))]
        )

    def problem(self, row: int, column: str | None, message: str) -> Problem:
        path: tuple[PathElement, ...] = ("rows", row) if column is None else ("rows", row, column)
        if not self.in_file:
            return Problem(message, path, self.name)
        col = self.columns.index(column) + 1 if column in self.columns else None
        return Problem(message, path, self.name, row + 2, col)  # line 1 is the header


def _read(source: str | os.PathLike[str] | pd.DataFrame, sheet: str) -> _Table:
    import pandas as pd

    if isinstance(source, pd.DataFrame):
        return _Table(source, f"<{sheet} table>", in_file=False)
    path = Path(source)
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            return _Table(frame, str(path), in_file=True)
        if suffix in (".xlsx", ".xlsm"):
            if importlib.util.find_spec("openpyxl") is None:
                raise WellbeingBudgetError(
                    "reading Excel needs openpyxl: pip install 'wellbeing-budget[excel]'"
                )
            sheets = pd.read_excel(path, sheet_name=None, dtype=object)
            by_name = {name.strip().lower(): name for name in sheets}
            if sheet not in by_name:
                raise WellbeingBudgetError(
                    f"{path}: no sheet named {sheet!r} (sheets: {', '.join(sheets)})"
                )
            return _Table(sheets[by_name[sheet]], f"{path}[{sheet}]", in_file=True)
    except (OSError, ValueError, ImportError) as exc:
        raise WellbeingBudgetError(f"cannot read {path}: {exc}") from None
    raise WellbeingBudgetError(
        f"{path}: proposals are read from .yaml, .csv or .xlsx files, not {suffix or 'this file'}"
    )


def _cell(value: Any, column: str) -> Any:
    if column in _LISTS:
        return [part.strip() for part in str(value).split(";") if part.strip()]
    if column in _NUMBERS and isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return value  # the model reports it, located
        return int(number) if number.is_integer() and column != "persistence" else number
    if isinstance(value, float) and value.is_integer() and column in ("start", "year"):
        return int(value)
    return value


def load_proposal_tables(
    impacts: str | os.PathLike[str] | pd.DataFrame,
    costs: str | os.PathLike[str] | pd.DataFrame | None = None,
) -> ProposalSet:
    """Proposals from an impacts table and an optional costs table (see the module doc).

    An Excel workbook holds both, as sheets named ``impacts`` and ``costs``.
    """
    with paused_gc():
        return _load_tables(impacts, costs)


def _load_tables(
    impacts: str | os.PathLike[str] | pd.DataFrame,
    costs: str | os.PathLike[str] | pd.DataFrame | None,
) -> ProposalSet:
    impact_table = _read(impacts, "impacts")
    cost_table: _Table | None = None
    if costs is not None:
        cost_table = _read(costs, "costs")
    elif not isinstance(impacts, str | os.PathLike) or Path(impacts).suffix.lower() in (
        ".xlsx",
        ".xlsm",
    ):
        import pandas as pd

        if not isinstance(impacts, pd.DataFrame):
            try:
                cost_table = _read(impacts, "costs")
            except WellbeingBudgetError:
                cost_table = None

    problems: list[Problem] = []
    for table, allowed in ((impact_table, IMPACT_COLUMNS), (cost_table, COST_COLUMNS)):
        if table is None:
            continue
        from ..errors import did_you_mean

        for column in table.columns:
            if column not in allowed:
                problems.append(
                    Problem(
                        f"unknown column {column!r}{did_you_mean(column, allowed)}",
                        ("columns", column),
                        table.name,
                        1 if table.in_file else None,
                        table.columns.index(column) + 1 if table.in_file else None,
                    )
                )
    if problems:
        raise ValidationError(problems, summary="the proposal tables have unknown columns")

    # Group impact rows by proposal, keeping the order of first appearance.
    order: list[str] = []
    rows_of: dict[str, list[int]] = {}
    for i, row in enumerate(impact_table.rows):
        proposal_id = row.get("proposal")
        if proposal_id is None:
            problems.append(impact_table.problem(i, "proposal", "missing proposal id"))
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
                problems.append(cost_table.problem(i, "proposal", "missing proposal id"))
            elif str(proposal_id) not in rows_of:
                problems.append(
                    cost_table.problem(
                        i, "proposal", f"no proposal {proposal_id!r} in the impacts table"
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
            problems += pydantic_problems(exc, Proposal, _ignoring_key(where))
            continue
        proposals.append(proposal)
        origins.append(Origin(where))
    if problems:
        raise ValidationError(sort_problems(problems), summary="the proposal tables are not valid")
    return ProposalSet(tuple(proposals), tuple(origins), impact_table.name)


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


def _assemble(
    proposal_id: str,
    rows: list[int],
    costs: list[int],
    impacts: _Table,
    cost_table: _Table | None,
    problems: list[Problem],
) -> tuple[dict[str, Any], Callable[[tuple[PathElement, ...]], Problem]]:
    first = impacts.rows[rows[0]]
    data: dict[str, Any] = {"id": proposal_id}
    for column in PROPOSAL_COLUMNS[1:]:
        if column in first:
            data[column] = first[column]
    for i in rows[1:]:
        for column in PROPOSAL_COLUMNS[1:]:
            value = impacts.rows[i].get(column)
            if value is not None and column in first and value != data[column]:
                problems.append(
                    impacts.problem(
                        i,
                        column,
                        f"{column} differs from the proposal's first row "
                        f"(row {rows[0]}): {first[column]!r}",
                    )
                )
    impact_list = []
    for i in rows:
        row = impacts.rows[i]
        impact: dict[str, Any] = {k: row[k] for k in _IMPACT_KEYS if k in row}
        timing = {k: row[k] for k in _TIMING_KEYS if k in row}
        impact["timing"] = timing
        impact_list.append(impact)
    data["impacts"] = impact_list
    cost_lines: list[dict[str, Any]] = []
    fiscal_lines: list[dict[str, Any]] = []
    cost_index: list[int] = []
    fiscal_index: list[int] = []
    if cost_table is not None:
        for i in costs:
            row = cost_table.rows[i]
            kind = str(row.get("kind", "cost"))
            line: dict[str, Any] = {k: row[k] for k in ("year", "amount", "note") if k in row}
            if kind == "cost":
                cost_lines.append(line)
                cost_index.append(i)
            elif kind in ("saving", "revenue"):
                fiscal_lines.append({**line, "kind": kind})
                fiscal_index.append(i)
            else:
                problems.append(
                    cost_table.problem(
                        i, "kind", f"kind must be cost, saving or revenue, got {kind!r}"
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
        return impacts.problem(rows[0], column, "")

    return data, where
