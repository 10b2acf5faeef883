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
"""

from __future__ import annotations

import os
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import Problem, ValidationError, WellbeingBudgetError, did_you_mean
from ..model.framework import Framework
from .tables import require_openpyxl
from .validation import Problems

__all__ = [
    "OECD_GROUPS",
    "OECD_UNITS",
    "Layout",
    "SdrData",
    "read_oecd",
    "read_sdr",
    "read_undp",
    "recognise_layout",
    "sdg_index_framework",
]

Table = pd.DataFrame | str | os.PathLike[str]


def _table(data: Table, what: str) -> tuple[pd.DataFrame, str]:
    """A DataFrame as given, or a CSV read as UTF-8 (with or without a byte-order mark) and
    otherwise Latin-1, the two encodings publishers' files come in."""
    if isinstance(data, pd.DataFrame):
        return data, f"<{what}>"
    path = Path(data)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise WellbeingBudgetError(
            f"{path}: a workbook; read its sheet with read_sdr(path) or pandas.read_excel first"
        )
    for encoding in ("utf-8-sig", "latin-1"):
        try:
            # Only an empty cell is missing: '#N/A', 'NA' or 'n/a' stay text, and a value
            # column holding them is refused rather than read as a silent blank.
            frame = pd.read_csv(
                path, encoding=encoding, low_memory=False, keep_default_na=False, na_values=[""]
            )
            return frame, str(path)
        except UnicodeDecodeError:
            continue
        except (OSError, ValueError) as exc:
            raise ValidationError([Problem(f"cannot read {what}: {exc}", (), str(path))]) from None
    raise ValidationError([Problem(f"cannot decode {what}", (), str(path))])  # pragma: no cover


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


def _numbers(values: pd.Series, column: str, name: str, problems: Problems) -> pd.Series:
    """A column as numbers; every cell that holds text other than a number (a decimal comma,
    '#N/A') is a located problem, never a silent blank (listed up to the collector's cap,
    counted beyond it). Lines count from the header (line 1)."""
    numbers = pd.to_numeric(values, errors="coerce")
    bad = np.flatnonzero(values.notna().to_numpy() & numbers.isna().to_numpy())
    problems.count(len(bad) - problems.room)
    for position in bad[: problems.room]:
        label = values.index[position]
        line = int(label) + 2 if isinstance(label, int | np.integer) else None
        problems.append(
            Problem(
                f"{values.iloc[position]!r} is not a number"
                + (
                    f"; a decimal comma? write {str(values.iloc[position]).replace(',', '.')!r}"
                    if "," in str(values.iloc[position])
                    else ""
                ),
                ("rows", int(position), column),
                name,
                line,
            )
        )
    return numbers


def _refuse_duplicates(tidy: pd.DataFrame, keys: list[str], name: str) -> None:
    """The same observation twice would overwrite (or double) itself downstream: refused,
    listing each repeat."""
    repeated = tidy.duplicated(subset=keys, keep=False)
    if repeated.any():
        observations = tidy.loc[repeated, keys].drop_duplicates()
        shown = observations.head(20)
        raise ValidationError(
            [
                Problem(
                    "observation given more than once: " + ", ".join(f"{k}={row[k]}" for k in keys),
                    (),
                    name,
                )
                for _, row in shown.iterrows()
            ],
            summary=f"{name} repeats observations",
            more=len(observations) - len(shown),
        )


def _sheet(path: str | os.PathLike[str], sheet: str, what: str) -> pd.DataFrame:
    """A workbook's sheet; a workbook without it is refused naming the sheets it has, and
    one that cannot be opened as a workbook by what went wrong."""
    require_openpyxl()  # pandas reads workbooks with it: say how to get it
    try:
        with pd.ExcelFile(path) as book:
            names = [str(n) for n in book.sheet_names]
            if sheet not in names:
                raise WellbeingBudgetError(
                    f"{path}: no sheet {sheet!r} for {what} (sheets: {', '.join(names)})"
                    + did_you_mean(sheet, names)
                )
            return pd.read_excel(book, sheet_name=sheet)
    except WellbeingBudgetError:
        raise
    except OSError as exc:
        raise ValidationError([Problem(f"cannot read {what}: {exc}", (), str(path))]) from None
    except (ValueError, zipfile.BadZipFile, KeyError):  # pandas: "specify an engine manually"
        raise ValidationError(
            [Problem(f"cannot read {what}: not an Excel workbook (.xlsx)", (), str(path))]
        ) from None


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
) -> pd.DataFrame:
    """UNDP's composite indices time series, tidy: one row per country, indicator code
    (``le``, ``eys``, ``mys``, ``gnipc``, ``hdi``, ``hdi_rank``...) and year with a value.

    Aggregate rows (ISO3 codes starting ``ZZ``: regions, development groups, the world) are
    left out and listed in ``attrs["aggregates"]``.

    >>> import pandas as pd
    >>> wide = pd.DataFrame({"iso3": ["NZL", "ZZK.WORLD"], "country": ["New Zealand", "World"],
    ...                      "le_2022": [82.5, 72.0], "hdi_rank_2022": [16, None]})
    >>> read_undp(wide, indicators=["le", "hdi_rank"]).values.tolist()
    [['New Zealand', 'le', 2022, 82.5], ['New Zealand', 'hdi_rank', 2022, 16.0]]
    """
    frame, name = _table(data, "UNDP composite indices")
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
        values = _numbers(countries[column], str(column), name, problems)
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


