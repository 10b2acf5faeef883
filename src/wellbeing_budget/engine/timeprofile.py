"""Time profiles of impacts and discount schedules, as numpy arrays over years.

Year ``t = 0`` is the base year. An impact that starts ``s`` years after the base year, ramps
up over ``r`` years and lasts ``d`` years in all (ramp-up included) has, in year ``t`` with
``k = t - s`` years since its start:

* ``level(k) = min(1, (k + 1) / r) * min(1, d - k)`` while ``k < ceil(d)`` (linear ramp-up; a
  fraction of a year at the end counts as that fraction), and
* ``level(k) = L * p ** (k - ceil(d) + 1)`` afterwards, where ``L = min(1, ceil(d) / r)`` is
  the level reached and ``p`` the persistence (0: the effect stops at the end).

A discount schedule gives each year a factor: 1 for the base year, and for year ``t`` the
product of ``1 / (1 + rate(y))`` over years ``y = 1 .. t``, where ``rate(y)`` is the rate of the
band year ``y`` falls in.

>>> import numpy as np
>>> profile_matrix(np.array([0]), np.array([0.0]), np.array([3.0]), np.array([0.5]), 6)
array([[1.   , 1.   , 1.   , 0.5  , 0.25 , 0.125]])
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray

__all__ = ["discount_factors", "generation_sums", "profile_matrix"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Impacts processed at a time: keeps the intermediate arrays in cache and memory bounded.
CHUNK = 8192


def profile_matrix(
    start: IntArray, ramp: FloatArray, duration: FloatArray, persistence: FloatArray, years: int
) -> FloatArray:
    """The level of each impact (rows) in each year ``0 .. years - 1`` (columns)."""
    k = np.arange(years, dtype=np.float64)[None, :] - start[:, None]
    whole = np.ceil(duration)[:, None]
    safe_ramp = np.where(ramp > 0, ramp, 1.0)[:, None]
    has_ramp = (ramp > 0)[:, None]
    rising = np.where(has_ramp, np.minimum(1.0, (k + 1.0) / safe_ramp), 1.0)
    active = rising * np.minimum(1.0, duration[:, None] - k)
    reached = np.where(has_ramp, np.minimum(1.0, whole / safe_ramp), 1.0)
    after = np.maximum(k - whole + 1.0, 0.0)
    decaying = reached * np.power(persistence[:, None], after)
    level = np.where(k < whole, active, decaying)
    return np.where(k < 0, 0.0, level)


def discount_factors(rates: FloatArray) -> FloatArray:
    """The discount factor of each year, given the yearly rate of each year (year 0's rate is
    never used: the base year's factor is 1)."""
    years = len(rates)
    factors = np.ones(years, dtype=np.float64)
    if years > 1:
        factors[1:] = np.cumprod(1.0 / (1.0 + rates[1:]))
    return factors


def _chunks(n: int) -> Iterator[slice]:
    for lo in range(0, n, CHUNK):
        yield slice(lo, min(lo + CHUNK, n))


def generation_sums(
    start: IntArray,
    ramp: FloatArray,
    duration: FloatArray,
    persistence: FloatArray,
    factors: FloatArray,
    current_years: int,
) -> tuple[FloatArray, FloatArray]:
    """Discounted profile sums of each impact: years before ``current_years`` (the current
    generation) and the rest up to ``len(factors)`` (future generations)."""
    n = len(start)
    current = np.empty(n, dtype=np.float64)
    future = np.empty(n, dtype=np.float64)
    years = len(factors)
    now, later = factors[:current_years], factors[current_years:]
    for part in _chunks(n):
        levels = profile_matrix(start[part], ramp[part], duration[part], persistence[part], years)
        # An explicit row sum, not a BLAS product: each impact's sum then never depends on
        # which other impacts share its block, so reordering proposals changes no figure.
        current[part] = (levels[:, :current_years] * now).sum(axis=1)
        future[part] = (levels[:, current_years:] * later).sum(axis=1)
    return current, future
