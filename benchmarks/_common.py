"""Shared pieces of the benchmarks: generated inputs, medians, fresh-process measurements.

Every figure a benchmark prints is the median of at least five runs, and every target is a
ratio to a baseline measured in the same run, on the same machine, under the same load: the
machine is shared, so absolute seconds move from run to run while the ratios hold.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

import wellbeing_budget as wb
from wellbeing_budget.units import is_share_unit

SEED = 20190530  # the day of the 2019 Wellbeing Budget
IMPACTS_PER_PROPOSAL = 5
MIN_RUNS = 5


def generate(
    n_proposals: int, framework: wb.Framework, *, impacts: int = IMPACTS_PER_PROPOSAL
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Deterministic impacts and costs tables that score under ``framework``: every group is
    one the framework declares, people never exceed the smallest group, ramp-ups fit inside
    their durations."""
    rng = np.random.default_rng(SEED)
    indicators = [i for i in framework.indicators if i.direction.kind != "target"]
    units = [("percentage_point" if is_share_unit(i.unit) else i.unit) for i in indicators]
    n = n_proposals * impacts
    pick = rng.integers(0, len(indicators), n)
    proposal = np.repeat(np.arange(n_proposals), impacts)
    first = np.arange(n) % impacts == 0
    agencies = [f"Ministry {k}" for k in range(20)]
    groups = list(framework.group_ids)
    sizes = [framework.group_population(g) for g in groups]
    smallest = min(int(s[0]) for s in sizes if s is not None)
    ramp = rng.integers(0, 5, n)
    ids = np.array([f"p{i:06d}" for i in range(n_proposals)], dtype=object)
    impacts_table = pd.DataFrame(
        {
            "proposal": ids[proposal],
            "title": np.where(first, np.array([f"Proposal {i}" for i in proposal]), None),
            "lead_agency": np.where(first, np.array([agencies[i % 20] for i in proposal]), None),
            "indicator": np.array([i.id for i in indicators], dtype=object)[pick],
            "change": [
                f"{v:.4g} {units[k]}" for v, k in zip(rng.normal(0, 1, n), pick, strict=True)
            ],
            "people": np.where(rng.random(n) < 0.5, rng.integers(100, smallest, n), None),
            "group": rng.choice(groups, n),
            "start": framework.price_year + rng.integers(0, 10, n),
            "ramp_up": [f"{v} years" for v in ramp],
            "duration": [f"{v} years" for v in ramp + rng.integers(1, 60, n)],
            "persistence": np.round(rng.uniform(0, 0.9, n), 3),
            "evidence": rng.choice(["high", "medium", "low"], n),
        }
    )
    years = framework.price_year + rng.integers(0, 5, n_proposals * 2)
    costs = pd.DataFrame(
        {
            "proposal": ids[np.repeat(np.arange(n_proposals), 2)],
            "year": years,
            "amount": [f"{v:.4g} million NZD" for v in rng.uniform(1, 500, n_proposals * 2)],
        }
    )
    return impacts_table, costs


def median_time(fn: Callable[[], Any], runs: int = MIN_RUNS) -> tuple[float, Any]:
    """The median wall time of ``runs`` calls (at least five), after a collection, with the
    last result."""
    runs = max(runs, MIN_RUNS)
    times, result = [], None
    for _ in range(runs):
        result = None
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def fresh(code: str, runs: int = MIN_RUNS, env: dict[str, str] | None = None) -> dict[str, float]:
    """Run ``code`` in fresh interpreters; its last stdout line is a JSON object of figures.
    Returns the median of each figure over the runs."""
    figures: dict[str, list[float]] = {}
    for _ in range(max(runs, MIN_RUNS)):
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, **(env or {})},
        )
        for key, value in json.loads(out.stdout.strip().splitlines()[-1]).items():
            figures.setdefault(key, []).append(float(value))
    return {key: statistics.median(values) for key, values in figures.items()}


def wall(argv: list[str], runs: int = MIN_RUNS) -> float:
    """Median wall time of running a command in a fresh process."""
    times = []
    for _ in range(max(runs, MIN_RUNS)):
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def load_note() -> str:
    """The machine's load while the figures were taken (they are ratios for this reason)."""
    one, five, _ = os.getloadavg()
    cores = os.cpu_count() or 1
    busy = " (under load: other work shares the machine)" if one > 0.5 * cores else ""
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {cores} cores{busy}"


def row(label: str, value: float, unit: str = "s", target: str = "") -> str:
    """One printed line: label, figure, target."""
    figure = f"{value:9.3f} {unit}" if unit else f"{value:9.2f}  "
    return f"  {label:<58} {figure:<14} {target}"
