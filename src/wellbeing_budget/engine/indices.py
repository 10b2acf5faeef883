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

__all__ = ["aggregate", "average_ranks", "constant_columns", "normalise"]

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
