"""Benchmark: the rest of the pipeline, each figure as a ratio to a baseline measured in the
same run (medians of at least five runs; fresh processes where a start-up or a peak memory is
measured).

* horizon: ``score()`` with a 1,000-year assessment horizon over a 100-year one, and the extra
  peak memory, each in a fresh process;
* exports at 10k proposals: ``to_excel`` over writing the same tables as CSV; ``to_json`` over
  ``summary()``;
* problems: 50,000 located problems (bad indicator ids against a framework) reported; every
  proposal explained at 10k;
* faults: a 2.7 MB proposals YAML with 40,000 faults (two per impact), loaded in a fresh
  process: time and peak memory of the whole process;
* start-up: ``import wellbeing_budget`` over ``import pandas``; ``wellbeing-budget --help``;
* tables: impact rows from CSV over ``pandas.read_csv`` of the same files, time and peak
  memory, each in a fresh process.

    python benchmarks/pipeline.py [--proposals 10000] [--runs 5] [--rows 1000000]
        [--only horizon,exports,problems,faults,startup,tables]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import fresh, generate, load_note, median_time, row, wall

import wellbeing_budget as wb

SECTIONS = ("horizon", "exports", "problems", "faults", "startup", "tables")
_PEAK = "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024"


def horizon(proposals: int, runs: int) -> None:
    code = f"""
import sys, time, json, resource, gc
sys.path.insert(0, {str(Path(__file__).parent)!r})
from _common import generate
import wellbeing_budget as wb
base = wb.load_framework("nz-lsf-2021")
years = int(sys.argv[1]) if len(sys.argv) > 1 else {{years}}
framework = base.model_copy(update={{{{"generations": base.generations.model_copy(
    update={{{{"assessment_horizon": wb.Quantity(float(years), "years")}}}})}}}})
bids = wb.load_proposals(*generate({proposals}, framework))
gc.collect()
before = {_PEAK}
t = time.perf_counter()
wb.score(framework, bids)
print(json.dumps({{{{"t": time.perf_counter() - t, "extra": {_PEAK} - before}}}}))
"""
    short = fresh(code.format(years=100), runs)
    long = fresh(code.format(years=1000), runs)
    print(row("score(), 100-year horizon (baseline)", short["t"]))
    print(row("score(), 1,000-year horizon", long["t"]))
    print(row("1,000 years / 100 years", long["t"] / short["t"], "", "target <= 12"))
    print(row("extra peak memory while scoring, 100 years", short["extra"], "MiB"))
    print(row("extra peak memory while scoring, 1,000 years", long["extra"], "MiB", "< 100"))


def exports(card: wb.Scorecard, runs: int, folder: Path) -> None:
    def as_csv() -> None:
        from wellbeing_budget.views.exports import excel_sheets

        for name, frame in excel_sheets(card).items():
            frame.to_csv(folder / f"{name}.csv", index=False)

    t_csv, _ = median_time(as_csv, runs)
    t_excel, _ = median_time(lambda: card.to_excel(folder / "card.xlsx"), runs)

    # Each on a fresh Scorecard of the same results: a scorecard keeps its summary once
    # computed, and a cached baseline would make any ratio look bad (or good).
    def fresh_card() -> wb.Scorecard:
        return wb.Scorecard(card.compiled, card.result)

    t_summary, _ = median_time(lambda: fresh_card().summary(), runs)
    t_json, _ = median_time(lambda: fresh_card().to_json(), runs)
    print(row("the same tables written as CSV (baseline)", t_csv))
    print(row("to_excel()", t_excel))
    print(row("to_excel / CSV", t_excel / t_csv, "", "target <= 5"))
    print(row("summary() (baseline)", t_summary))
    print(row("to_json()", t_json))
    print(row("to_json / summary", t_json / t_summary, "", "target <= 3"))


def problems(card: wb.Scorecard, runs: int) -> None:
    framework = card.framework
    impacts, costs = generate(10_000, framework)
    # 50,000 impacts naming indicators the framework lacks: each a located problem with a
    # "did you mean" against its ids.
    impacts = impacts.assign(indicator=[f"x.{i}" for i in impacts["indicator"]])
    bids = wb.load_proposals(impacts, costs)

    def report() -> str:
        try:
            wb.score(framework, bids)
        except wb.ValidationError as exc:
            return str(exc)
        raise AssertionError("expected problems")

    t_problems, text = median_time(report, runs)
    ids = [p.id for p in card.proposals]
    t_all, _ = median_time(lambda: [card.explain(i) for i in ids], 1)
    print(row(f"{len(impacts):,} located problems reported", t_problems, "s", "target < 2 s"))
    print(f"    ({text.splitlines()[-1].strip()})")
    print(row(f"explain() every proposal ({len(ids):,})", t_all, "s", "target < 5 s"))


def startup(runs: int) -> None:
    timed = (
        "import time, json\nt = time.perf_counter()\nimport {name}\n"
        "print(json.dumps({{'t': time.perf_counter() - t}}))"
    )
    pandas = fresh(timed.format(name="pandas"), runs)
    ours = fresh(timed.format(name="wellbeing_budget"), runs)
    heavy = fresh(
        "import sys, json\nimport wellbeing_budget\n"
        "print(json.dumps({m: m in sys.modules for m in "
        "('matplotlib', 'openpyxl', 'scipy', 'pint', 'pandas')}))",
        1,
    )
    command = shutil.which("wellbeing-budget") or str(
        Path(sys.executable).parent / "wellbeing-budget"
    )
    bare = wall([sys.executable, "-c", "pass"], runs)
    helped = wall([command, "--help"], runs)
    print(row("import pandas, fresh process (baseline)", pandas["t"]))
    print(row("import wellbeing_budget, fresh process", ours["t"]))
    print(row("import wellbeing_budget / import pandas", ours["t"] / pandas["t"], "", "<= 1.2"))
    print(
        f"    imported by it: {', '.join(k for k, v in heavy.items() if v) or 'none of'}"
        " (of matplotlib, openpyxl, scipy, pint, pandas)"
    )
    print(row("python -c pass (interpreter start)", bare))
    print(row("wellbeing-budget --help", helped, "s", "target < 0.15 s"))


def tables(rows_wanted: int, runs: int, folder: Path) -> None:
    framework = wb.load_framework("nz-lsf-2021")
    impacts, costs = generate(rows_wanted // 5, framework)
    impacts_path, costs_path = folder / "impacts.csv", folder / "costs.csv"
    impacts.to_csv(impacts_path, index=False)
    costs.to_csv(costs_path, index=False)
    timed = (
        "import time, json, resource\n{setup}\nt = time.perf_counter()\n{body}\n"
        f"print(json.dumps({{{{'t': time.perf_counter() - t, 'peak': {_PEAK}}}}}))"
    )
    files = f"{str(impacts_path)!r}, {str(costs_path)!r}"
    pandas = fresh(
        timed.format(
            setup="import pandas as pd",
            body=f"a, b = [pd.read_csv(f) for f in ({files})]",
        ),
        runs,
    )
    ours = fresh(
        timed.format(
            setup="from wellbeing_budget.io.tables import load_proposal_tables, TableLimits",
            body=f"load_proposal_tables({files}, limits=TableLimits(max_rows={rows_wanted + 1}))",
        ),
        runs,
    )
    print(f"  {len(impacts):,} impact rows ({impacts_path.stat().st_size / 1e6:.0f} MB CSV)")
    print(row("pandas.read_csv of the same files (baseline)", pandas["t"]))
    print(row("load_proposals from the CSV files", ours["t"]))
    print(row("time / read_csv", ours["t"] / pandas["t"], "", "target <= 8"))
    print(row("peak memory, read_csv (whole process)", pandas["peak"], "MiB"))
    print(row("peak memory, load_proposals (whole process)", ours["peak"], "MiB"))
    print(row("peak memory / read_csv", ours["peak"] / pandas["peak"], "", "target <= 2.5"))


def faulty_yaml(path: Path, proposals: int = 5_000) -> int:
    """A proposals file whose every impact has two faults (an unknown evidence level, no
    duration): ``8 x proposals`` faults in all."""
    lines = ["proposals:"]
    for i in range(proposals):
        lines.append(
            f"  - id: bid-{i}\n    title: Bid {i}\n    lead_agency: Ministry {i % 7}\n"
            "    costs: [{year: 2024, amount: 1 million NZD}]\n    impacts:"
        )
        for j in range(4):
            lines.append(
                f"      - {{indicator: nz.life-satisfaction, change: 0.{j + 1} point, "
                "timing: {start: 2025}, evidence: strong}"
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 8 * proposals


def faults(runs: int, folder: Path) -> None:
    path = folder / "faults.yaml"
    count = faulty_yaml(path)
    code = f"""
