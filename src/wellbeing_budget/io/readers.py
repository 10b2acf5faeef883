"""Publishers' files read as they are published, into tidy indicator data.

* :func:`read_undp`: UNDP's "Composite indices complete time series" CSV (one row per
  country, a column per indicator and year such as ``le_2022``; UTF-8 or Latin-1);
* :func:`read_oecd`: an OECD.Stat / SDMX CSV export (``LOCATION``, ``INDICATOR``,
  ``INEQUALITY``, ``Unit``, ``Value``), OECD unit names mapped to the library's units and the
  inequality breakdown to population groups;
* :func:`read_sdr`: the SDSN Sustainable Development Report database (the workbook's data sheet,
  or that sheet saved as CSV), with each country's region and the goals the SDSN does not score
  for it; :func:`sdg_index_framework` builds the SDG Index method from the workbook's codebook.

Each returns columns ``jurisdiction``, ``indicator``, ``year``, ``value`` (and ``group``,
``unit`` or ``region`` where the file has them), ready for ``framework.index(data)`` or
``framework.status(data)``. The indicator is the publisher's own code; a framework's catalogue
maps it through the indicator's ``codes:``. Nothing is dropped silently: aggregates (UNDP's
regional rows) are left out and listed in ``attrs["aggregates"]``; an unknown unit or
inequality code is refused, located.

A CSV is read by the csv module, so each problem names the physical line its row starts on
(a blank line or a quoted cell over several lines before it does not shift it). Each reader
takes ``sep=`` and ``decimal=``: a file separated by ``;`` with decimal commas is read with
``sep=";", decimal=","`` (dots then only group thousands; ``2.5`` is refused as ambiguous).
:func:`recognise_file` finds a file's layout and how to read it.
"""

from __future__ import annotations

import csv
import io
import os
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import Problem, UnitError, ValidationError, WellbeingBudgetError, did_you_mean
from ..model.framework import Framework
from ..units import delocalise
from .tables import csv_records, require_openpyxl
from .validation import Problems

__all__ = [
    "OECD_GROUPS",
    "OECD_UNITS",
    "Layout",
    "SdrData",
    "read_located_csv",
    "read_oecd",
    "read_sdr",
    "read_undp",
    "recognise_file",
    "recognise_layout",
    "sdg_index_framework",
]

Table = pd.DataFrame | str | os.PathLike[str]


@dataclass(frozen=True)
class _Read:
    """A table as read, with the line each row was written on (``lines[label]``: the physical
    line of a CSV, the sheet row of a workbook; ``None`` for a DataFrame given in memory)."""

    frame: pd.DataFrame
    name: str
    lines: np.ndarray[Any, Any] | None
    header_line: int | None = None

    def line(self, label: Any) -> int | None:
        return None if self.lines is None else int(self.lines[int(label)])


_INTEGER = re.compile(r"^\s*[-+]?\d+\s*$")


def _csv_frame(text: str, name: str, sep: str, decimal: str) -> tuple[pd.DataFrame, list[int], int]:
    """The rows of CSV text with the physical line each starts on, read by the csv module so
    that a blank line or a quoted cell holding line breaks never shifts a row's line. Rows of
    empty cells are skipped (their lines still count); numbers are inferred per column as
    pandas would, except that with a decimal comma only whole numbers are (the rest are read
    by :func:`_numbers`, which refuses what a comma makes ambiguous)."""
    header: list[str] | None = None
    header_line = 1
    rows: list[list[str | None]] = []
    lines: list[int] = []
    problems = Problems()
    for first_line, record in csv_records(text, name, sep):
        if header is None:
            header, header_line = [cell.strip() for cell in record], first_line
            continue
        if len(record) > len(header) and any(c.strip() for c in record[len(header) :]):
            problems.append(
                Problem(
                    f"this row has {len(record)} cells, the header {len(header)}: is a "
                    f"separator missing, or the file separated by another character than "
                    f"{sep!r}?",
                    ("rows", len(rows)),
                    name,
                    first_line,
                    len(header) + 1,
                )
            )
        cells: list[str | None] = [c if c != "" else None for c in record[: len(header)]]
        rows.append(cells + [None] * (len(header) - len(cells)))
        lines.append(first_line)
    if header is None:
        raise ValidationError(
            [Problem("the table is empty: it has no header row", (), name, 1)],
            summary=f"{name} is not valid",
        )
    problems.raise_if_any(f"{name} is not valid")
    columns: list[str] = []
    for column in header:  # a repeated name gets a suffix, as pandas gives it
        unique, n = column, 0
        while unique in columns:
            n += 1
            unique = f"{column}.{n}"
        columns.append(unique)
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    for column in columns:
        written = frame[column]
        present = written.dropna()
        if decimal == "," and not present.map(lambda c: bool(_INTEGER.match(c))).all():
            continue
        try:
            frame[column] = pd.to_numeric(written)
        except (ValueError, TypeError):
            continue
    return frame, lines, header_line


