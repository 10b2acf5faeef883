"""Proposal tables read as columns: the bulk path of
:func:`~wellbeing_budget.io.tables.load_proposal_tables`.

A table whose every cell is plainly valid is read column by column: each column is cleaned
and checked once per distinct value (a bulk table repeats "10 years" and a handful of
indicators thousands of times), proposals are grouped with numpy, and the set keeps the
columns as codes, building a pydantic Proposal only when one is asked for
(:class:`_TableColumns` is the :class:`~wellbeing_budget.model.proposal.ProposalSource`), and
scoring compiles the columns directly (:func:`table_arrays`). The checks here only decide
that a table is plainly valid; a table with anything doubtful (a refused cell, a value of an
unexpected type, rows that disagree, two identical impacts...) raises :class:`_Doubt` and is
read row by row instead (:mod:`wellbeing_budget.io.tables`), so that every problem is reported
exactly as the row-by-row reader words and locates it.
"""

from __future__ import annotations

import math
import os
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ..errors import PathElement, Problem, UnitError
from ..model.base import ID_PATTERN
from ..model.proposal import (
    ImpactColumns,
    MoneyColumns,
    Origin,
    Proposal,
    ProposalField,
    ProposalSet,
)
from ..units import MAX_MAGNITUDE, Quantity, conversion_factor, currency_of, parse_quantity
from .files import display_name
from .tables import (
    _FREE_TEXT,
    _LISTS,
    _MISSING_MARKERS,
    _NAN_REFUSED,
    _NUMBERS,
    _NUMERIC_TEXT,
    _REQUIRED,
    COST_COLUMNS,
    IMPACT_COLUMNS,
    IMPACT_ONLY,
    PROPOSAL_COLUMNS,
    TableLimits,
    _assemble,
    _clean_value,
    _Collector,
    _Table,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["TableArrays", "table_arrays"]

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
        self._proposal_columns: dict[str, tuple[object, ...]] = {}

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

    def proposal_column(self, name: ProposalField) -> tuple[object, ...]:
        found = self._proposal_columns.get(name)
        if found is None:
            # A proposal-level value where given (rows that give one agree: checked when
            # read), else the model's default: no list, since title and lead agency are
            # required on some row of every proposal.
            values = _first_values(self.parsed[name], self.order, self.starts)
            found = tuple(() if v is None else v for v in values)
            self._proposal_columns[name] = found
        return found

    def impact_columns(self) -> ImpactColumns:
        order, parsed = self.order, self.parsed
        return ImpactColumns(
            proposal=tuple(self.impact_proposal[order].tolist()),
            change=_quantities_at(parsed["change"], order),
            relative_change=_quantities_at(parsed["relative_change"], order),
            people=_quantities_at(parsed["people"], order),
            evidence=_values_at(parsed["evidence"], order, None),
        )

    def money_columns(self) -> MoneyColumns:
        if self.cost_sheet is None or not self.cost_sheet.n_rows:
            return MoneyColumns((), (), (), (), ())
        parsed = self.cost_parsed
        kind = _values_at(parsed["kind"], np.arange(self.cost_sheet.n_rows), "cost")
        fiscal = np.array([k != "cost" for k in kind], dtype=np.bool_)
        # As a proposal lists them: its costs, then its fiscal effects, each in row order
        # (lexsort is stable).
        rows = np.lexsort((fiscal, self.cost_proposal)).astype(np.int64)
        amounts = _quantities_at(parsed["amount"], rows)
        return MoneyColumns(
            proposal=tuple(self.cost_proposal[rows].tolist()),
            kind=tuple(kind[r] for r in rows.tolist()),
            year=_values_at(parsed["year"], rows, None),
            amount=amounts,  # type: ignore[arg-type]
            budget=_values_at(parsed["budget"], rows, "operating"),
        )

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
        # Assembled only when a problem is located: a set's origins cost nothing until then.
        located: list[Callable[[tuple[PathElement, ...]], Problem]] = []

        def where(path: tuple[PathElement, ...]) -> Problem:
            if not located:
                located.append(self._assembled(index)[1])
            return located[0](path)

        return Origin(where)


def _quantities_at(parsed: _Parsed, rows: NDArray[np.int64]) -> tuple[Quantity | None, ...]:
    """The quantity of a column on each of these rows (None where empty), as the row-by-row
    gathering builds it."""
    table: list[Quantity | None] = [
        Quantity(m, parsed.units[u])
        for m, u in zip(parsed.magnitude.tolist(), parsed.unit.tolist(), strict=True)
    ]
    table.append(None)
    return tuple(table[c] for c in parsed.codes[rows].tolist())


def _values_at(parsed: _Parsed, rows: NDArray[np.int64], default: Any) -> tuple[Any, ...]:
    """The value of a column on each of these rows (``default`` where empty)."""
    table = [*parsed.values, default]
    return tuple(table[c] for c in parsed.codes[rows].tolist())


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
