"""Benchmark: choose a package from 1,000 generated bids within 10 yearly limits.

The bids cost money in several of 10 years (operating and capital), their values are
correlated with their costs (so the problem is not trivially greedy), a few are scalable and a
few are mutually exclusive. The solver (HiGHS through ``scipy.optimize.milp``) is asked for a
zero optimality gap; the benchmark prints the time and whether optimality was proven. Figures
are printed, never asserted: timing belongs here, not in the tests.

    python benchmarks/portfolio.py [--bids 1000] [--years 10] [--seed 20190530]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from wellbeing_budget.analysis.portfolio import solve


def generate(
    bids: int, years: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int], list[list[int]]]:
    """Values, costs (years x bids), yearly limits, scalable bids and exclusive pairs."""
    rng = np.random.default_rng(seed)
    costs = np.zeros((years, bids))
    for i in range(bids):
        first = rng.integers(0, years)
        span = rng.integers(1, years - first + 1)
        costs[first : first + span, i] = rng.uniform(1, 100, span) * 1e6
    total = costs.sum(axis=0)
    values = total / 1e6 * rng.uniform(0.5, 1.5, bids) + rng.normal(0, 5, bids)
    limits = costs.sum(axis=1) * 0.3
    scalable = list(range(0, bids, 50))
    exclusive = [[i, i + 1] for i in range(1, bids - 1, 40)]
    return values, costs, limits, scalable, exclusive


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bids", type=int, default=1000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20190530)
    args = parser.parse_args()
    values, costs, limits, scalable, exclusive = generate(args.bids, args.years, args.seed)
    start = time.perf_counter()
    solution = solve(values, costs, limits, scalable=scalable, exclusive=exclusive)
    elapsed = time.perf_counter() - start
    used = costs @ solution.shares
    print(f"{args.bids:,} bids x {args.years} yearly limits")
    print(f"  solved in {elapsed:.2f} s: {solution.status}")
    print(f"  proven optimal (gap {solution.gap:.1e}): {solution.optimal}")
    print(
        f"  funded: {int((solution.shares > 1e-9).sum())} bids, objective {solution.objective:,.2f}"
    )
    print(f"  binding limits: {int((limits - used <= 1e-6 * limits).sum())} of {len(limits)}")


if __name__ == "__main__":
    main()