import json, resource, time
import wellbeing_budget as wb
from wellbeing_budget.io.loading import load_proposals_yaml
t = time.perf_counter()
try:
    load_proposals_yaml({str(path)!r})
except wb.ValidationError as exc:
    listed, more = len(exc.problems), exc.more
print(json.dumps({{"t": time.perf_counter() - t, "peak": {_PEAK}, "n": listed + more}}))
"""
    base = fresh(
        "import json, resource, wellbeing_budget.io.loading\n"
        f"print(json.dumps({{'t': 0, 'peak': {_PEAK}}}))",
        runs,
    )
    ours = fresh(code, runs)
    assert ours["n"] == count, ours
    print(f"  {count:,} faults in {path.stat().st_size / 1e6:.1f} MB of YAML")
    print(row("load, report the first 1,000 and count the rest", ours["t"]))
    print(row("peak memory (whole process)", ours["peak"], "MiB"))
    print(row("peak memory after the imports alone", base["peak"], "MiB"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--only", default=",".join(SECTIONS))
    args = parser.parse_args()
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    runs = max(args.runs, 5)
    print(f"medians of {runs} runs; {load_note()}")
    framework = wb.load_framework("nz-lsf-2021")
    card = None
    if {"exports", "problems"} & set(chosen):
        card = wb.score(framework, wb.load_proposals(*generate(args.proposals, framework)))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for section in chosen:
            print(f"\n{section}")
            if section == "horizon":
                horizon(args.proposals, runs)
            elif section == "exports":
                assert card is not None
                exports(card, runs, folder)
            elif section == "problems":
                assert card is not None
                problems(card, runs)
            elif section == "faults":
                faults(runs, folder)
            elif section == "startup":
                startup(runs)
            elif section == "tables":
                tables(args.rows, runs, folder)
            else:
                raise SystemExit(f"unknown section {section!r}; choose from {SECTIONS}")


if __name__ == "__main__":
    main()
