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

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

__all__ = ["discount_factors", "discounted_sums", "generation_sums", "profile_matrix"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Cells (impacts x years) computed at a time: the intermediate arrays stay in cache and the
#: memory used is the same for a 100-year horizon as for a 1,000-year one.
CELLS = 1 << 17
#: Years are computed in blocks of this many: an impact's profile is summed up to the end of
#: the block in which it has faded out, a range that depends on the impact alone.
YEAR_BLOCK = 32
_TINY = float(np.finfo(np.float64).tiny)


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
    # A decayed level below the smallest normal float is 0: it adds nothing a float can
    # hold to any sum, and powers in the subnormal range are many times slower.
    steps = _fading_steps(persistence)[:, None]
    decaying = np.where(
        after > steps, 0.0, reached * np.power(persistence[:, None], np.minimum(after, steps))
    )
    level = np.where(k < whole, active, decaying)
    return np.where(k < 0, 0.0, level)


def _fading_steps(persistence: FloatArray) -> FloatArray:
    """Years after its end during which each impact's decayed level stays a normal float."""
    with np.errstate(divide="ignore"):
        logs = np.log(persistence)
    safe = np.where(logs < 0, logs, -1.0)
    steps = np.floor(math.log(_TINY) / safe)
    return np.where(persistence > 0, steps, 0.0)


def _active_years(
    start: IntArray, duration: FloatArray, persistence: FloatArray, years: int
) -> IntArray:
    """Per impact, the years worth computing: up to the end of the block of years in which
    its level is last non-zero (never beyond ``years``)."""
    last = start + np.ceil(duration) + _fading_steps(persistence)
    blocks = np.ceil(np.minimum(last, float(years)) / YEAR_BLOCK) * YEAR_BLOCK
    needed: IntArray = np.minimum(blocks, years).astype(np.int64)
    return needed


def discount_factors(rates: FloatArray) -> FloatArray:
    """The discount factor of each year, given the yearly rate of each year (year 0's rate is
    never used: the base year's factor is 1)."""
    years = len(rates)
    factors = np.ones(years, dtype=np.float64)
    if years > 1:
        factors[1:] = np.cumprod(1.0 / (1.0 + rates[1:]))
    return factors


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
    ((current, future),) = discounted_sums(
        start, ramp, duration, persistence, [factors], current_years
    )
    return current, future


def discounted_sums(
    start: IntArray,
    ramp: FloatArray,
    duration: FloatArray,
    persistence: FloatArray,
    schedules: Sequence[FloatArray],
    current_years: int,
) -> list[tuple[FloatArray, FloatArray]]:
    """:func:`generation_sums` under several discount schedules of the same length, each
    profile computed once.

    Impacts are grouped by the years they need (a 1,000-year horizon costs an impact that
    fades in 40 years no more than a 100-year one) and computed a bounded number of cells at
    a time. Each impact is summed over a range of years that depends on it alone, so its
    figures never depend on which other impacts are scored with it.
    """
    n = len(start)
    years = len(schedules[0]) if schedules else 0
    out = [(np.zeros(n, dtype=np.float64), np.zeros(n, dtype=np.float64)) for _ in schedules]
    if n == 0 or years == 0:
        return out
    needed = _active_years(start, duration, persistence, years)
    for width in np.unique(needed):
        rows = np.flatnonzero(needed == width)
        split = min(current_years, int(width))
        step = max(1, CELLS // int(width))
        for lo in range(0, len(rows), step):
            part = rows[lo : lo + step]
            levels = profile_matrix(
                start[part], ramp[part], duration[part], persistence[part], int(width)
            )
            # An explicit row sum, not a BLAS product: each impact's sum then never depends
            # on which other impacts share its block, so reordering proposals changes no
            # figure.
            for (current, future), factors in zip(out, schedules, strict=True):
                current[part] = (levels[:, :split] * factors[:split]).sum(axis=1)
                if width > split:
                    future[part] = (levels[:, split:] * factors[split:width]).sum(axis=1)
    return out
