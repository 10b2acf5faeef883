"""Benchmark: score 10,000 generated proposals (5 impacts each) under nz-lsf-2021.

Prints, as medians of at least five runs, each figure beside its baseline measured in the same
run, and the ratio the issue targets:

* ``score()`` over a chunked numpy kernel of the same semantics (checked equal to our
  results), both starting from the same compiled arrays' inputs;
* load from a DataFrame + ``score()`` over a vectorised parse of the same DataFrame (pandas
  string operations, one conversion per distinct unit) + the kernel;
* our YAML load over a bare ``yaml.load(..., Loader=yaml.CSafeLoader)`` of the same file, both
  in fresh processes (a heavy process with GC on would flatter the ratio).

Timing belongs here, not in the tests: figures are printed, never asserted.

The first ``summary()`` and ``explain()`` after ``score()`` of proposals read from a
DataFrame are printed too (reported, no target), beside ``summary()`` of the same bids given
as objects.

    python benchmarks/scoring.py [--proposals 10000] [--runs 5] [--skip-yaml]
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

from _common import fresh, generate, load_note, median_time, row

import wellbeing_budget as wb
from wellbeing_budget.engine.compile import compile_budget, rate_schedule
from wellbeing_budget.engine.timeprofile import discount_factors
from wellbeing_budget.io.yamlio import dump_yaml
from wellbeing_budget.units import conversion_factor, is_share_unit

#: Cells (impacts x years) the kernel computes at a time: the same budget as the engine's.
KERNEL_CELLS = 1 << 17


def kernel(
    start: np.ndarray,
    ramp: np.ndarray,
    duration: np.ndarray,
    persistence: np.ndarray,
    effect: np.ndarray,
    factors: np.ndarray,
    split: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Current- and future-generation effect-years, written out directly: the profile of
    ``engine/timeprofile.py`` over the whole horizon, a fixed number of cells at a time."""
    horizon = len(factors)
    now = np.empty(len(start))
    later = np.empty(len(start))
    step = max(1, KERNEL_CELLS // horizon)
    years = np.arange(horizon, dtype=np.float64)[None, :]
    for lo in range(0, len(start), step):
        s = slice(lo, lo + step)
        k = years - start[s, None]
        d = duration[s, None]
        whole = np.ceil(d)
        r = ramp[s, None]
        rising = np.where(r > 0, np.minimum(1.0, (k + 1.0) / np.where(r > 0, r, 1.0)), 1.0)
        reached = np.where(r > 0, np.minimum(1.0, whole / np.where(r > 0, r, 1.0)), 1.0)
        level = np.where(
            k < whole,
            rising * np.minimum(1.0, d - k),
            reached * persistence[s, None] ** np.maximum(k - whole + 1.0, 0.0),
        )
        level = np.where(k < 0, 0.0, level) * factors
        now[s] = level[:, :split].sum(axis=1) * effect[s]
        later[s] = level[:, split:].sum(axis=1) * effect[s]
    return now, later


def _years(text: pd.Series) -> np.ndarray:
    number, unit = _split(text)
    factors = {u: conversion_factor(u, "year") for u in unit.unique()}
    return np.round(number * unit.map(factors).to_numpy(dtype=float), 9)


def _split(text: pd.Series) -> tuple[np.ndarray, pd.Series]:
    parts = text.str.split(" ", n=1, expand=True)
    return parts[0].astype(float).to_numpy(), parts[1].fillna("")


def vectorised(framework: wb.Framework, impacts: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """The kernel's inputs parsed from the impacts table with pandas string operations and one
    conversion per distinct (indicator, unit): what reading the table need cost."""
    by_id = {i.id: i for i in framework.indicators}
    weights = {ref.id: ref.weight * d.weight for d in framework.domains for ref in d.indicators}
    number, unit = _split(impacts["change"])
    pairs = pd.DataFrame({"indicator": impacts["indicator"], "unit": unit})
    distinct = pairs.drop_duplicates()
    factor: dict[tuple[str, str], float] = {}
    for ident, u in distinct.itertuples(index=False):
        indicator = by_id[ident]
        sign = -1.0 if indicator.direction.kind == "lower_is_better" else 1.0
        if u == "percentage_point" and is_share_unit(indicator.unit):
            to_unit = conversion_factor("percent", indicator.unit)
        else:
            to_unit = conversion_factor(u, indicator.unit)
        factor[(ident, u)] = to_unit * sign / indicator.scale_value
    per_row = np.array([factor[p] for p in zip(pairs["indicator"], pairs["unit"], strict=True)])
    people = pd.to_numeric(impacts["people"]).to_numpy(dtype=float)
    population = np.array(
        [framework.group_population(by_id[i].describes)[0] for i in by_id], dtype=float
    )
    describes = dict(zip(by_id, population, strict=True))
    size = impacts["indicator"].map(describes).to_numpy(dtype=float)
    reach = np.where(np.isnan(people), 1.0, people / size)
    effect = number * per_row * reach
    base = int(impacts["start"].min())
    start = impacts["start"].to_numpy(dtype=np.int64) - base
    weight = impacts["indicator"].map(weights).to_numpy(dtype=float)
    return (
        start,
        _years(impacts["ramp_up"]),
        _years(impacts["duration"]),
        impacts["persistence"].to_numpy(dtype=float),
        effect,
        weight,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-yaml", action="store_true", help="skip the YAML comparison")
    args = parser.parse_args()
    runs = args.runs

    framework = wb.load_framework("nz-lsf-2021")
    impacts, costs = generate(args.proposals, framework)
    print(
        f"{args.proposals:,} proposals, {len(impacts):,} impacts, "
        f"{framework.generations.assessment_years}-year horizon, framework {framework.id}; "
        f"medians of {max(runs, 5)} runs; {load_note()}"
    )
    bids = wb.load_proposals(impacts, costs)
    compiled = compile_budget(framework, bids)
    factors = discount_factors(
        rate_schedule(framework.discounting.wellbeing, compiled.assessment_years)
    )
    c = compiled
    inputs = (c.impact_start, c.impact_ramp, c.impact_duration, c.impact_persistence)

    def run_kernel() -> Any:
        return kernel(*inputs, c.impact_effect, factors, c.current_years)

    t_kernel, (now, later) = median_time(run_kernel, runs)
    t_score, card = median_time(lambda: wb.score(framework, bids), runs)
    np.testing.assert_allclose(now, card.result.current, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(later, card.result.future, rtol=1e-12, atol=1e-300)
    t_compile, _ = median_time(lambda: compile_budget(framework, bids), runs)
    # The same proposals as objects (as read from YAML): compiled one impact at a time.
    objects = wb.ProposalSet(bids.proposals)
    t_objects, card_objects = median_time(lambda: wb.score(framework, objects), runs)
    assert np.array_equal(card_objects.result.current, card.result.current)

    def parse_and_kernel() -> Any:
        start, ramp, duration, persistence, effect, _ = vectorised(framework, impacts)
        return kernel(start, ramp, duration, persistence, effect, factors, c.current_years)

    t_parse_kernel, (now2, _) = median_time(parse_and_kernel, runs)
    np.testing.assert_allclose(now2, card.result.current, rtol=1e-9, atol=1e-300)
    t_load_score, _ = median_time(
        lambda: wb.score(framework, wb.load_proposals(impacts, costs)), runs
    )
    t_load, _ = median_time(lambda: wb.load_proposals(impacts, costs), runs)

    print()
    print(row("chunked numpy kernel, same semantics (baseline)", t_kernel))
    print(row("score() from loaded proposals", t_score))
    print(row("  of which compile", t_compile))
    print(row("score() / kernel", t_score / t_kernel, "", "target <= 2"))
    print(row("score() of the same proposals as objects (as from YAML)", t_objects))
    print(row("  objects / kernel", t_objects / t_kernel, "", "reported"))
    print()
    print(row("vectorised parse of the DataFrame + kernel (baseline)", t_parse_kernel))
    print(row("load_proposals(DataFrame) + score()", t_load_score))
    print(row("  of which load_proposals(DataFrame)", t_load))
    print(row("load + score / parse + kernel", t_load_score / t_parse_kernel, "", "target <= 2"))

    # The first summary() and explain() of a card whose proposals were read from a table:
    # each run loads afresh (a set keeps the proposals it has built), outside the clock.
    first = bids.ids[len(bids) // 2]

    def first_use(build: Any, use: Any) -> float:
        times = []
        for _ in range(max(runs, 5)):
            fresh_card = wb.score(framework, build())
            gc.collect()
            start = time.perf_counter()
            use(fresh_card)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    def from_frame() -> Any:
        return wb.load_proposals(impacts, costs)

    t_objects_summary = first_use(lambda: objects, lambda fresh_card: fresh_card.summary())
    t_first_summary = first_use(from_frame, lambda fresh_card: fresh_card.summary())
    t_first_explain = first_use(from_frame, lambda fresh_card: fresh_card.explain(first))
    print()
    print(row("summary() of the same bids as objects (baseline)", t_objects_summary))
    print(row("first summary() after score(), bids from a DataFrame", t_first_summary))
    print(
        row(
            "  first summary / objects' summary",
            t_first_summary / t_objects_summary,
            "",
            "reported",
        )
    )
    print(row("first explain() after score(), bids from a DataFrame", t_first_explain))

    if not args.skip_yaml:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "proposals.yaml"
            data = {"proposals": [b.model_dump(mode="json", exclude_defaults=True) for b in bids]}
            path.write_text(dump_yaml(data), encoding="utf-8")
            timed = (
                "import time, json\nt = time.perf_counter()\n{body}\n"
                "print(json.dumps({{'t': time.perf_counter() - t}}))"
            )
            ours = fresh(
                "import wellbeing_budget as wb\n"
                + timed.format(body=f"wb.load_proposals({str(path)!r})"),
                runs,
            )
            bare = fresh(
                "import yaml\n"
                + timed.format(
                    body=f"yaml.load(open({str(path)!r}, encoding='utf-8').read(), "
                    "Loader=yaml.CSafeLoader)"
                ),
                runs,
            )
            size = path.stat().st_size / 1e6
        print()
        print(row(f"bare CSafeLoader, fresh process ({size:.1f} MB file)", bare["t"]))
        print(row("load_proposals(YAML file), fresh process", ours["t"]))
        print(row("YAML load / bare CSafeLoader", ours["t"] / bare["t"], "", "reported"))
    print(json.dumps({"score_over_kernel": t_score / t_kernel}), file=sys.stderr)


if __name__ == "__main__":
    main()
