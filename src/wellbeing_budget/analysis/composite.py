"""Composite indices of indicator levels over jurisdictions and years: the tidy data in, the
framework's method (or the one asked for) applied by the array kernels of
:mod:`wellbeing_budget.engine.indices`, a labelled table out."""

from __future__ import annotations

import os
import warnings
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..engine.indices import aggregate, constant_columns, normalise
from ..errors import Problem, ValidationError, WellbeingBudgetError, did_you_mean
from ..model.framework import AggregateMethod, NormaliseMethod
from .monitoring import tidy_indicator_data

if TYPE_CHECKING:
    from ..model.framework import Framework

__all__ = ["compute_index"]

Array = NDArray[np.float64]


# -- the index ---------------------------------------------------------------------------------


def compute_index(
    framework: Framework,
    data: pd.DataFrame | str | os.PathLike[str],
    *,
    normalise_with: NormaliseMethod | None = None,
    aggregate_indicators: AggregateMethod | None = None,
    aggregate_domains: AggregateMethod | None = None,
    missing: str | None = None,
    group: str | None = None,
) -> pd.DataFrame:
    """The framework's composite index for each jurisdiction and year in ``data``.

    Uses the framework's declared method (``framework.index``), or equal-weight min-max and
    arithmetic means when it declares none; each keyword overrides one step. Returns a tidy
    table with a row per jurisdiction, year and element: ``level`` is ``index``, ``domain``
    or ``indicator``; ``value`` is the raw indicator value, ``score`` the normalised value or
    the aggregate, and ``rank`` the rank among jurisdictions that year (1 = best; ties share
    the best rank).

    Data are refused, every case listed, where two rows observe the same jurisdiction,
    indicator, year and group; where a value lies outside a log goalpost's domain (zero or
    less); and where rows break an indicator down by group with no ``all`` total among them,
    unless ``group=`` names the group to index. A constant indicator (every jurisdiction equal
    in a year) gives no relative score: it is missing, with a warning.
    """
    spec = framework.index_spec
    method = normalise_with or (spec.normalise if spec else "minmax")
    within = aggregate_indicators or (spec.aggregate_indicators if spec else "arithmetic")
    across = aggregate_domains or (spec.aggregate_domains if spec else "arithmetic")
    rule = missing or (spec.missing if spec else "refuse")
    if rule not in ("refuse", "renormalise", "drop"):
        raise WellbeingBudgetError("missing is 'refuse', 'renormalise' or 'drop'")

    domains = [d for d in framework.domains if d.indicators]
    refs = [(d, ref) for d in domains for ref in d.indicators]
    ids = [ref.id for _, ref in refs]
    by_id = {i.id: i for i in framework.indicators}
    tidy = tidy_indicator_data(framework, data, unknown="ignore")
    if tidy.empty:
        raise WellbeingBudgetError(f"no data for the indicators of {framework.id!r}")
    tidy = _one_group(tidy, group)
    units = sorted(tidy["jurisdiction"].unique())
    years = sorted(tidy["year"].unique())
    u = tidy["jurisdiction"].map({k: n for n, k in enumerate(units)}).to_numpy()
    t = tidy["year"].map({k: n for n, k in enumerate(years)}).to_numpy()
    i = tidy["indicator"].map({k: n for n, k in enumerate(ids)}).to_numpy()
    raw = np.full((len(units), len(years), len(ids)), np.nan)
    raw[u, t, i] = tidy["value"].to_numpy(dtype=np.float64)

    has_any = ~np.isnan(raw).all(axis=2)
    gaps = np.isnan(raw) & has_any[:, :, None]
    dropped: list[tuple[str, int]] = []
    if gaps.any():
        if rule == "refuse":
            problems = [
                Problem(f"no value of {ids[c]!r} for {units[a]} in {years[b]}", ("data",))
                for a, b, c in zip(*np.nonzero(gaps), strict=True)
            ]
            raise ValidationError(
                problems[:50],
                summary=f"{len(problems)} values missing for the index (missing='refuse'; "
                "use 'renormalise' or 'drop')",
            )
        if rule == "drop":
            incomplete = gaps.any(axis=2)
            dropped = [
                (units[a], int(years[b])) for a, b in zip(*np.nonzero(incomplete), strict=True)
            ]
            raw[incomplete] = np.nan
            has_any &= ~incomplete

    higher = np.array([by_id[x].direction.kind != "lower_is_better" for x in ids])
    posts = None
    if method == "goalposts":
        if spec is None or not spec.goalposts:
            raise WellbeingBudgetError(f"{framework.id!r} declares no goalposts")
        posts = (
            np.array([spec.goalposts[x].min for x in ids]),
            np.array([spec.goalposts[x].max for x in ids]),
            np.array([spec.goalposts[x].log for x in ids]),
        )
    targets = np.array(
        [by_id[x].target_value if by_id[x].target_value is not None else np.nan for x in ids]
    )
    if posts is not None and posts[2].any():
        _refuse_outside_log_domain(raw, posts[2], units, years, ids)
    if method in ("minmax", "zscore", "rank"):
        flat = constant_columns(raw) & (np.sum(~np.isnan(raw), axis=0) > 0)
        for b, c in zip(*np.nonzero(flat), strict=True):
            warnings.warn(
                f"{ids[c]} is the same for every jurisdiction in {years[b]}: a {method} "
                "normalisation gives it no score (missing)",
                UserWarning,
                stacklevel=3,
            )
    scores = normalise(raw, method, higher, goalposts=posts, targets=targets)

    domain_scores = np.full((len(units), len(years), len(domains)), np.nan)
    for k, domain in enumerate(domains):
        members = [n for n, (d, _) in enumerate(refs) if d is domain]
        weights = np.array([refs[n][1].weight for n in members])
        domain_scores[:, :, k] = aggregate(scores[:, :, members], weights, within)
    index = aggregate(domain_scores, np.array([d.weight for d in domains]), across)
    index[~has_any] = np.nan

    frames = [
        _long(units, years, "index", [spec.name if spec else framework.id], index[:, :, None]),
        _long(units, years, "domain", [d.id for d in domains], domain_scores),
        _long(units, years, "indicator", ids, scores, raw),
    ]
    result = pd.concat(frames, ignore_index=True)
    result = result[result["score"].notna() | result["value"].notna()].reset_index(drop=True)
    result["rank"] = (
        result.groupby(["level", "id", "year"])["score"]
        .rank(ascending=False, method="min")
        .astype("Int64")
    )
    result.attrs.update(
        framework=framework.id, normalise=method, aggregate_indicators=within,
        aggregate_domains=across, missing=rule, dropped=dropped,
    )  # fmt: skip
    return result


