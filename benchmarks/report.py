"""Benchmark: render the HTML report of 1,000 scored proposals (target: under 5 s).

Scores generated proposals under nz-lsf-2021 (as ``benchmarks/scoring.py`` generates them),
then times ``Scorecard.to_html()``, split into the ranked table, the figures and the whole
report, and prints the size of the file. Figures are printed, never asserted.

    python benchmarks/report.py [--proposals 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import generate, median_time

import wellbeing_budget as wb
from wellbeing_budget.views.html import scorecard_html
from wellbeing_budget.views.report import _figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    framework = wb.load_framework("nz-lsf-2021")
    impacts, costs = generate(args.proposals, framework)
    card = wb.score(framework, wb.load_proposals(impacts, costs))
    t_table, _ = median_time(lambda: scorecard_html(card, max_rows=None), args.repeat)
    t_figures, _ = median_time(lambda: _figures(card, None), args.repeat)
    t_report, html = median_time(card.to_html, args.repeat)
    print(f"{args.proposals:,} proposals, {len(impacts):,} impacts, framework {framework.id}")
    print(f"  ranked table (all rows)          {t_table:7.3f} s")
    print(f"  figures (5 plots, SVG)           {t_figures:7.3f} s")
    print(f"  whole report, to_html()          {t_report:7.3f} s   target < 5 s")
    print(f"  report size                      {len(str(html)) / 1e6:7.2f} MB")


if __name__ == "__main__":
    main()