def read_oecd(data: Table, *, year: int | None = None) -> pd.DataFrame:
    """An OECD.Stat (SDMX) CSV export, tidy: ``jurisdiction`` (the country name), ``group``
    (from ``INEQUALITY``), ``indicator`` (the ``INDICATOR`` code), ``year`` (from a
    ``TIME``/``Time``/``Year`` column, else ``year=``), ``value`` and ``unit``. Rows of the
    OECD aggregate (``LOCATION`` ``OECD``) are left out and listed in ``attrs["aggregates"]``.

    >>> import pandas as pd
    >>> export = pd.DataFrame({"LOCATION": ["NZL"], "Country": ["New Zealand"],
    ...     "INDICATOR": ["HS_LEB"], "INEQUALITY": ["TOT"], "Unit": ["Years"], "Value": [81.4]})
    >>> read_oecd(export, year=2015).to_dict("records")[0]["unit"]
    'year'
    """
    frame, name = _table(data, "OECD.Stat export")
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
            "value": _numbers(rows["Value"], "Value", name, problems),
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
    data: Table, *, values: str = "raw", edition: int = 2021, sheet: str = SDR_SHEETS[0]
) -> SdrData:
    """The SDR database (the workbook, its data sheet as a DataFrame, or that sheet saved as
    CSV), tidy: one row per country and indicator code (``sdg1_wpc``...), the ``values``
    being the ``"raw"`` indicator values or the SDSN's ``"normalised"`` scores (0-100), all
    in the ``edition`` year (the value columns hold the latest observation of each series).

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
        frame, name = _sheet(data, sheet, "the SDR data"), str(data)
    else:
        frame, name = _table(data, "SDR data")
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
                    "value": _numbers(frame[column], column, name, problems),
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
        table, name = _sheet(codebook, SDR_SHEETS[1], "the SDR codebook"), str(codebook)
    else:
        table, name = _table(codebook, "SDR codebook")
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


def _read_tidy(data: Table) -> pd.DataFrame:
    """A tidy table of indicator data (``jurisdiction`` or the publisher's ``country``, with
    ``iso3`` beside it; ``indicator``, ``year``, ``value``; optional ``group``, ``unit``),
    checked as far as it can be without a framework: every column known, values numbers,
    years whole, no observation twice. Empty values are missing observations."""
    frame, name = _table(data, "indicator data")
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
                    1,
                    list(frame.columns).index(column) + 1,
                )
            )
    values = _numbers(frame["value"], "value", name, problems)
    years = _numbers(frame["year"], "year", name, problems)
    fractional = np.flatnonzero((years.notna() & (years % 1 != 0)).to_numpy())
    problems.count(len(fractional) - problems.room)
    missing_year = np.flatnonzero(frame["year"].isna().to_numpy())
    for position in [*fractional, *missing_year][: problems.room]:
        problems.append(
            Problem(
                f"year {str(frame['year'].iloc[position])!r} is not a whole year",
                ("rows", int(position), "year"),
                name,
                int(position) + 2,
            )
        )
    problems.count(len(missing_year) - problems.room)
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
    tidy = tidy[tidy["value"].notna()].reset_index(drop=True)
    _refuse_duplicates(tidy, ["jurisdiction", "group", "indicator", "year"], name)
    return tidy


@dataclass(frozen=True)
class Layout:
    """A layout of indicator data recognised from a table's header, and how to read it."""

    name: str
    """What the layout is, as messages say it (``"UNDP composite indices"``)."""
    tidy: bool
    """Whether the table is already tidy (one observation per row)."""
    read: Any = field(repr=False)
    """The reader: a path or DataFrame in, tidy indicator data out."""


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
        return Layout("UNDP composite indices", False, lambda d: read_undp(d, indicators=codes))
    if {"LOCATION", "INDICATOR", "Value"} <= names:
        timed = bool({"TIME", "Time", "Year", "TIME_PERIOD"} & names)
        # a single-year export takes its year when read (year=); any year checks the rest
        return Layout("OECD.Stat export", False, lambda d: read_oecd(d, year=None if timed else 0))
    if {"Country", "Regions used for the SDR"} <= names:
        return Layout("SDSN SDR data sheet", False, lambda d: read_sdr(d).data)
    if {"indicator", "year", "value"} <= names and names & {"jurisdiction", "country"}:
        name = "tidy" if "jurisdiction" in names else "tidy (by country)"
        return Layout(name, True, _read_tidy)
    return None