def _one_group(tidy: pd.DataFrame, group: str | None) -> pd.DataFrame:
    """The rows of one population group: ``group`` if given, else the ``all`` totals. Rows
    broken down by group with no total among them would overwrite each other in the index:
    they are refused unless ``group`` says which group to index."""
    groups = set(tidy["group"])
    if group is not None:
        if group not in groups:
            raise WellbeingBudgetError(
                f"no rows of group {group!r} in the data" + did_you_mean(group, sorted(groups))
            )
        return tidy[tidy["group"] == group]
    if groups == {"all"}:
        return tidy
    series = tidy.groupby(["jurisdiction", "indicator", "year"])["group"]
    lacking = series.agg(lambda g: "all" not in set(g))
    if lacking.any():
        (jurisdiction, indicator, year) = lacking[lacking].index[0]
        raise WellbeingBudgetError(
            f"{int(lacking.sum())} observations are broken down by group with no 'all' total "
            f"(first: {jurisdiction}, {indicator}, {year}; groups "
            f"{', '.join(sorted(groups - {'all'}))}): pass group= to say which group to index"
        )
    return tidy[tidy["group"] == "all"]


def _refuse_outside_log_domain(
    raw: Array, log: NDArray[np.bool_], units: list[str], years: list[int], ids: list[str]
) -> None:
    bad = (raw <= 0) & log[None, None, :]
    if not bad.any():
        return
    problems = [
        Problem(
            f"{ids[c]} of {units[a]} in {years[b]} is {raw[a, b, c]:g}: a log goalpost needs a "
            "value above zero",
            ("data",),
        )
        for a, b, c in zip(*np.nonzero(bad), strict=True)
    ]
    raise ValidationError(
        problems[:50], summary=f"{len(problems)} values outside the domain of a log goalpost"
    )


def _long(
    units: list[str], years: list[int], level: str, ids: list[str], scores: Array,
    raw: Array | None = None,
) -> pd.DataFrame:  # fmt: skip
    n_u, n_t, n_i = scores.shape
    return pd.DataFrame(
        {
            "jurisdiction": np.repeat(units, n_t * n_i),
            "year": np.tile(np.repeat(np.asarray(years, dtype=np.int64), n_i), n_u),
            "level": level,
            "id": np.tile(ids, n_u * n_t),
            "value": raw.reshape(-1) if raw is not None else np.nan,
            "score": scores.reshape(-1),
        }
    )
