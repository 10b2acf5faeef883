"""Benchmark: score 10,000 generated proposals with 5 impacts each under nz-lsf-2021.

Prints load and validation time (from a DataFrame and from YAML), compile time, engine time,
peak memory, and two ratios measured in the same run:

* engine time over a hand-written numpy kernel doing the same arithmetic on the same arrays;
* our YAML load and validation over a bare ``yaml.load(..., Loader=yaml.CSafeLoader)``.

Targets on a 2-core machine: DataFrame load < 2 s, engine < 0.2 s, engine ratio < 2,
YAML ratio < 1.5, peak memory < 1 GiB. Figures are printed, never asserted: timing belongs here,
not in the tests.

    python benchmarks/scoring.py [--proposals 10000] [--repeat 3] [--skip-bare-yaml]
"""

from __future__ import annotations

import argparse
import gc
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

import wellbeing_budget as wb
from wellbeing_budget.engine.compile import compile_budget
from wellbeing_budget.engine.scoring import run_engine
from wellbeing_budget.engine.timeprofile import discount_factors
from wellbeing_budget.io.yamlio import dump_yaml
from wellbeing_budget.units import is_share_unit

SEED = 20190530  # the day of the 2019 Wellbeing Budget


def generate(n_proposals: int, framework: wb.Framework) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Deterministic impacts and costs tables."""
    rng = np.random.default_rng(SEED)
    indicators = [i for i in framework.indicators if i.direction.kind != "target"]
    units = [("percentage_point" if is_share_unit(i.unit) else i.unit) for i in indicators]
    n = n_proposals * 5
    pick = rng.integers(0, len(indicators), n)
    proposal = np.repeat(np.arange(n_proposals), 5)
    first = np.arange(n) % 5 == 0
    agencies = [f"Ministry {k}" for k in range(20)]
    impacts = pd.DataFrame(
        {
            "proposal": [f"p{i:05d}" for i in proposal],
            "title": np.where(first, [f"Proposal {i}" for i in proposal], None),
            "lead_agency": np.where(first, [agencies[i % 20] for i in proposal], None),
            "indicator": [indicators[k].id for k in pick],
            "change": [
                f"{v:.4g} {units[k]}" for v, k in zip(rng.normal(0, 1, n), pick, strict=True)
            ],
            "people": np.where(rng.random(n) < 0.5, rng.integers(100, 100_000, n), None),
            "group": rng.choice(["all", "children", "maori", "pacific", "young_people"], n),
            "start": framework.price_year + rng.integers(0, 10, n),
            "ramp_up": [f"{v} years" for v in rng.integers(0, 5, n)],
            "duration": [f"{v} years" for v in rng.integers(1, 60, n)],
            "persistence": np.round(rng.uniform(0, 0.9, n), 3),
            "evidence": rng.choice(["high", "medium", "low"], n),
        }
    )
    years = framework.price_year + rng.integers(0, 5, n_proposals * 2)
    costs = pd.DataFrame(
        {
            "proposal": [f"p{i:05d}" for i in np.repeat(np.arange(n_proposals), 2)],
            "year": years,
            "amount": [f"{v:.4g} million NZD" for v in rng.uniform(1, 500, n_proposals * 2)],
        }
    )
    return impacts, costs


def to_yaml(bids: wb.ProposalSet) -> str:
    data = {"proposals": [b.model_dump(mode="json", exclude_defaults=True) for b in bids]}
    return dump_yaml(data)


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def hand_kernel(c: Any) -> tuple[np.ndarray, np.ndarray]:
    """The same arithmetic as the engine, written out directly on the compiled arrays."""
    horizon, split = c.assessment_years, c.current_years
    w = discount_factors(c.wellbeing_rates)
    k = np.arange(horizon, dtype=np.float64)[None, :] - c.impact_start[:, None]
    d = c.impact_duration[:, None]
    whole = np.ceil(d)
    r = c.impact_ramp[:, None]
    rising = np.where(r > 0, np.minimum(1.0, (k + 1.0) / np.where(r > 0, r, 1.0)), 1.0)
    reached = np.where(r > 0, np.minimum(1.0, whole / np.where(r > 0, r, 1.0)), 1.0)
    level = np.where(
        k < whole,
        rising * np.minimum(1.0, d - k),
        reached * c.impact_persistence[:, None] ** np.maximum(k - whole + 1.0, 0.0),
    )
    level = np.where(k < 0, 0.0, level) * w
    now = level[:, :split].sum(axis=1) * c.impact_effect
    later = level[:, split:].sum(axis=1) * c.impact_effect
    return now, later


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-bare-yaml", action="store_true", help="skip the slow baseline")
    args = parser.parse_args()

    framework = wb.load_framework("nz-lsf-2021")
    impacts, costs = generate(args.proposals, framework)
    n_impacts = len(impacts)
    print(
        f"{args.proposals:,} proposals, {n_impacts:,} impacts, "
        f"{framework.generations.assessment_years}-year horizon, framework {framework.id}"
    )

    t_frame, bids = best(lambda: wb.load_proposals(impacts, costs), args.repeat)
    t_compile, compiled = best(lambda: compile_budget(framework, bids), args.repeat)
    t_engine, result = best(lambda: run_engine(compiled), args.repeat)
    t_kernel, (now, later) = best(lambda: hand_kernel(compiled), args.repeat)
    assert np.allclose(now, result.current, rtol=1e-12, atol=0)
    assert np.allclose(later, result.future, rtol=1e-12, atol=0)
    t_summary, _ = best(lambda: wb.score(framework, bids).summary(), 1)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "proposals.yaml"
        path.write_text(to_yaml(bids), encoding="utf-8")
        size_mb = path.stat().st_size / 1e6
        t_yaml, from_yaml = best(lambda: wb.load_proposals(path), 1)
        assert len(from_yaml) == len(bids)
        # The process's peak so far covers our whole pipeline; the bare PyYAML baseline
        # below builds its own copy of the file and would inflate it.
        peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        del from_yaml
        t_bare = float("nan")
        if not args.skip_bare_yaml:
            text = path.read_text(encoding="utf-8")
            t_bare, _ = best(lambda: yaml.load(text, Loader=yaml.CSafeLoader), 1)

    rows = [
        ("load + validate from DataFrame", t_frame, "< 2 s"),
        (f"load + validate from YAML ({size_mb:.1f} MB)", t_yaml, ""),
        ("bare yaml.load, CSafeLoader (same file)", t_bare, ""),
        ("compile (checks against the framework)", t_compile, ""),
        ("engine (profiles, discounting, sums)", t_engine, "< 0.2 s"),
        ("hand-written numpy kernel, same arrays", t_kernel, ""),
        ("score() + summary(), end to end from proposals", t_summary, ""),
    ]
    print()
    for label, seconds, target in rows:
        print(f"  {label:<48} {seconds:8.3f} s  {target}")
    print()
    print(f"  engine / hand kernel ratio                       {t_engine / t_kernel:8.2f}    < 2")
    print(f"  our YAML load / bare CSafeLoader ratio           {t_yaml / t_bare:8.2f}    < 1.5")
    print(f"  peak resident memory, our pipeline               {peak_rss_mb:8.0f} MiB  < 1024")


if __name__ == "__main__":
    main()