def _table(data: Table, what: str, *, sep: str = ",", decimal: str = ".") -> _Read:
    """A DataFrame as given, or a CSV read as UTF-8 (with or without a byte-order mark) and
    otherwise Latin-1, the two encodings publishers' files come in."""
    if isinstance(data, pd.DataFrame):
        return _Read(data, f"<{what}>", None)
    path = Path(data)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise WellbeingBudgetError(
            f"{path}: a workbook; read its sheet with read_sdr(path) or pandas.read_excel first"
        )
    if len(sep) != 1 or sep in ('"', "\n", "\r") or decimal not in (".", ","):
        raise WellbeingBudgetError("sep is one character; decimal is '.' or ','")
    if sep == decimal:
        raise WellbeingBudgetError(
            f"sep and decimal are both {sep!r}: use sep=';' with decimal=','"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError(
            [Problem(f"cannot read {what}: {exc.strerror or exc}", (), str(path))]
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # every byte string decodes: UNDP's files are Latin-1
    # Only an empty cell is missing: '#N/A', 'NA' or 'n/a' stay text, and a value column
    # holding them is refused rather than read as a silent blank.
    frame, lines, header_line = _csv_frame(text, str(path), sep, decimal)
    return _Read(frame, str(path), np.asarray(lines, dtype=np.int64), header_line)


def _sheet(path: Path, sheet: str, what: str) -> _Read:
    """A workbook's sheet, each row located by its sheet row. Read cell by cell rather than
    by pandas, which turns an error value (``#N/A``, ``#DIV/0!``) into a silent blank: here
    it stays text, refused where a number belongs. A workbook without the sheet is refused
    naming the sheets it has; a file that is no workbook, by what went wrong."""
    openpyxl = require_openpyxl()
    name = str(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        problem = Problem(f"cannot read {what}: {exc.strerror or exc}", (), name)
        raise ValidationError([problem]) from None
    except Exception:  # openpyxl's own and zipfile's: the file is no workbook
        problem = Problem(f"cannot read {what}: not an Excel workbook (.xlsx)", (), name)
        raise ValidationError([problem]) from None
    try:
        if sheet not in book.sheetnames:
            raise WellbeingBudgetError(
                f"{name}: no sheet {sheet!r} for {what} (sheets: {', '.join(book.sheetnames)})"
                + did_you_mean(sheet, book.sheetnames)
            )
        header: list[str] | None = None
        header_line = 1
        rows: list[list[Any]] = []
        lines: list[int] = []
        for number, cells in enumerate(book[sheet].iter_rows(values_only=True), start=1):
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            if header is None:
                header = ["" if c is None else str(c).strip() for c in cells]
                header_line = number
                continue
            row = [None if c == "" else c for c in cells[: len(header)]]
            rows.append(row + [None] * (len(header) - len(row)))
            lines.append(number)
    finally:
        book.close()
    if header is None:
        raise ValidationError([Problem(f"sheet {sheet!r} is empty", (), name)])
    frame = pd.DataFrame(rows, columns=header, dtype=object).infer_objects()
    return _Read(frame, name, np.asarray(lines, dtype=np.int64), header_line)


def _require(frame: pd.DataFrame, columns: tuple[str, ...], name: str, what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValidationError(
            [
                Problem(
                    f"missing column {c!r}" + did_you_mean(c, [str(x) for x in frame.columns]),
                    ("columns",),
                    name,
                )
                for c in missing
            ],
            summary=f"{name} is not {what}",
        )


def read_located_csv(
    path: str | os.PathLike[str], *, sep: str = ",", decimal: str = "."
) -> tuple[pd.DataFrame, np.ndarray[Any, Any]]:
    """A CSV file as the readers here read it (UTF-8 or Latin-1; only an empty cell missing,
    so ``#N/A`` stays text to be refused; rows of empty cells skipped), with the physical
    line each row starts on (``lines[k]`` for row ``k``).

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "data.csv"
    >>> _ = path.write_text('place,value\\n\\n"New\\nZealand",82.5\\n')
    >>> frame, lines = read_located_csv(path)
    >>> frame.value.tolist(), lines.tolist()
    ([82.5], [3])
    """
    read = _table(path, "table", sep=sep, decimal=decimal)
    assert read.lines is not None  # a path is read from its file
    return read.frame, read.lines


def _numbers(
    values: pd.Series, column: str, read: _Read, problems: Problems, decimal: str = "."
) -> pd.Series:
    """A column as numbers; every cell that holds text other than a number (a decimal comma,
    '#N/A') is a located problem, never a silent blank (listed up to the collector's cap,
    counted beyond it), at the line the row was written on. With ``decimal=","`` a decimal
    comma is read and a dot may only group thousands (``2.500`` is refused as ambiguous)."""
    reasons: dict[str, str] = {}
    if decimal == "," and values.dtype == object:
        written: dict[Any, Any] = {}
        for text in values.dropna().unique():
            if isinstance(text, str):
                try:
                    written[text] = delocalise(text.strip())
                except UnitError as exc:
                    reasons[text] = str(exc)
                    written[text] = None  # ambiguous: refused below, never read as a point
        values_read = values.map(lambda v: written.get(v, v) if isinstance(v, str) else v)
    else:
        values_read = values
    numbers = pd.to_numeric(values_read, errors="coerce")
    bad = np.flatnonzero(values.notna().to_numpy() & numbers.isna().to_numpy())
    problems.count(len(bad) - problems.room)
    for position in bad[: problems.room]:
        cell = values.iloc[position]
        text = str(cell)
        if isinstance(cell, str) and cell in reasons:
            message = reasons[cell]
        else:
            message = f"{cell!r} is not a number" + (
                f"; a decimal comma? write {text.replace(',', '.')!r} (or read the table with "
                "decimal=',')"
                if "," in text and decimal == "."
                else ""
            )
        problems.append(
            Problem(
                message,
                ("rows", int(position), column),
                read.name,
                read.line(values.index[position]),
            )
        )
    return numbers


def _refuse_duplicates(
    tidy: pd.DataFrame,
    keys: list[str],
    name: str,
    line: Callable[[Any], int | None] | None = None,
) -> None:
    """The same observation twice would overwrite (or double) itself downstream: refused,
    listing each repeat up to the shared cap and counting the rest; where each tidy row is a
    row of the file (``line`` maps its label to the physical line), at the repeat's line."""
    repeated = tidy.duplicated(subset=keys, keep="first")
    if repeated.any():
        observations = tidy.loc[repeated, keys].drop_duplicates()
        problems = Problems()
        for label, row in zip(
            observations.index[: problems.room],
            observations.head(problems.room).itertuples(index=False),
            strict=True,
        ):
            problems.append(
                Problem(
                    "observation given more than once: "
                    + ", ".join(f"{k}={v}" for k, v in zip(keys, row, strict=True)),
                    (),
                    name,
                    None if line is None else line(label),
                )
            )
        problems.count(len(observations) - len(problems.items))
        problems.raise_if_any(f"{name} repeats observations")


def _year_span(years: list[int]) -> str:
    """``1990-2022`` for a run of years without gaps, else the years listed (the last 8)."""
    if years == list(range(years[0], years[-1] + 1)) and len(years) > 2:
        return f"{years[0]}-{years[-1]}"
    return ", ".join(str(y) for y in years[-8:])


# -- UNDP --------------------------------------------------------------------------------------

UNDP_COLUMN = re.compile(r"^(?P<code>[a-z][a-z0-9_]*?)_(?P<year>(19|20)\d\d)$")


def read_undp(
    data: Table,
    *,
    indicators: tuple[str, ...] | list[str] = ("le", "eys", "mys", "gnipc"),
    years: tuple[int, ...] | list[int] | None = None,
    sep: str = ",",
    decimal: str = ".",
) -> pd.DataFrame:
    """UNDP's composite indices time series, tidy: one row per country, indicator code
    (``le``, ``eys``, ``mys``, ``gnipc``, ``hdi``, ``hdi_rank``...) and year with a value.

    Aggregate rows (ISO3 codes starting ``ZZ``: regions, development groups, the world) are
    left out and listed in ``attrs["aggregates"]``. ``sep`` and ``decimal`` say how a CSV is
    written (``sep=";", decimal=","`` for a file with decimal commas).

    >>> import pandas as pd
    >>> wide = pd.DataFrame({"iso3": ["NZL", "ZZK.WORLD"], "country": ["New Zealand", "World"],
    ...                      "le_2022": [82.5, 72.0], "hdi_rank_2022": [16, None]})
    >>> read_undp(wide, indicators=["le", "hdi_rank"]).values.tolist()
    [['New Zealand', 'le', 2022, 82.5], ['New Zealand', 'hdi_rank', 2022, 16.0]]
    """
    read = _table(data, "UNDP composite indices", sep=sep, decimal=decimal)
    frame, name = read.frame, read.name
    _require(frame, ("iso3", "country"), name, "a UNDP composite indices file")
    aggregate = frame["iso3"].astype(str).str.startswith("ZZ")
    countries = frame[~aggregate]
    wanted = set(indicators)
    parts = []
    found: set[str] = set()
    problems = Problems()
    for column in frame.columns:
        match = UNDP_COLUMN.match(str(column))
        if not match or match["code"] not in wanted:
            continue
        year = int(match["year"])
        if years is not None and year not in years:
            continue
        found.add(match["code"])
        values = _numbers(countries[column], str(column), read, problems, decimal)
        parts.append(
            pd.DataFrame(
                {
                    "jurisdiction": countries["country"].astype(str),
                    "indicator": match["code"],
                    "year": year,
                    "value": values,
                }
            )
        )
    problems.raise_if_any(f"{name} holds values that are not numbers")
    lacking = sorted(wanted - found)
    if lacking:
        matches = [m for c in frame.columns if (m := UNDP_COLUMN.match(str(c)))]
        held = sorted({int(m["year"]) for m in matches if m["code"] in lacking})
        if years is not None and held:
            # the columns are there, for other years: say which, not "did you mean"
            asked = ", ".join(str(y) for y in sorted(years))
            raise WellbeingBudgetError(
                f"{name} has no data for {asked} of {', '.join(lacking)} "
                f"(its years: {_year_span(held)})"
            )
        codes = sorted({m["code"] for m in matches})
        raise WellbeingBudgetError(
            f"{name} has no columns for {', '.join(lacking)}" + did_you_mean(lacking[0], codes)
        )
    tidy = pd.concat(parts, ignore_index=True).dropna(subset=["value"]).reset_index(drop=True)
    _refuse_duplicates(tidy, ["jurisdiction", "indicator", "year"], name)
    tidy.attrs["aggregates"] = sorted(frame.loc[aggregate, "country"].astype(str))
    return tidy


# -- OECD.Stat ---------------------------------------------------------------------------------

OECD_UNITS: dict[str, str | None] = {
    "Percentage": "percent",
    "US Dollar": "USD",
    "Years": "year",
    "Hours": "hour",
    "Micrograms per cubic metre": "microgram / meter ** 3",
    # Counts whose meaning is the indicator's own (rooms per person, a 0-10 score): the value
    # is taken to be in the indicator's unit.
    "Ratio": None,
    "Average score": None,
}
"""OECD.Stat unit names and the units they are read in (``None``: the indicator's own)."""

OECD_GROUPS = {"TOT": "all", "MN": "men", "WMN": "women", "HGH": "high_income", "LW": "low_income"}
"""OECD.Stat ``INEQUALITY`` codes and the population groups they become."""


def read_oecd(
    data: Table, *, year: int | None = None, sep: str = ",", decimal: str = "."
) -> pd.DataFrame:
    """An OECD.Stat (SDMX) CSV export, tidy: ``jurisdiction`` (the country name), ``group``
    (from ``INEQUALITY``), ``indicator`` (the ``INDICATOR`` code), ``year`` (from a
    ``TIME``/``Time``/``Year`` column, else ``year=``), ``value`` and ``unit``. Rows of the
    OECD aggregate (``LOCATION`` ``OECD``) are left out and listed in ``attrs["aggregates"]``.
    ``sep`` and ``decimal`` say how a CSV is written.

    >>> import pandas as pd
    >>> export = pd.DataFrame({"LOCATION": ["NZL"], "Country": ["New Zealand"],
    ...     "INDICATOR": ["HS_LEB"], "INEQUALITY": ["TOT"], "Unit": ["Years"], "Value": [81.4]})
    >>> read_oecd(export, year=2015).to_dict("records")[0]["unit"]
    'year'
    """
    read = _table(data, "OECD.Stat export", sep=sep, decimal=decimal)
    frame, name = read.frame, read.name
    _require(frame, ("LOCATION", "INDICATOR", "Value"), name, "an OECD.Stat export")
    problems = Problems()
    units = frame["Unit"].astype(str) if "Unit" in frame.columns else None
    if units is not None:
        for unit in sorted(set(units) - set(OECD_UNITS)):
            row = int(np.flatnonzero(units.to_numpy() == unit)[0])
            problems.append(
                Problem(
                    f"OECD unit {unit!r} is not one this reader knows"
                    + did_you_mean(unit, list(OECD_UNITS))
                    + f" (known: {', '.join(OECD_UNITS)})",
                    ("rows", row, "Unit"),
                    name,
                    read.line(frame.index[row]),
                )
            )
    groups = frame["INEQUALITY"].astype(str) if "INEQUALITY" in frame.columns else None
    if groups is not None:
        for code in sorted(set(groups) - set(OECD_GROUPS)):
            row = int(np.flatnonzero(groups.to_numpy() == code)[0])
            problems.append(
                Problem(
                    f"INEQUALITY code {code!r} is not one this reader knows"
                    + did_you_mean(code, list(OECD_GROUPS)),
                    ("rows", row, "INEQUALITY"),
                    name,
                    read.line(frame.index[row]),
                )
            )
    time = next((c for c in ("TIME", "Time", "Year", "TIME_PERIOD") if c in frame.columns), None)
    if time is None and year is None:
        problems.append(
            Problem("no TIME, Time or Year column: pass year= for a single-year export", (), name)
        )
    problems.raise_if_any(f"{name} cannot be read as OECD.Stat data")
    aggregate = frame["LOCATION"].astype(str) == "OECD"
    rows = frame[~aggregate]
    tidy = pd.DataFrame(
        {
            "jurisdiction": rows["Country"].astype(str)
            if "Country" in rows.columns
            else rows["LOCATION"].astype(str),
            "group": groups[~aggregate].map(OECD_GROUPS) if groups is not None else "all",
            "indicator": rows["INDICATOR"].astype(str),
            "year": rows[time].astype(int) if time is not None else year,
            "value": _numbers(rows["Value"], "Value", read, problems, decimal),
        }
    )
    problems.raise_if_any(f"{name} holds values that are not numbers")
    if units is not None:
        tidy["unit"] = units[~aggregate].map(OECD_UNITS)
    tidy = tidy.reset_index(drop=True)
    _refuse_duplicates(tidy, ["jurisdiction", "group", "indicator", "year"], name)
    tidy.attrs["aggregates"] = sorted(set(frame.loc[aggregate, "LOCATION"].astype(str)))
    return tidy


# -- SDSN Sustainable Development Report -------------------------------------------------------

SDR_SHEETS = ("SDR2021 Data", "Codebook")


@dataclass(frozen=True)
class SdrData:
    """The SDR database's data sheet, tidy (``data``, with each country's ``region``), and
    what the SDSN publishes beside the values: the goals it does not score for a country
    (``not_applicable``, from the grey goal dashboards; SDG 14 for landlocked countries), and
    the indicators read as raw values whose raw values the SDSN does not publish, so that
    ``data`` holds their published normalised scores instead (``scored``). Rows of regions
    and income groups (ISO3 codes starting ``_``) are left out of ``data`` and listed in
    ``aggregates``."""

    data: pd.DataFrame
    not_applicable: dict[str, tuple[str, ...]] = field(default_factory=dict)
    edition: int = 2021
    scored: tuple[str, ...] = ()
    aggregates: tuple[str, ...] = ()


def read_sdr(
    data: Table,
    *,
    values: str = "raw",
    edition: int = 2021,
    sheet: str = SDR_SHEETS[0],
    sep: str = ",",
    decimal: str = ".",
) -> SdrData:
    """The SDR database (the workbook, its data sheet as a DataFrame, or that sheet saved as
    CSV), tidy: one row per country and indicator code (``sdg1_wpc``...), the ``values``
    being the ``"raw"`` indicator values or the SDSN's ``"normalised"`` scores (0-100), all
    in the ``edition`` year (the value columns hold the latest observation of each series).
    A workbook's ``sheet`` is read cell by cell, so an error value (``#N/A``) is refused at its
    sheet row; ``sep`` and ``decimal`` say how a CSV is written.

    Read raw, an indicator whose raw-value column is empty in every row while its normalised
    scores are published (``sdg16_safe`` in 2021: Gallup's survey, whose values the SDSN
    does not publish) is read as its published scores, named in ``scored`` and in a warning;
    :func:`sdg_index_framework` then takes those as scores (goalposts 0 and 100), so every
    goal can be computed from the published data.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     sdr = read_sdr("tests/data/sdr-2021-oecd-countries.csv")
    >>> sorted(set(sdr.data.region)), sdr.not_applicable["sdg14"][:2], sdr.scored
    (['OECD'], ('Austria', 'Czech Republic'), ('sdg16_safe',))
    >>> "no raw values published for sdg16_safe" in str(caught[0].message)
    True
    """
    if values not in ("raw", "normalised"):
        raise WellbeingBudgetError("values is 'raw' or 'normalised'")
    if not isinstance(data, pd.DataFrame) and Path(data).suffix.lower() in (".xlsx", ".xlsm"):
        read = _sheet(Path(data), sheet, "the SDR data")
    else:
        read = _table(data, "SDR data", sep=sep, decimal=decimal)
    frame, name = read.frame, read.name
    _require(frame, ("Country", "Regions used for the SDR"), name, "the SDR data sheet")
    aggregates: tuple[str, ...] = ()
    if "Country Code ISO3" in frame.columns:
        # rows of regions and income groups (codes such as _OECD, _LIC) are no countries:
        # ranked among them, or pooled into a region of their own, they would distort both
        aggregate = frame["Country Code ISO3"].astype(str).str.startswith("_")
        aggregates = tuple(sorted(frame.loc[aggregate, "Country"].astype(str)))
        frame = frame[~aggregate]
    columns = [str(c) for c in frame.columns]
    codes = [c[len("Year: ") :] for c in columns if c.startswith("Year: ")]
    if not codes:
        raise WellbeingBudgetError(f"{name} has no 'Year: <code>' columns: not the SDR data sheet")
    parts = []
    problems = Problems()
    scored: list[str] = []
    for code in codes:
        if values == "raw":
            column = columns[columns.index(f"Year: {code}") - 1]  # the value precedes its year
            score = f"Normalized Score: {code}"
            if frame[column].isna().all() and score in columns and frame[score].notna().any():
                column = score  # no raw value published: the published score stands in
                scored.append(code)
        else:
            column = f"Normalized Score: {code}"
            if column not in columns:
                continue  # an indicator outside the index (no published score)
        parts.append(
            pd.DataFrame(
                {
                    "jurisdiction": frame["Country"].astype(str),
                    "indicator": code,
                    "year": edition,
                    "value": _numbers(frame[column], column, read, problems, decimal),
                    "region": frame["Regions used for the SDR"].astype(str),
                }
            )
        )
    problems.raise_if_any(f"{name} holds values that are not numbers")
    if scored:
        warnings.warn(
            f"{name}: no raw values published for {', '.join(scored)}; their published "
            "normalised scores are read instead (SdrData.scored)",
            UserWarning,
            stacklevel=2,
        )
    tidy = pd.concat(parts, ignore_index=True).dropna(subset=["value"]).reset_index(drop=True)
    not_applicable: dict[str, tuple[str, ...]] = {}
    for goal in range(1, 18):
        dash = f"Goal {goal} Dash"
        if dash in columns:
            grey = frame.loc[frame[dash].astype(str) == "grey", "Country"].astype(str)
            if len(grey):
                not_applicable[f"sdg{goal}"] = tuple(sorted(grey))
    tidy.attrs["aggregates"] = list(aggregates)
    return SdrData(tidy, not_applicable, edition, tuple(scored), aggregates)


# Which of the four pillars each goal sits in: this library's judgement, used only when SDG
# Index results are compared with other frameworks.
SDG_PILLARS = {
    **dict.fromkeys((1, 2, 3, 4, 5, 10), "people"),
    **dict.fromkeys((6, 7, 11, 16), "society"),
    **dict.fromkeys((12, 13, 14, 15), "environment"),
    **dict.fromkeys((8, 9, 17), "public_finances"),
}

SDR_SOURCE = {
    "title": "Sustainable Development Report 2021 (SDR 2021 database, codebook)",
    "publisher": "Sustainable Development Solutions Network (SDSN)",
    "url": "https://www.sdgindex.org/reports/sustainable-development-report-2021/",
    "year": 2021,
    "note": "Sachs, Kroll, Lafortune, Fuller, Woelm (2021), Cambridge University Press; "
    "CC BY-NC-ND 4.0. The user supplies the workbook; no SDSN data ships with the library.",
}


def _link(text: str) -> dict[str, str]:
    """The codebook's download link as a source URL (spaces encoded); text that is not one
    link (several, or none) is kept as the source's note instead."""
    text = text.strip()
    if text.startswith("http") and text.count("http") == 1:
        return {"url": text.replace(" ", "%20")}
    return {"note": f"download: {text}"} if text and text != "nan" else {}


def sdg_index_framework(
    codebook: Table, sdr: SdrData | None = None, *, values: str = "raw"
) -> Framework:
    """The SDSN SDG Index method, built from the SDR database's codebook (a DataFrame, the
    sheet saved as CSV, or the workbook): an index-only framework of the 17 goals, each the
    mean of its indicators in the global index (``Global == yes``) normalised
    ``clip(100 (x - lower) / (optimum - lower), 0, 100)``; SDG 4's missing indicators filled
    with the region's mean score when the country has at least one; the index the mean of the
    17 goals, a goal not scored filled with the region's mean goal score. ``sdr`` (from
    :func:`read_sdr`) supplies the goals the SDSN does not score per country, and the
    indicators it read as published scores for want of raw values (``sdr.scored``: those
    take goalposts 0 and 100). With ``values="normalised"`` the framework takes the SDSN's
    published normalised scores for every indicator.

    >>> sdg = sdg_index_framework("tests/data/sdr-2021-codebook.csv")
    >>> sdg.kind, len(sdg.domains), len(sdg.indicators)
    ('index', 17, 92)
    """
    if values not in ("raw", "normalised"):
        raise WellbeingBudgetError("values is 'raw' or 'normalised'")
    if not isinstance(codebook, pd.DataFrame) and Path(codebook).suffix.lower() in (
        ".xlsx",
        ".xlsm",
    ):
        read = _sheet(Path(codebook), SDR_SHEETS[1], "the SDR codebook")
        table, name = read.frame, read.name
    else:
        read = _table(codebook, "SDR codebook")
        table, name = read.frame, read.name
    needed = ("IndCode", "SDG", "Global", "Indicator", "Optimum (= 100)", "Lower Bound (=0)")
    _require(table, needed, name, "the SDR codebook")
    rows = table[table["Global"].astype(str).str.strip().str.lower() == "yes"]
    as_scores = {c.lower() for c in sdr.scored} if sdr is not None and values == "raw" else set()
    indicators: list[dict[str, Any]] = []
    goalposts: dict[str, dict[str, Any]] = {}
    domains: dict[int, list[str]] = {}
    for _, row in rows.iterrows():
        code = str(row["IndCode"]).strip()
        ident = code.lower()
        optimum, lower = float(row["Optimum (= 100)"]), float(row["Lower Bound (=0)"])
        if not (np.isfinite(optimum) and np.isfinite(lower)) or optimum == lower:
            raise ValidationError(
                [
                    Problem(
                        f"{code}: optimum {optimum:g} and lower bound {lower:g} do not make a "
                        "range",
                        ("IndCode", code),
                        name,
                    )
                ]
            )
        scores = values == "normalised" or ident in as_scores
        higher = scores or optimum > lower
        url = str(row.get("Dwldlink", "") or "")
        indicators.append(
            {
                "id": ident,
                "name": str(row["Indicator"]).strip(),
                "unit": "dimensionless",
                "direction": "higher_is_better" if higher else "lower_is_better",
                "codes": [code],
                "note": "Unit as in the indicator's name."
                + (
                    " The SDSN publishes no raw values: its published normalised score is used."
                    if ident in as_scores
                    else ""
                ),
                "source": {
                    "title": str(row.get("Source", "") or "SDR 2021 codebook").strip()
                    or "SDR 2021 codebook",
                    **_link(url),
                },
            }
        )
        if scores:
            goalposts[ident] = {"min": 0.0, "max": 100.0}
        else:
            goalposts[ident] = {"min": min(optimum, lower), "max": max(optimum, lower)}
        domains.setdefault(int(row["SDG"]), []).append(ident)
    renormalise = {"missing": "renormalise"}
    data = {
        "id": "sdsn-sdg-index-2021",
        "name": "SDG Index (SDSN, Sustainable Development Report 2021)",
        "kind": "index",
        "version": "SDR 2021",
        "jurisdiction": "International (SDSN)",
        "source": SDR_SOURCE,
        "domains": [
            {
                "id": f"sdg{goal}",
                "name": f"SDG {goal}",
                "pillar": SDG_PILLARS[goal],
                "indicators": members,
            }
            for goal, members in sorted(domains.items())
        ],
        "indicators": indicators,
        "index": {
            "name": "SDG Index",
            "normalise": "goalposts",
            "scale": 100,
            "goalposts": goalposts,
            "levels": [renormalise, {"impute": "group_mean", "missing": "renormalise"}],
            "rules": {
                "sdg4": {"impute": "group_mean", "impute_min_present": 1, "missing": "renormalise"}
            },
            "not_applicable": dict(sdr.not_applicable) if sdr is not None else {},
            "source": SDR_SOURCE,
            "note": "Method as the SDR 2021 methodology describes it and its published data "
            "show it: goal = mean of its global indicators' scores (SDG 4 gaps filled with "
            "the region's mean when the country has at least one SDG 4 indicator); index = "
            "mean of the 17 goals, a goal not scored filled with the region's mean.",
        },
    }
    return Framework.model_validate(data)


# -- recognising a layout ----------------------------------------------------------------------

TIDY_EXTRA = ("iso3", "group", "unit")
"""Columns a tidy table may carry beside ``jurisdiction`` (or ``country``), ``indicator``,
``year`` and ``value``."""


def _read_tidy(data: Table, *, sep: str = ",", decimal: str = ".") -> pd.DataFrame:
    """A tidy table of indicator data (``jurisdiction`` or the publisher's ``country``, with
    ``iso3`` beside it; ``indicator``, ``year``, ``value``; optional ``group``, ``unit``),
    checked as far as it can be without a framework: every column known, values numbers,
    years whole, no observation twice. Empty values are missing observations."""
    read = _table(data, "indicator data", sep=sep, decimal=decimal)
    frame, name = read.frame, read.name
    place = "jurisdiction" if "jurisdiction" in frame.columns else "country"
    _require(frame, (place, "indicator", "year", "value"), name, "tidy indicator data")
    problems = Problems()
    known = (place, "indicator", "year", "value", *TIDY_EXTRA)
    for column in frame.columns:
        if column not in known:
            problems.append(
                Problem(
                    f"unknown column {str(column)!r}{did_you_mean(str(column), known)}",
                    ("columns",),
                    name,
                    read.header_line,
                    list(frame.columns).index(column) + 1,
                )
            )
    values = _numbers(frame["value"], "value", read, problems, decimal)
    years = _numbers(frame["year"], "year", read, problems)
    fractional = np.flatnonzero((years.notna() & (years % 1 != 0)).to_numpy())
    missing_year = np.flatnonzero(frame["year"].isna().to_numpy())
    not_whole = [*fractional, *missing_year]
    problems.count(len(not_whole) - problems.room)
    for position in not_whole[: problems.room]:
        written = frame["year"].iloc[position]
        problems.append(
            Problem(
                "year is empty"
                if written is None or written != written
                else f"year {str(written)!r} is not a whole year",
                ("rows", int(position), "year"),
                name,
                read.line(frame.index[position]),
            )
        )
    problems.raise_if_any(f"{name} is not valid indicator data")
    tidy = pd.DataFrame(
        {
            "jurisdiction": frame[place].astype(str),
            "group": frame["group"].astype(str) if "group" in frame.columns else "all",
            "indicator": frame["indicator"].astype(str),
            "year": years.astype(int),
            "value": values,
        }
    )
    if "unit" in frame.columns:  # kept, so that a framework converts each unit it names
        tidy["unit"] = frame["unit"]
    tidy = tidy[tidy["value"].notna()].reset_index(drop=True)
    _refuse_duplicates(tidy, ["jurisdiction", "group", "indicator", "year"], name, read.line)
    return tidy


@dataclass(frozen=True)
class Layout:
    """A layout of indicator data recognised from a table's header, and how to read it."""

    name: str
    """What the layout is, as messages say it (``"UNDP composite indices"``)."""
    tidy: bool
    """Whether the table is already tidy (one observation per row)."""
    read: Any = field(repr=False)
    """The reader: a path or DataFrame in (and for a CSV, ``sep=`` and ``decimal=``), tidy
    indicator data out."""
    options: dict[str, Any] = field(default_factory=dict)
    """How a file recognised by :func:`recognise_file` is read (``layout.read(path,
    **layout.options)``): its separator and decimal mark, or the sheet of a workbook."""


def recognise_layout(columns: list[str] | tuple[str, ...] | set[str]) -> Layout | None:
    """The layout of indicator data whose header holds ``columns``: a publisher's own
    (:func:`read_undp`, :func:`read_oecd`, :func:`read_sdr`) or a tidy table; ``None`` when
    the columns are none of these.

    >>> recognise_layout(["iso3", "country", "le_2021", "le_2022"]).name
    'UNDP composite indices'
    >>> recognise_layout(["jurisdiction", "indicator", "year", "value"]).name
    'tidy'
    """
    names = {str(c).strip() for c in columns}
    if {"iso3", "country"} <= names and any(UNDP_COLUMN.match(c) for c in names):
        codes = sorted({m["code"] for c in names if (m := UNDP_COLUMN.match(c))})
        return Layout(
            "UNDP composite indices", False, lambda d, **kw: read_undp(d, indicators=codes, **kw)
        )
    if {"LOCATION", "INDICATOR", "Value"} <= names:
        timed = bool({"TIME", "Time", "Year", "TIME_PERIOD"} & names)
        # a single-year export takes its year when read (year=); any year checks the rest
        return Layout(
            "OECD.Stat export", False, lambda d, **kw: read_oecd(d, year=None if timed else 0, **kw)
        )
    if {"Country", "Regions used for the SDR"} <= names:
        return Layout("SDSN SDR data sheet", False, lambda d, **kw: read_sdr(d, **kw).data)
    if {"indicator", "year", "value"} <= names and names & {"jurisdiction", "country"}:
        name = "tidy" if "jurisdiction" in names else "tidy (by country)"
        return Layout(name, True, _read_tidy)
    return None


_SEPARATORS = (",", ";", "\t")


def _header(path: Path, sep: str) -> list[str]:
    """The first row of a CSV that is not blank, split by ``sep`` (UTF-8, else Latin-1)."""
    with path.open("rb") as handle:
        raw = handle.read(1 << 20)  # a header longer than a megabyte is no header
    if len(raw) == 1 << 20 and b"\n" in raw:
        raw = raw[: raw.rfind(b"\n") + 1]  # whole lines only: no character cut in two
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=sep):
            if any(cell.strip() for cell in record):
                return [cell.strip() for cell in record]
    except csv.Error:
        pass
    return []


def _workbook_layout(path: Path) -> Layout | None:
    openpyxl = require_openpyxl()
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # not a workbook at all: the proposals reader says why, located
        return None
    try:
        for sheet in book.worksheets:
            first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
            layout = recognise_layout([str(c) for c in first if c is not None])
            if layout is not None and layout.name == "SDSN SDR data sheet":
                title = str(sheet.title)
                year = re.search(r"(19|20)\d\d", title)
                edition = int(year[0]) if year else 2021
                return Layout(
                    layout.name,
                    False,
                    lambda d, **kw: read_sdr(d, **kw).data,
                    {"sheet": title, "edition": edition},
                )
    finally:
        book.close()
    return None


def recognise_file(
    path: str | os.PathLike[str], *, sep: str | None = None, decimal: str = "."
) -> Layout | None:
    """The layout of the indicator data in a file, with how to read it (``options``):

    * a CSV: its first row that is not blank, split by ``sep`` or, when none is given, by
      the separator that makes it a known header (``,``, ``;`` or tab; ``;`` tried first with
      ``decimal=","``). The decimal mark is ``decimal``, except that a file found separated
      by commas has decimal points (a comma cannot be both);
    * a workbook (``.xlsx``, ``.xlsm``): the SDSN SDR database, recognised by its data sheet
      (whatever the sheet is called), the edition taken from the sheet's name.

    ``None`` when the file holds none of the layouts :func:`recognise_layout` knows (or
    cannot be opened: its reader then says why).

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "undp.csv"
    >>> _ = path.write_text("iso3;country;le_2022\\nNZL;New Zealand;82,5\\n")
    >>> layout = recognise_file(path, decimal=",")
    >>> layout.name, layout.options
    ('UNDP composite indices', {'sep': ';', 'decimal': ','})
    >>> layout.read(path, **layout.options).value.tolist()
    [82.5]
    """
    path = Path(path)
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return _workbook_layout(path)
        if sep is not None:
            candidates: tuple[str, ...] = (sep,)
        elif decimal == ",":
            candidates = (";", ",", "\t")
        else:
            candidates = _SEPARATORS
        for candidate in candidates:
            layout = recognise_layout(_header(path, candidate))
            if layout is not None:
                mark = "." if candidate == "," and sep is None else decimal
                return replace(layout, options={"sep": candidate, "decimal": mark})
    except OSError:
        return None  # the reader that follows reports it, with the file's name
    return None
