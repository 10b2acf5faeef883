"""Composite indices of indicator levels, the way COINr builds them: normalise each indicator,
aggregate indicators into domains and domains into the index, with the framework's weights.

Everything runs on arrays of jurisdictions x years x indicators. A framework may declare its
published method (``index:`` in its YAML); :func:`compute_index` uses it unless told otherwise,
so ``load_framework("undp-hdi").index(data)`` computes the Human Development Index.

Normalisations (higher is always better after them; ``lower_is_better`` indicators are turned
round):

* ``minmax``: ``(x - min) / (max - min)`` across the jurisdictions of each year;
* ``goalposts``: the same with fixed goalposts from the index spec, optionally on logarithms,
  clipped to 0..1;
* ``zscore``: ``(x - mean) / sd`` across jurisdictions of each year;
* ``rank``: ``(rank - 1) / (n - 1)`` across jurisdictions of each year;
* ``distance_to_target``: progress from the worst observed value to the indicator's target,
  clipped to 0..1.

Aggregations: weighted ``arithmetic``, ``geometric`` and ``harmonic`` means (the geometric and
harmonic means need positive values). Missing values: ``refuse`` (an error listing them),
``renormalise`` (weights of the values present are scaled up) or ``drop`` (the jurisdiction
and year are left out, and listed in the result's ``attrs["dropped"]``).
"""

from __future__ import annotations

import os
import warnings
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from .errors import Problem, ValidationError, WellbeingBudgetError
from .framework import AggregateMethod, NormaliseMethod
from .monitoring import tidy_indicator_data

if TYPE_CHECKING:
    from .framework import Framework

__all__ = ["aggregate", "compute_index", "normalise"]

Array = NDArray[np.float64]


# -- normalisation: arrays (units, years, indicators) ------------------------------------------


def normalise(
    values: Array,
    method: NormaliseMethod,
    higher_is_better: NDArray[np.bool_],
    *,
    goalposts: tuple[Array, Array, NDArray[np.bool_]] | None = None,
    targets: Array | None = None,
) -> Array:
    """Normalise ``values`` (units x years x indicators) so that higher is better.

    Statistics (min, max, mean, rank) are taken across units, for each year and indicator.
    """
    x = np.asarray(values, dtype=np.float64)
    with warnings.catch_warnings():
        # An indicator with no data in a year gives all-NaN slices: they stay missing.
        warnings.simplefilter("ignore", RuntimeWarning)
        scaled = _normalise(x, method, higher_is_better, goalposts, targets)
    return np.where(np.isnan(x), np.nan, scaled)


def _normalise(
    x: Array,
    method: NormaliseMethod,
    higher_is_better: NDArray[np.bool_],
    goalposts: tuple[Array, Array, NDArray[np.bool_]] | None,
    targets: Array | None,
) -> Array:
    sign = np.where(higher_is_better, 1.0, -1.0)
    with np.errstate(invalid="ignore", divide="ignore", all="ignore"):
        if method == "goalposts":
            if goalposts is None:
                raise WellbeingBudgetError("goalpost normalisation needs goalposts")
            low, high, log = goalposts
            xt = np.where(log, np.log(np.where(x > 0, x, np.nan)), x)
            lo = np.where(log, np.log(low), low)
            hi = np.where(log, np.log(high), high)
            scaled = (xt - lo) / (hi - lo)
            scaled = np.where(higher_is_better, scaled, 1.0 - scaled)
            clipped: Array = np.clip(scaled, 0.0, 1.0)
            return clipped
        if method == "minmax":
            low = np.nanmin(x, axis=0, keepdims=True)
            high = np.nanmax(x, axis=0, keepdims=True)
            span = high - low
            scaled = np.where(span > 0, (x - low) / np.where(span > 0, span, 1.0), 0.5)
            return np.where(higher_is_better, scaled, 1.0 - scaled)
        if method == "zscore":
            mean = np.nanmean(x, axis=0, keepdims=True)
            sd = np.nanstd(x, axis=0, ddof=1, keepdims=True)
            return np.where(sd > 0, (x - mean) / np.where(sd > 0, sd, 1.0), 0.0) * sign
        if method == "rank":
            oriented = x * sign
            order = np.argsort(np.argsort(np.where(np.isnan(oriented), np.inf, oriented), axis=0),
                               axis=0).astype(np.float64)  # fmt: skip
            counts = np.sum(~np.isnan(x), axis=0, keepdims=True)
            scaled = np.where(counts > 1, order / np.maximum(counts - 1, 1), 0.5)
            return np.where(np.isnan(x), np.nan, scaled)
        if method == "distance_to_target":
            if targets is None or np.isnan(targets).any():
                raise WellbeingBudgetError("distance_to_target needs a target for every indicator")
            worst = np.where(
                higher_is_better,
                np.nanmin(x, axis=0, keepdims=True),
                np.nanmax(x, axis=0, keepdims=True),
            )
            span = targets - worst
            progress = np.where(span != 0, (x - worst) / np.where(span != 0, span, 1.0), 1.0)
            return np.clip(progress, 0.0, 1.0)
    raise WellbeingBudgetError(f"unknown normalisation {method!r}")


def aggregate(values: Array, weights: Array, method: AggregateMethod) -> Array:
    """Weighted mean over the last axis, ignoring missing values (their weight is left out).

    ``weights`` has the length of the last axis; a result is missing where every value is.

    >>> x = np.array([[0.25, 1.0], [0.5, np.nan]])
    >>> aggregate(x, np.array([1.0, 1.0]), "geometric").round(3).tolist()
    [0.5, 0.5]
    """
    x = np.asarray(values, dtype=np.float64)
    present = ~np.isnan(x)
    w = np.where(present, weights, 0.0)
    total = w.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "arithmetic":
            result = (np.where(present, x, 0.0) * w).sum(-1) / total
        elif method == "geometric":
            if (x[present] < 0).any():
                raise WellbeingBudgetError("a geometric mean needs values of zero or more")
            logs = np.log(np.where(present, np.where(x > 0, x, 1.0), 1.0))
            zero = (present & (x == 0) & (w > 0)).any(axis=-1)
            result = np.where(zero, 0.0, np.exp((logs * w).sum(-1) / total))
        elif method == "harmonic":
            if (x[present] <= 0).any():
                raise WellbeingBudgetError("a harmonic mean needs positive values")
            result = total / (np.where(present, w / np.where(present, x, 1.0), 0.0)).sum(-1)
        else:
            raise WellbeingBudgetError(f"unknown aggregation {method!r}")
    return np.where(total > 0, result, np.nan)


# -- the index ---------------------------------------------------------------------------------


def compute_index(
    framework: Framework,
    data: pd.DataFrame | str | os.PathLike[str],
    *,
    normalise_with: NormaliseMethod | None = None,
    aggregate_indicators: AggregateMethod | None = None,
    aggregate_domains: AggregateMethod | None = None,
    missing: str | None = None,
) -> pd.DataFrame:
    """The framework's composite index for each jurisdiction and year in ``data``.

    Uses the framework's declared method (``framework.index``), or equal-weight min-max and
    arithmetic means when it declares none; each keyword overrides one step. Returns a tidy
    table with a row per jurisdiction, year and element: ``level`` is ``index``, ``domain``
    or ``indicator``; ``value`` is the raw indicator value, ``score`` the normalised value or
    the aggregate, and ``rank`` the rank among jurisdictions that year (1 = best).
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
    tidy = tidy[tidy["group"] == "all"] if "all" in set(tidy["group"]) else tidy
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
