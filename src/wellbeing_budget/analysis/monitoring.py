"""Where indicators stand: latest value, trend and distance to target (the LSF Dashboard's job).

Given indicator data as a tidy table (``jurisdiction``, ``indicator``, ``year``, ``value``, and
optionally ``group`` and ``unit``), :func:`indicator_status` gives one row per jurisdiction,
group and indicator:

* the latest value and its year;
* the **trend** over a window of years ending at the latest year: the least-squares slope
  times the window, measured in the indicator's standard effects (its scale). Below
  ``tolerance`` standard effects it is ``maintaining``; otherwise ``improving`` or
  ``worsening`` by the indicator's direction (for a target: towards it or away from it);
  ``unknown`` with fewer than two observations in the window;
* the distance to target, where the indicator has one.

>>> import pandas as pd, wellbeing_budget as wb
>>> data = pd.DataFrame({"jurisdiction": "NZ", "indicator": "undp.life-expectancy",
...                      "year": [2010, 2015, 2020], "value": [80.0, 81.0, 82.0]})
>>> wb.load_framework("undp-hdi").status(data).frame.loc[0, "trend"]
'improving'
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import Problem, UnitError, ValidationError, did_you_mean
from ..io.files import write_text_atomic
from ..io.readers import read_located_csv
from ..io.validation import Problems
from ..units import conversion_factor, is_percentage_point, is_share_unit

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..model.framework import Framework

__all__ = ["IndicatorStatus", "indicator_status", "tidy_indicator_data"]

REQUIRED = ("jurisdiction", "indicator", "year", "value")
OPTIONAL = ("group", "unit")


@dataclass(frozen=True, eq=False)
class IndicatorStatus:
    """The status table, with the series behind it for sparklines and small multiples."""

    frame: pd.DataFrame
    series: dict[tuple[str, str], list[tuple[int, float]]] = field(repr=False)
    framework_id: str = ""

    def _repr_html_(self) -> str:
        from ..views.html import status_html

        values = {key: [v for _, v in points] for key, points in self.series.items()}
        return status_html(self.frame, values)

    def to_html(self, path: str | os.PathLike[str] | None = None) -> str:
        """A self-contained HTML page of the status table; written atomically if ``path``."""
        from ..views.report import CSS

        body = (
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>Indicator status — {self.framework_id}</title><style>{CSS}</style>"
            f"</head><body><h1>Indicator status — {self.framework_id}</h1>"
            f"{self._repr_html_()}</body></html>\n"
        )
        if path is not None:
            write_text_atomic(path, body)
        return body

    def plot(self, columns: int = 4) -> Figure:
        """Small multiples: one panel per indicator, a line per jurisdiction."""
        import matplotlib.pyplot as plt

        from ..views.plots import plain_text  # names and places drawn as written, never as math

        indicators = list(dict.fromkeys(self.frame["indicator"]))
        rows = max(1, -(-len(indicators) // columns))
        fig, axes = plt.subplots(
            rows, columns, figsize=(3.2 * columns, 2.4 * rows), squeeze=False, layout="constrained"
        )
        names = dict(zip(self.frame["indicator"], self.frame["indicator_name"], strict=False))
        units = dict(zip(self.frame["indicator"], self.frame["unit"], strict=False))
        for ax, indicator in zip(axes.flat, indicators, strict=False):
            for (jurisdiction, key), points in self.series.items():
                if key == indicator and points:
                    years, values = zip(*points, strict=True)
                    ax.plot(years, values, linewidth=1.2, label=plain_text(str(jurisdiction)))
            ax.set_title(plain_text(str(names[indicator])[:40]), fontsize=9)
            ax.set_ylabel(plain_text(str(units[indicator])), fontsize=8)
            ax.tick_params(labelsize=7)
        for ax in list(axes.flat)[len(indicators) :]:
            ax.set_visible(False)
        axes.flat[0].legend(fontsize=7, frameon=False)
        return fig


def _read(data: Any) -> tuple[pd.DataFrame, str, np.ndarray[Any, Any] | None]:
    """The table, the name its problems are reported under and each row's physical line.
    A DataFrame read from a file and filtered first (by ``index --year``) carries the file's
    name in ``attrs["source"]`` and its lines in ``attrs["lines"]``, and keeps the file's row
    positions as its index; any other DataFrame is ``<indicator data>``, without lines."""
    if isinstance(data, pd.DataFrame):
        return data, str(data.attrs.get("source", "<indicator data>")), data.attrs.get("lines")
    frame, lines = read_located_csv(data)
    return frame, str(Path(data)), lines


def tidy_indicator_data(
    framework: Framework,
    data: pd.DataFrame | str | os.PathLike[str],
    *,
    unknown: str = "error",
) -> pd.DataFrame:
    """Check indicator data against a framework and return it tidy, in indicators' units:
    columns ``jurisdiction``, ``group``, ``indicator``, ``year``, ``value``.

    Every problem is reported at once, by row and column. Values given in another unit (a
    ``unit`` column) are converted once per unit.
    """
    if unknown not in ("error", "ignore"):
        raise ValueError("unknown is 'error' or 'ignore'")
    frame, name, lines = _read(data)
    problems: list[Problem] = []
    missing = [c for c in REQUIRED if c not in frame.columns]
    for column in missing:
        problems.append(Problem(f"missing column {column!r}", ("columns",), name))
    for column in frame.columns:
        if column not in REQUIRED + OPTIONAL:
            hint = did_you_mean(str(column), REQUIRED + OPTIONAL)
            problems.append(Problem(f"unknown column {column!r}{hint}", ("columns",), name))
    if problems:
        raise ValidationError(problems, summary=f"{name} is not indicator data")

    by_id = {i.id: i for i in framework.indicators}
    # rows are reported as the file's: a file's rows kept by a filter (one year's, say) keep
    # their labels, so row and line stay those of the file; an in-memory table's positions
    at = frame.index.to_numpy() if not name.startswith("<") else np.arange(len(frame))
    values = pd.to_numeric(frame["value"], errors="coerce")
    years = pd.to_numeric(frame["year"], errors="coerce")
    for bad in np.flatnonzero(values.isna().to_numpy() & frame["value"].notna().to_numpy()):
        problems.append(
            Problem(
                f"value {str(frame['value'].iloc[bad])!r} is not a number"
                + (
                    f"; a decimal comma? write {str(frame['value'].iloc[bad]).replace(',', '.')!r}"
                    if "," in str(frame["value"].iloc[bad])
                    else ""
                ),
                ("rows", int(at[bad]), "value"),
                name,
                line=_line(lines, int(at[bad])),
            )
        )
    for bad in np.flatnonzero(years.isna().to_numpy() | (years % 1 != 0).to_numpy()):
        problems.append(
            Problem(
                f"year {str(frame['year'].iloc[bad])!r} is not a whole year",
                ("rows", int(at[bad]), "year"),
                name,
                line=_line(lines, int(at[bad])),
            )
        )
    # Data may name indicators by the publisher's codes (OECD.Stat, UNDP columns).
    codes = {code: i.id for i in framework.indicators for code in i.codes}
    indicators = frame["indicator"].astype(str)
    if codes:
        indicators = indicators.map(codes).fillna(indicators)
    strange = sorted(set(indicators) - set(by_id))
    if strange and unknown == "error":
        for indicator in strange:
            row = int(at[np.flatnonzero(indicators.to_numpy() == indicator)[0]])
            problems.append(
                Problem(
                    f"framework {framework.id!r} has no indicator {indicator!r}"
                    + did_you_mean(indicator, list(by_id)),
                    ("rows", row, "indicator"),
                    name,
                    line=_line(lines, row),
                )
            )
    # Units: convert each distinct unit of each indicator once.
    factor = np.ones(len(frame))
    if "unit" in frame.columns:
        # A blank unit cell means the indicator's own unit (a publisher's "Ratio", say).
        unit_text = frame["unit"].astype(str).str.strip()
        given = (frame["unit"].notna() & (unit_text != "")).to_numpy()
        groups: dict[Any, Any] = frame[given].groupby([indicators[given], unit_text[given]]).indices
        for key, positions in groups.items():
            rows = np.flatnonzero(given)[positions]
            indicator_id, unit = str(key[0]), str(key[1])
            if indicator_id not in by_id:
                continue
            wanted = by_id[indicator_id].unit
            try:
                if is_percentage_point(unit) and is_share_unit(wanted):
                    factor[rows] = conversion_factor("percent", wanted)
                else:
                    factor[rows] = conversion_factor(unit, wanted)
            except UnitError as exc:
                first = int(at[rows[0]])
                problems.append(
                    Problem(str(exc), ("rows", first, "unit"), name, line=_line(lines, first))
                )
    if problems:
        raise ValidationError(problems, summary=f"{name} is not valid indicator data")

    tidy = pd.DataFrame(
        {
            "jurisdiction": frame["jurisdiction"].astype(str),
            "group": frame["group"].astype(str) if "group" in frame.columns else "all",
            "indicator": indicators,
            "year": years.astype(int),
            "value": values * factor,
        }
    )
    keep = (tidy["indicator"].isin(by_id) & tidy["value"].notna()).to_numpy()
    _refuse_duplicates(tidy[keep], at[np.flatnonzero(keep)], name, lines)
    return tidy[keep].reset_index(drop=True)


KEY = ["jurisdiction", "indicator", "year", "group"]


def _line(lines: np.ndarray[Any, Any] | None, row: int) -> int | None:
    """The physical line of a data row in its file; none for an in-memory table."""
    return None if lines is None else int(lines[row])


def _refuse_duplicates(
    tidy: pd.DataFrame, rows: np.ndarray[Any, Any], name: str, lines: np.ndarray[Any, Any] | None
) -> None:
    """Two observations of the same jurisdiction, indicator, year and group would overwrite
    each other (or be averaged, or counted twice): refuse them all, listed by row."""
    doubled = tidy.duplicated(KEY, keep=False).to_numpy()
    if not doubled.any():
        return
    problems = Problems()
    groups: Any = tidy[doubled].groupby(KEY, sort=True).indices
    positions_of = np.flatnonzero(doubled)
    for key, positions in groups.items():
        if not problems.room:
            problems.count(1)  # counted, not located: a file of repeats reports in bounded time
            continue
        jurisdiction, indicator, year, group = key
        at = [int(rows[positions_of[p]]) for p in positions]
        what = f"{jurisdiction}, {indicator}, {year}" + (
            f", group {group}" if group != "all" else ""
        )
        problems.append(
            Problem(
                f"{len(at)} observations of ({what}): rows {', '.join(map(str, at))}; "
                "keep one (or give each a distinct group)",
                ("rows", at[0]),
                name,
                line=_line(lines, at[0]),
            )
        )
    problems.raise_if_any(f"{name}: {len(problems):,} duplicated observations")


def indicator_status(
    framework: Framework,
    data: pd.DataFrame | str | os.PathLike[str],
    *,
    window: int = 10,
    tolerance: float = 0.1,
    unknown: str = "error",
) -> IndicatorStatus:
    """The status of each indicator of ``framework`` found in ``data`` (see the module doc).

    Args:
        window: years of the trend window, ending at the latest year of each series.
        tolerance: a change smaller than this many standard effects over the window counts
            as ``maintaining``.
        unknown: ``"error"`` (default) refuses indicators the framework lacks, listing them;
            ``"ignore"`` leaves them out.
    """
    tidy = tidy_indicator_data(framework, data, unknown=unknown)
    by_id = {i.id: i for i in framework.indicators}
    domain_of = {ref.id: d for d in framework.domains for ref in d.indicators}
    order = {ref.id: n for n, ref in enumerate(r for d in framework.domains for r in d.indicators)}
    records = []
    series: dict[tuple[str, str], list[tuple[int, float]]] = {}
    parts: Any = tidy.groupby(["jurisdiction", "group", "indicator"], sort=True)
    for (jurisdiction, group, indicator), part in parts:
        part = part.sort_values("year")
        ind = by_id[indicator]
        yrs = part["year"].to_numpy(dtype=float)
        vals = part["value"].to_numpy(dtype=float)
        latest_year = int(yrs[-1])
        latest = float(vals[-1])
        if group == "all":
            series[(str(jurisdiction), str(indicator))] = list(
                zip(yrs.astype(int).tolist(), vals.tolist(), strict=True)
            )
        inside = yrs >= latest_year - window
        slope = float("nan")
        trend = "unknown"
        if inside.sum() >= 2 and np.ptp(yrs[inside]) > 0:
            slope = float(np.polyfit(yrs[inside], vals[inside], 1)[0])
            standardised = slope * window / ind.scale_value
            target = ind.target_value
            if abs(standardised) < tolerance:
                trend = "maintaining"
            elif ind.direction.kind == "target" and target is not None:
                trend = "improving" if slope * (target - latest) > 0 else "worsening"
            else:
                sign = 1 if ind.direction.kind == "higher_is_better" else -1
                trend = "improving" if sign * slope > 0 else "worsening"
        target_value = ind.target_value
        domain = domain_of.get(indicator)
        records.append(
            {
                "jurisdiction": jurisdiction,
                "group": group,
                "indicator": indicator,
                "indicator_name": ind.name,
                "domain": domain.id if domain else None,
                "pillar": domain.pillar.value if domain else None,
                "unit": ind.unit,
                "direction": ind.direction.kind,
                "latest_year": latest_year,
                "latest_value": latest,
                "first_year": int(yrs[0]),
                "n_years": len(yrs),
                "slope_per_year": slope,
                "standard_effects_over_window": slope * window / ind.scale_value,
                "trend": trend,
                "target": target_value if target_value is not None else np.nan,
                "distance_to_target": (target_value - latest)
                if target_value is not None
                else np.nan,
                "_order": order.get(indicator, 0),
            }
        )
    result = pd.DataFrame(records)
    if len(result):
        result = result.sort_values(["_order", "jurisdiction", "group"], kind="stable")
        result = result.drop(columns="_order").reset_index(drop=True)
        if (result["group"] == "all").all():
            result = result.drop(columns="group")
    return IndicatorStatus(result, series, framework.id)
