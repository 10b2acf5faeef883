"""Composite indices of indicator levels, the way COINr builds them: normalise each indicator,
aggregate indicators into domains and domains into the index, with the framework's weights.

Everything runs on arrays of jurisdictions x years x indicators. A framework may declare its
published method (``index:`` in its YAML); :func:`compute_index` uses it unless told otherwise,
so ``load_framework("undp-hdi").index(data)`` computes the Human Development Index.
This module holds the array kernels; :mod:`wellbeing_budget.analysis.composite` reads the
data and labels the result.

Normalisations (higher is always better after them; ``lower_is_better`` indicators are turned
round):

* ``minmax``: ``(x - min) / (max - min)`` across the jurisdictions of each year (a constant
  indicator gives no score, not 0.5);
* ``goalposts``: the same with fixed goalposts from the index spec, optionally on logarithms,
  clipped to 0..1;
* ``zscore``: ``(x - mean) / sd`` across jurisdictions of each year;
* ``rank``: ``(rank - 1) / (n - 1)`` across jurisdictions of each year, tied values sharing
  their average rank (so the result never depends on the order of the rows);
* ``distance_to_target``: progress from the worst observed value to the indicator's target,
  clipped to 0..1.

Aggregations: weighted ``arithmetic``, ``geometric`` and ``harmonic`` means (the geometric and
harmonic means need positive values). Missing values: ``refuse`` (an error listing them),
``renormalise`` (weights of the values present are scaled up) or ``drop`` (the jurisdiction
and year are left out, and listed in the result's ``attrs["dropped"]``).
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from ..errors import WellbeingBudgetError

if TYPE_CHECKING:
    from ..model.framework import AggregateMethod, NormaliseMethod

__all__ = [
    "aggregate",
    "average_ranks",
    "constant_columns",
    "impute",
    "interpolate_years",
    "kurtosis",
    "last_value",
    "min_ranks",
    "normalise",
    "skew",
    "winsorise",
]

Array = NDArray[np.float64]


# -- normalisation: arrays (units, years, indicators) ------------------------------------------


def average_ranks(values: Array) -> Array:
    """Ranks along the first axis (1 = smallest), ties sharing the mean of the ranks they
    span, missing values left missing: the ranking published indices use, and one that does
    not depend on the order of the rows.

    >>> average_ranks(np.array([3.0, 1.0, 3.0, np.nan])).tolist()
    [2.5, 1.0, 2.5, nan]
    """
    x = np.asarray(values, dtype=np.float64)
    flat = x.reshape(x.shape[0], -1)
    out = np.full(flat.shape, np.nan)
    for col in range(flat.shape[1]):
        column = flat[:, col]
        present = np.flatnonzero(~np.isnan(column))
        if not len(present):
            continue
        _, inverse, counts = np.unique(column[present], return_inverse=True, return_counts=True)
        ends = np.cumsum(counts)
        mean_rank = ends - (counts - 1) / 2.0
        out[present, col] = mean_rank[inverse.reshape(-1)]
    return out.reshape(x.shape)


def min_ranks(values: Array) -> Array:
    """Ranks along the first axis (1 = smallest), ties sharing the lowest rank they span.

    >>> min_ranks(np.array([3.0, 1.0, 3.0, 2.0])).tolist()
    [3.0, 1.0, 3.0, 2.0]
    """
    x = np.asarray(values, dtype=np.float64)
    flat = x.reshape(x.shape[0], -1)
    out = np.full(flat.shape, np.nan)
    for col in range(flat.shape[1]):
        column = flat[:, col]
        present = np.flatnonzero(~np.isnan(column))
        if len(present):
            _, inverse, counts = np.unique(column[present], return_inverse=True, return_counts=True)
            starts = np.cumsum(counts) - counts + 1
            out[present, col] = starts[inverse.reshape(-1)]
    return out.reshape(x.shape)


def constant_columns(values: Array) -> NDArray[np.bool_]:
    """Where (per year and indicator) every present value is the same, so a relative
    normalisation has nothing to tell apart."""
    x = np.asarray(values, dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        span = np.nanmax(x, axis=0) - np.nanmin(x, axis=0)
    result: NDArray[np.bool_] = span == 0
    return result


def normalise(
    values: Array,
    method: NormaliseMethod,
    higher_is_better: NDArray[np.bool_],
    *,
    goalposts: tuple[Array, Array, NDArray[np.bool_]] | None = None,
    targets: Array | None = None,
    reference: int | None = None,
) -> Array:
    """Normalise ``values`` (units x years x indicators) so that higher is better.

    Statistics (min, max, mean, rank) are taken across units, for each year and indicator;
    ``reference`` is the unit (row) ``distance_to_reference`` measures against.

    >>> x = np.array([[[0.0]], [[5.0]], [[11.0]]])
    >>> normalise(x, "distance_to_target_uncapped", np.array([True]),
    ...           targets=np.array([10.0]))[:, 0, 0].tolist()
    [0.0, 0.5, 1.1]
    """
    x = np.asarray(values, dtype=np.float64)
    with warnings.catch_warnings():
        # An indicator with no data in a year gives all-NaN slices: they stay missing.
        warnings.simplefilter("ignore", RuntimeWarning)
        scaled = _normalise(x, method, higher_is_better, goalposts, targets, reference)
    return np.where(np.isnan(x), np.nan, scaled)


def _normalise(
    x: Array,
    method: NormaliseMethod,
    higher_is_better: NDArray[np.bool_],
    goalposts: tuple[Array, Array, NDArray[np.bool_]] | None,
    targets: Array | None,
    reference: int | None = None,
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
            # A constant indicator separates no one: it gives no score, never a made-up 0.5.
            scaled = np.where(span > 0, (x - low) / np.where(span > 0, span, 1.0), np.nan)
            return np.where(higher_is_better, scaled, 1.0 - scaled)
        if method == "zscore":
            mean = np.nanmean(x, axis=0, keepdims=True)
            sd = np.nanstd(x, axis=0, ddof=1, keepdims=True)
            return np.where(sd > 0, (x - mean) / np.where(sd > 0, sd, 1.0), np.nan) * sign
        if method == "rank":
            ranks = average_ranks(x * sign)
            counts = np.sum(~np.isnan(x), axis=0, keepdims=True)
            scaled = np.where(counts > 1, (ranks - 1.0) / np.maximum(counts - 1, 1), np.nan)
            return np.where(np.isnan(x), np.nan, scaled)
        if method in ("percentile", "borda"):
            # COINr's n_prank and n_borda: ties share the lowest of their ranks
            ranks = min_ranks(x * sign)
            if method == "borda":
                return ranks - 1.0
            counts = np.sum(~np.isnan(x), axis=0, keepdims=True)
            return np.where(counts > 1, (ranks - 1.0) / np.maximum(counts - 1, 1), np.nan)
        if method in ("distance_to_target", "distance_to_target_uncapped"):
            if targets is None or np.isnan(targets).any():
                raise WellbeingBudgetError(f"{method} needs a target for every indicator")
            worst = np.where(
                higher_is_better,
                np.nanmin(x, axis=0, keepdims=True),
                np.nanmax(x, axis=0, keepdims=True),
            )
            span = targets - worst
            progress = np.where(span != 0, (x - worst) / np.where(span != 0, span, 1.0), 1.0)
            if method == "distance_to_target_uncapped":
                return progress
            return np.clip(progress, 0.0, 1.0)
        if method == "distance_to_reference":
            # COINr's n_dist2ref: 1 - (x_ref - x) / (x_ref - x_worst), uncapped above
            if reference is None:
                raise WellbeingBudgetError("distance_to_reference needs a reference jurisdiction")
            oriented = x * sign
            ref = oriented[reference : reference + 1]
            worst = np.nanmin(oriented, axis=0, keepdims=True)
            span = ref - worst
            return np.where(span != 0, 1.0 - (ref - oriented) / np.where(span != 0, span, 1.0),
                            np.nan)  # fmt: skip
        if method == "fraction_of_max":
            if not higher_is_better.all():
                raise WellbeingBudgetError(
                    "fraction_of_max is defined for higher-is-better indicators only"
                )
            high = np.nanmax(x, axis=0, keepdims=True)
            return np.where(high != 0, x / np.where(high != 0, high, 1.0), np.nan)
    raise WellbeingBudgetError(f"unknown normalisation {method!r}")


def aggregate(
    values: Array, weights: Array, method: AggregateMethod, power: float | None = None
) -> Array:
    """Weighted mean over the last axis, ignoring missing values (their weight is left out).

    ``weights`` has the length of the last axis; a result is missing where every value is.
    ``power`` is the exponent of a generalised mean (``method="power"``; -1 is harmonic, 1
    arithmetic). A geometric or harmonic mean (or a power mean with ``power <= 0``) over a
    zero or negative value is refused: callers locate it or declare an offset.

    >>> x = np.array([[0.25, 1.0], [0.5, np.nan]])
    >>> aggregate(x, np.array([1.0, 1.0]), "geometric").round(3).tolist()
    [0.5, 0.5]
    """
    x = np.asarray(values, dtype=np.float64)
    present = ~np.isnan(x)
    w = np.where(present, weights, 0.0)
    total = w.sum(axis=-1)
    if method == "power":
        if power is None:
            raise WellbeingBudgetError("a power mean needs its power")
        if power == 0:
            method = "geometric"
        elif power == 1:
            method = "arithmetic"
    needs_positive = method in ("geometric", "harmonic") or (
        method == "power" and power is not None and power < 0
    )
    if needs_positive and (x[present & (w > 0)] <= 0).any():
        raise WellbeingBudgetError(
            f"a {method} mean needs values above zero (declare an offset to shift them)"
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "arithmetic":
            result = (np.where(present, x, 0.0) * w).sum(-1) / total
        elif method == "geometric":
            logs = np.log(np.where(present & (x > 0), x, 1.0))
            result = np.exp((logs * w).sum(-1) / total)
        elif method == "harmonic":
            result = total / (np.where(present, w / np.where(present, x, 1.0), 0.0)).sum(-1)
        elif method == "power":
            assert power is not None
            powered = np.where(present, np.abs(x) ** power * np.sign(x), 0.0)
            result = ((powered * w).sum(-1) / total) ** (1.0 / power)
        else:
            raise WellbeingBudgetError(f"unknown aggregation {method!r}")
    return np.where(total > 0, result, np.nan)


# -- data treatment ----------------------------------------------------------------------------


def _centred(x: Array, least: int) -> tuple[int, Array, float] | None:
    """The present values' count, deviations from their mean and sum of squared deviations;
    None below ``least`` values (too few for the moment)."""
    v = x[~np.isnan(x)]
    if len(v) < least:
        return None
    d = v - v.mean()
    return len(v), d, float((d**2).sum())


def skew(x: Array) -> float:
    """Sample skewness as COINr (and e1071, type 2) computes it; NaN below 3 values."""
    centred = _centred(x, 3)
    if centred is None:
        return float("nan")
    n, d, m2 = centred
    if m2 == 0:
        return 0.0
    y = np.sqrt(n) * float((d**3).sum()) / m2**1.5
    return float(y * np.sqrt(n * (n - 1)) / (n - 2))


def kurtosis(x: Array) -> float:
    """Sample excess kurtosis as COINr (and e1071, type 2) computes it; NaN below 4 values."""
    centred = _centred(x, 4)
    if centred is None:
        return float("nan")
    n, d, m2 = centred
    if m2 == 0:
        return 0.0
    r = n * float((d**4).sum()) / m2**2
    return float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


def winsorise(
    x: Array, *, winmax: int = 5, skew_limit: float = 2.0, kurtosis_limit: float = 3.5
) -> tuple[Array, NDArray[np.bool_], bool]:
    """COINr's winsorisation of one indicator: while ``|skew| >= skew_limit`` and
    ``kurtosis >= kurtosis_limit``, set the most extreme value (the highest if skew is
    positive) to the next one, at most ``winmax`` points. Returns the treated values, which
    points changed, and whether the result passes.

    >>> x, changed, ok = winsorise(np.array([*range(1, 11), 100.0]))
    >>> x[-1], int(changed.sum()), ok
    (np.float64(10.0), 1, True)
    """
    y = np.array(x, dtype=np.float64)
    changed = np.zeros(len(y), dtype=bool)

    def passes(v: Array) -> bool:
        sk, kt = skew(v), kurtosis(v)
        if np.isnan(sk) or np.isnan(kt):
            return True
        return bool(abs(sk) < skew_limit or kt < kurtosis_limit)

    ok = passes(y)
    while not ok and changed.sum() < winmax:
        present = ~np.isnan(y)
        if skew(y) >= 0:
            top = np.nanmax(y)
            at = present & (y == top)
            rest = y[present & ~at]
            if not len(rest):
                break
            y[at] = rest.max()
        else:
            low = np.nanmin(y)
            at = present & (y == low)
            rest = y[present & ~at]
            if not len(rest):
                break
            y[at] = rest.min()
        changed |= at
        ok = passes(y)
    return y, changed, ok


def impute(values: Array, method: str, groups: NDArray[np.int64] | None = None) -> Array:
    """Fill missing values (units x ...) with the mean or median across units of each
    column, or within each unit's group (``group_mean``, ``group_median``; a unit with no
    group, -1, is left missing).

    >>> impute(np.array([[1.0], [np.nan], [3.0]]), "mean")[:, 0].tolist()
    [1.0, 2.0, 3.0]
    """
    x = np.asarray(values, dtype=np.float64)
    if method == "none":
        return x
    stat = np.nanmedian if method.endswith("median") else np.nanmean
    out = x.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if method in ("mean", "median"):
            fill = stat(x, axis=0, keepdims=True)
            return np.where(np.isnan(x), np.broadcast_to(fill, x.shape), x)
        if groups is None:
            raise WellbeingBudgetError(f"{method} imputation needs regions (groups)")
        for g in np.unique(groups[groups >= 0]):
            rows = groups == g
            fill = stat(x[rows], axis=0, keepdims=True)
            out[rows] = np.where(np.isnan(x[rows]), np.broadcast_to(fill, x[rows].shape), x[rows])
    return out


def last_value(
    values: Array, years: Array | list[int], window: int
) -> tuple[Array, NDArray[np.int64]]:
    """Fill each gap of ``values`` (units x years x columns) with the same unit's and
    column's latest earlier observation at most ``window`` years older (an earlier fill is
    never carried on). Returns the filled array and, per cell, the position of the year its
    value came from (its own where observed, -1 where still missing).

    >>> x = np.array([[[1.0], [np.nan], [np.nan]]])
    >>> filled, source = last_value(x, [2018, 2019, 2021], window=2)
    >>> filled[0, :, 0].tolist(), source[0, :, 0].tolist()
    ([1.0, 1.0, nan], [0, 0, -1])
    """
    x = np.asarray(values, dtype=np.float64)
    t = np.asarray(years, dtype=np.int64)
    seen = ~np.isnan(x)
    source = np.where(seen, np.arange(x.shape[1])[None, :, None], -1)
    out = x.copy()
    for b in range(x.shape[1]):
        for earlier in range(b - 1, -1, -1):
            if t[b] - t[earlier] > window:
                break
            take = (source[:, b, :] < 0) & seen[:, earlier, :]
            out[:, b, :] = np.where(take, x[:, earlier, :], out[:, b, :])
            source[:, b, :] = np.where(take, earlier, source[:, b, :])
    return out, source


def interpolate_years(values: Array, years: Array | list[int]) -> Array:
    """Fill each gap of ``values`` (units x years x columns) lying between two observed years
    of the same unit and column on the straight line between them, by year number; nothing
    before the first or after the last observation is invented.

    >>> x = np.array([[[1.0], [np.nan], [4.0], [np.nan]]])
    >>> interpolate_years(x, [2018, 2019, 2021, 2022])[0, :, 0].tolist()
    [1.0, 2.0, 4.0, nan]
    """
    x = np.asarray(values, dtype=np.float64)
    t = np.asarray(years, dtype=np.float64)
    out = x.copy()
    for a in range(x.shape[0]):
        for c in range(x.shape[2]):
            series = x[a, :, c]
            seen = ~np.isnan(series)
            if seen.sum() < 2:
                continue
            inside = (t > t[seen].min()) & (t < t[seen].max()) & ~seen
            if inside.any():
                out[a, inside, c] = np.interp(t[inside], t[seen], series[seen])
    return out
