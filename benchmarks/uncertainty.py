"""Benchmark: 10,000 Monte Carlo draws of 1,000 generated proposals (5 impacts each) under
nz-lsf-2021, with every input uncertain (effects, judgement scales, weights, values, costs).

Prints the time of ``card.simulate`` (draws only, and with percentiles and rank
probabilities), the peak memory of the process, and the ratio of the kernel's time to a plain
numpy kernel run in the same process on the same random numbers (a dense one-hot matrix
product per block instead of our sparse slot sums). Targets on this 2-core machine: simulate
under 3 s and the process under 1 GiB. Figures are medians of ``--repeat`` runs in one
process (the first run also pays for importing scipy.sparse), printed, never asserted.

    python benchmarks/uncertainty.py [--proposals 1000] [--draws 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time

import numpy as np
import pandas as pd

import wellbeing_budget as wb
from wellbeing_budget.analysis.uncertainty import simulation_inputs
from wellbeing_budget.engine.simulate import BLOCK, SimulationInputs, simulate_draws
from wellbeing_budget.units import is_share_unit

SEED = 20190530


def generate(n_proposals: int, framework: wb.Framework) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Deterministic impacts and costs tables: 5 impacts per proposal on the framework's
    indicators, evidence of every strength, costs in the first five years."""
    rng = np.random.default_rng(SEED)
    indicators = [i for i in framework.indicators if i.direction.kind != "target"]
    units = [("percentage_point" if is_share_unit(i.unit) else i.unit) for i in indicators]
    n = n_proposals * 5
    pick = rng.integers(0, len(indicators), n)
    proposal = np.repeat(np.arange(n_proposals), 5)
    first = np.arange(n) % 5 == 0
    duration = rng.integers(1, 60, n)
    impacts = pd.DataFrame(
        {
            "proposal": [f"p{i:05d}" for i in proposal],
            "title": np.where(first, [f"Proposal {i}" for i in proposal], None),
            "lead_agency": np.where(first, [f"Ministry {i % 20}" for i in proposal], None),
            "indicator": [indicators[k].id for k in pick],
            "change": [
                f"{v:.4g} {units[k]}" for v, k in zip(rng.normal(0, 1, n), pick, strict=True)
            ],
            "start": framework.price_year + rng.integers(0, 10, n),
            "ramp_up": [
                f"{min(v, d)} years" for v, d in zip(rng.integers(0, 5, n), duration, strict=True)
            ],
            "duration": [f"{v} years" for v in duration],
            "persistence": np.round(rng.uniform(0, 0.9, n), 3),
            "evidence": rng.choice(["high", "medium", "low"], n),
        }
    )
    costs = pd.DataFrame(
        {
            "proposal": [f"p{i:05d}" for i in np.repeat(np.arange(n_proposals), 2)],
            "year": framework.price_year + rng.integers(0, 5, n_proposals * 2),
            "amount": [f"{v:.4g} million NZD" for v in rng.uniform(1, 500, n_proposals * 2)],
        }
    )
    return impacts, costs


def plain_kernel(inputs: SimulationInputs, draws: int, seed: int) -> np.ndarray:
    """The same draws, written the obvious way: factors times a one-hot impacts x proposals
    matrix (current generation only, one discount alternative)."""
    n, size = inputs.n_proposals, len(inputs.impact_proposal)
    onehot = np.zeros((size, n))
    onehot[np.arange(size), inputs.impact_proposal] = 1.0
    out = np.empty((draws, n))
    sigma = inputs.evidence_sigma[inputs.impact_evidence]
    for block, lo in enumerate(range(0, draws, BLOCK)):
        b = min(BLOCK, draws - lo)
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block,)))
        z = rng.standard_normal((b, size))
        zd = rng.standard_normal((b, len(inputs.domain_sigma)))
        zs = rng.standard_normal((b, len(inputs.scale_sigma)))
        effect = np.exp(z * sigma - 0.5 * sigma**2)
        weight = np.exp(zd * inputs.domain_sigma - 0.5 * inputs.domain_sigma**2)
        scale = np.exp(zs * inputs.scale_sigma - 0.5 * inputs.scale_sigma**2)
        factor = effect * weight[:, inputs.impact_domain] * scale[:, inputs.impact_scale]
        out[lo : lo + b] = (inputs.now[0] * factor) @ onehot
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=1000)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs; medians are printed")
    args = parser.parse_args()
    framework = wb.load_framework("nz-lsf-2021")
    impacts, costs = generate(args.proposals, framework)
    proposals = wb.load_proposals(impacts, costs)
    card = wb.score(framework, proposals)
    print(
        f"{args.proposals:,} proposals, {card.compiled.n_impacts:,} impacts, {args.draws:,} draws"
    )

    print(f"  load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    inputs, _ = simulation_inputs(card)
    times: dict[str, list[float]] = {"kernel": [], "plain": [], "simulate": [], "analysis": []}
    for _ in range(args.repeat):
        start = time.perf_counter()
        simulate_draws(inputs, args.draws, seed=1)
        times["kernel"].append(time.perf_counter() - start)
        start = time.perf_counter()
        plain_kernel(inputs, args.draws, seed=1)
        times["plain"].append(time.perf_counter() - start)
        start = time.perf_counter()
        simulation = card.simulate(draws=args.draws, seed=1)
        times["simulate"].append(time.perf_counter() - start)
        start = time.perf_counter()
        simulation.summary()  # a fresh simulation: nothing of it is cached yet
        simulation.rank_probabilities(10)
        times["analysis"].append(time.perf_counter() - start)
        # The card keeps its latest simulation: drop it, so the next run's peak memory is of
        # one simulation, as a user's single call would be.
        del simulation
        card.decision.pop("simulation")
    median = {key: statistics.median(values) for key, values in times.items()}
    draws_only, analysis = median["simulate"], median["analysis"]
    kernel, plain = median["kernel"], median["plain"]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"  medians of {args.repeat} runs")
    print(f"  card.simulate:                      {draws_only:.2f} s")
    print(f"  percentiles and rank probabilities: {analysis:.2f} s")
    print(f"  total:                              {draws_only + analysis:.2f} s (target < 3 s)")
    print(f"  kernel {kernel:.2f} s vs plain numpy {plain:.2f} s: ratio {kernel / plain:.2f}")
    print(f"  peak memory of the process: {peak:.2f} GiB (target < 1 GiB)")
    print(f"  load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
