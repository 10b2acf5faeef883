"""The ``wellbeing-budget`` command line.

Every error the library raises on bad input is printed as located problems and the command
exits with status 1; a traceback means a bug in the library.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from ._version import __version__
from .analysis.results import Scorecard, score
from .errors import Problem, ValidationError, WellbeingBudgetError
from .io.crosswalks import load_crosswalk
from .io.files import display_name, write_text_atomic
from .io.loading import (
    builtin_catalogue,
    list_frameworks,
    load_catalogue,
    load_discount_schedule,
    load_framework,
    load_proposals,
)
from .io.yamlio import load_yaml

__all__ = ["main"]


def _print_table(rows: list[list[str]], header: list[str], out: TextIO) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    out.write(line.rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in rows:
        out.write(
            "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n"
        )


# -- frameworks / show -------------------------------------------------------------------------


def _cmd_frameworks(args: argparse.Namespace, out: TextIO) -> int:
    rows = []
    for framework_id in list_frameworks():
        framework = load_framework(framework_id)
        n_ind = sum(len(d.indicators) for d in framework.domains)
        stated = framework.counts.indicators if framework.counts is not None else None
        coverage = f"{n_ind}/{stated} ({n_ind / stated:.0%})" if stated else "-"
        rows.append(
            [
                framework_id,
                framework.name,
                framework.jurisdiction,
                framework.version,
                str(len(framework.domains)),
                str(n_ind),
                coverage,
            ]
        )
    header = ["id", "name", "jurisdiction", "version", "domains", "indicators", "coverage"]
    _print_table(rows, header, out)
    out.write(
        "\ncoverage: indicators encoded / indicators the framework's source states. Where an\n"
        "official list could not be confirmed, only what is confirmed is encoded.\n"
    )
    return 0


def _cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    framework = load_framework(args.framework)
    out.write(f"{framework.name} ({framework.id}, version {framework.version})\n")
    out.write(f"Jurisdiction: {framework.jurisdiction}\n")
    source = framework.source
    out.write(f"Source: {source.title}" + (f" <{source.url}>" if source.url else "") + "\n")
    gens = framework.generations
    out.write(
        f"Currency: {framework.currency} ({framework.price_year} prices); generations: current "
        f"{gens.current_years} years, assessment {gens.assessment_years} years\n"
    )
    if framework.based_on:
        out.write(f"Based on: {', '.join(framework.based_on)}\n")
    counts = framework.counts
    if counts is not None and counts.indicators:
        out.write(
            f"Coverage: {len(framework.indicators)} of the {counts.indicators} indicators its "
            "source states are encoded\n"
        )
    spec = framework.index_spec
    if spec is not None:
        out.write(
            f"Index: {spec.name} ({spec.normalise}; {spec.aggregate_indicators} within "
            f"domains, {spec.aggregate_domains} across them; missing: {spec.missing})\n"
        )
    out.write("\n")
    by_id = {i.id: i for i in framework.indicators}
    rows = []
    for domain in framework.domains:
        first = True
        label = [domain.id, domain.pillar.value, f"{domain.weight:g}"]
        if not domain.indicators:
            rows.append([*label, "(no indicator encoded)", "", "", ""])
        for ref in domain.indicators:
            indicator = by_id[ref.id]
            cells = label if first else ["", "", ""]
            rows.append(
                [
                    *cells,
                    indicator.id,
                    indicator.unit,
                    f"{indicator.direction.symbol} {indicator.direction.kind}",
                    str(indicator.scale),
                ]
            )
            first = False
    _print_table(
        rows, ["domain", "pillar", "weight", "indicator", "unit", "direction", "scale"], out
    )
    return 0


def _cmd_indicators(args: argparse.Namespace, out: TextIO) -> int:
    if args.framework:
        framework = load_framework(args.framework)
        domain_of = {ref.id: d.id for d in framework.domains for ref in d.indicators}
        indicators = [i for i in framework.indicators if i.id in domain_of]
        where = f"framework {framework.id}"
    else:
        domain_of = {}
        indicators = sorted(builtin_catalogue().values(), key=lambda i: i.id)
        where = "the built-in catalogue"
    words = [w.casefold() for w in (args.search or "").split()]

    def matches(text: str) -> bool:
        folded = text.casefold()
        return all(word in folded for word in words)

    rows = []
    for ind in indicators:
        text = " ".join([ind.id, str(ind.name), *ind.codes, ind.note or "", ind.unit])
        if not matches(text):
            continue
        row = [ind.id, str(ind.name), ind.unit, ind.direction.kind, ind.status or "-"]
        if domain_of:
            row.insert(1, domain_of[ind.id])
        row.append(ind.source.url or ind.source.title)
        rows.append(row)
    header = ["id", "name", "unit", "direction", "status", "source"]
    if domain_of:
        header.insert(1, "domain")
    if not rows:
        out.write(f"no indicator of {where} matches {args.search!r}\n")
        return 1
    _print_table(rows, header, out)
    out.write(f"\n{len(rows)} of {len(indicators)} indicators of {where}\n")
    return 0


# -- validate ------------------------------------------------------------------------------


def _kind_of(data: Any) -> str:
    if not isinstance(data, dict):
        return "unknown"
    if "links" in data and "from" in data:
        return "crosswalk"
    if "domains" in data or "extends" in data:
        return "framework"
    if "indicators" in data:
        return "catalogue"
    if "proposals" in data:
        return "proposals"
    if "kind" in data:
        return "discount schedule"
    return "unknown"


def _validate_file(path: Path) -> tuple[str, list[Problem]]:
    """The file's kind and its problems (empty when valid)."""
    try:
        doc = load_yaml(path)
    except ValidationError as exc:
        return "file", list(exc.problems)
    kind = _kind_of(doc.data)
    loaders: dict[str, Callable[[Path], object]] = {
        "framework": load_framework,
        "catalogue": load_catalogue,
        "proposals": load_proposals,
        "discount schedule": load_discount_schedule,
        "crosswalk": load_crosswalk,
    }
    loader = loaders.get(kind)
    if loader is None:
        message = (
            "not a framework ('domains' or 'extends'), an indicator catalogue ('indicators'), "
            "a proposals file ('proposals') nor a discount schedule ('kind')"
        )
        return kind, [doc.problem((), message)]
    try:
        loader(path)
    except ValidationError as exc:
        return kind, list(exc.problems)
    except WellbeingBudgetError as exc:
        return kind, [Problem(str(exc), (), display_name(path))]
    return kind, []


def _collect(paths: Sequence[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")))
        else:
            files.append(path)
    return files


def _cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    files = _collect(args.paths)
    if not files:
        out.write("no YAML files found\n")
        return 1
    failed = 0
    for path in files:
        kind, problems = _validate_file(path)
        if problems:
            failed += 1
            for problem in problems:
                out.write(f"{problem}\n")
        elif not args.quiet:
            out.write(f"ok  {display_name(path)} ({kind})\n")
    total = len(files)
    if failed:
        out.write(f"{failed} of {total} file{'s' if total != 1 else ''} not valid\n")
        return 1
    if not args.quiet:
        out.write(f"{total} file{'s' if total != 1 else ''} valid\n")
    return 0


# -- score -------------------------------------------------------------------------------------


class Progress:
    """A one-line progress bar on a terminal; silent when output goes to a pipe or file."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.active = bool(getattr(self.stream, "isatty", lambda: False)())
        self.width = width

    def stage(self, label: str, done: int = 0, total: int = 0) -> None:
        """Show ``label``, with a bar when ``total`` is known."""
        if not self.active:
            return
        if total:
            filled = round(self.width * done / total)
            bar = f" [{'#' * filled}{'.' * (self.width - filled)}] {done:,}/{total:,}"
        else:
            bar = ""
        self.stream.write(f"\r\033[K{label}{bar}")
        self.stream.flush()

    def done(self) -> None:
        """Clear the line."""
        if self.active:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _score(args: argparse.Namespace, progress: Progress | None = None) -> Scorecard:
    bar = progress or Progress()
    bar.stage("reading framework")
    framework = load_framework(args.framework)
    bar.stage("reading proposals")
    proposals = load_proposals(args.proposals, args.costs)
    try:
        return score(
            framework,
            proposals,
            base_year=args.base_year,
            wellbeing_discount=args.wellbeing_discount,
            money_discount=args.money_discount,
            future_weight=args.future_weight,
            progress=lambda done, total: bar.stage("checking and scoring", done, total),
        )
    finally:
        bar.done()


def _summary_table(card: Scorecard, sort_by: str) -> tuple[list[list[str]], list[str]]:
    summary = card.summary(sort_by=sort_by)
    header = ["rank", "proposal", "current", "future"]
    if card.future_weight is not None:
        header.append("combined")
    header += [
        f"net cost NPV (m {card.currency})",
        "EY/m current",
        "EY/m future",
        "agencies",
        "pillars",
        "domains",
    ]
    rows = []
    for rank, (proposal_id, row) in enumerate(summary.iterrows(), start=1):
        cells = [str(rank), str(proposal_id), _figure(row.current_total), _figure(row.future_total)]
        if card.future_weight is not None:
            cells.append(_figure(row.combined_total))
        cells += [
            f"{row.net_cost_npv / 1e6:,.4g}",
            _maybe(row.ce_current),
            _maybe(row.ce_future),
            str(row.n_agencies),
            str(row.n_pillars),
            str(row.n_domains),
        ]
        rows.append(cells)
    return rows, header


def _figure(value: float) -> str:
    return f"{value:.4g}"


def _maybe(value: float) -> str:
    return "-" if value != value else f"{value:.4g}"  # NaN: the proposal pays for itself


def _cmd_score(args: argparse.Namespace, out: TextIO) -> int:
    card = _score(args)
    if args.format == "csv":
        text = card.summary(sort_by=args.sort).to_csv(float_format="%.10g")
    elif args.format == "json":
        text = card.to_json()
    else:
        rows, header = _summary_table(card, args.sort)
        buffer = io.StringIO()
        framework = card.framework
        buffer.write(
            f"{len(card)} proposals scored under {framework.name} ({framework.id}); base year "
            f"{card.base_year}, money in {card.currency}.\n"
            f"Effect-years (EY): standard effects x years, discounted; current generation = "
            f"first {card.compiled.current_years} years, future = up to year "
            f"{card.compiled.assessment_years}.\n\n"
        )
        _print_table(rows, header, buffer)
        text = buffer.getvalue()
    if args.output:
        write_text_atomic(args.output, text)
        out.write(f"wrote {args.output}\n")
    else:
        out.write(text)
    return 0


# -- compare ------------------------------------------------------------------------------------


def _cmd_compare(args: argparse.Namespace, out: TextIO) -> int:
    from .analysis.reexpress import _cells, compare

    if len(args.framework) < 2:
        raise WellbeingBudgetError("compare needs at least two --framework options")
    settings = argparse.Namespace(**{**vars(args), "framework": args.framework[0]})
    card = _score(settings)
    result = compare(
        card, args.framework[1:], generation=args.generation, pillar_credit=args.pillar_credit
    )
    ids = result.frameworks
    out.write(
        f"{len(card)} proposals written for {ids[0]}, scored under each framework on what it "
        f"measures (its indicators, scales and weights), {args.generation}-generation "
        "effect-years.\n"
    )
    for target, scored in list(result.scores.items())[1:]:
        walk = scored.crosswalk
        how = f"indicator links of {walk.id}" if walk is not None else "shared indicators only"
        credit = "; blind effects credited through the shared pillars" if args.pillar_credit else ""
        out.write(f"  {target}: {how} ({len(scored.links)} links){credit}\n")
    out.write("\n")
    ranked, totals = _cells(result.ranks()), _cells(result.totals())
    blind, rho = _cells(result.blind_spots()), _cells(result.spearman())
    order = sorted(ranked[ids[0]], key=lambda p: ranked[ids[0]][p])
    spread = {p: max(ranked[f][p] for f in ids) - min(ranked[f][p] for f in ids) for p in order}
    rows = [
        [pid]
        + [f"{ranked[f][pid]:>3}  ({totals[f][pid]:.4g}; blind {blind[f][pid]:.0%})" for f in ids]
        + [str(spread[pid])]
        for pid in order
    ]
    _print_table(rows, ["proposal", *[f"rank under {f}" for f in ids], "spread"], out)
    out.write("\nRank agreement (Spearman):\n")
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            out.write(f"  {a} vs {b}: {rho[b][a]:.3f}\n")
    out.write("\nPillar balance (share of the effect-years each framework counts):\n")
    for f, row in _cells(result.pillar_balance().T).items():
        parts = ", ".join(f"{p} {v:.0%}" for p, v in row.items() if not pd.isna(v))
        out.write(f"  {f}: {parts or 'nothing counted'}\n")
    moved = sorted((p for p in order if spread[p] >= args.min_spread), key=lambda p: -spread[p])
    if moved:
        out.write(f"\nWhere they disagree (rank spread of {args.min_spread} or more):\n")
        for pid in moved:
            places = ", ".join(f"{f}: {ranked[f][pid]}" for f in ids)
            out.write(f"  {pid}: {places}\n")
    else:
        out.write(f"\nNo proposal's rank differs by {args.min_spread} or more.\n")
    out.write("\nWhy ranks differ:\n" + "\n".join(result.reading()) + "\n")
    return 0


# -- dashboard and demo ----------------------------------------------------------------------


def _cmd_dashboard(args: argparse.Namespace, out: TextIO) -> int:
    progress = Progress()
    card = _score(args, progress)
    progress.stage("writing the report")
    card.to_html(args.output, title=args.title)
    progress.done()
    out.write(f"wrote {args.output} ({len(card)} proposals under {card.framework.id})\n")
    return 0


def _cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    example = _example_path()
    settings = argparse.Namespace(
        proposals=str(example),
        framework="nz-wellbeing-budget-2019",
        costs=None,
        base_year=None,
        wellbeing_discount=None,
        money_discount=None,
        future_weight=None,
    )
    card = _score(settings)
    rows, header = _summary_table(card, "current_total")
    out.write(
        f"{len(card)} bids of New Zealand's 2019 Wellbeing Budget, scored under "
        f"{card.framework.name} ({card.framework.id}).\n"
        "Allocations are from the Budget; impact sizes in the example are illustrative.\n\n"
    )
    _print_table(rows, header, out)
    target = Path(args.output)
    card.to_html(target)
    out.write(f"\nThe dashboard report is at {target.resolve()}\n")
    return 0


def _example_path() -> Path:
    """The bundled NZ example: inside the installed package, or in the source checkout."""
    from .io.loading import example_path

    return example_path("nz-wellbeing-budget-2019", "proposals.yaml")


# -- entry point ---------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wellbeing-budget",
        description="Decide a budget on wellbeing: frameworks, proposals, dashboards.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("frameworks", help="list the built-in frameworks")
    p.set_defaults(func=_cmd_frameworks)

    p = sub.add_parser("show", help="show a framework's domains and indicators")
    p.add_argument("framework", metavar="ID_OR_PATH", help="built-in id or YAML file")
    p.set_defaults(func=_cmd_show)

    p = sub.add_parser("indicators", help="list indicators: id, name, unit, direction, status")
    p.add_argument("--framework", metavar="ID_OR_PATH", help="only this framework's indicators")
    p.add_argument("--search", metavar="TEXT", help="words that id, name, codes or note contain")
    p.set_defaults(func=_cmd_indicators)

    p = sub.add_parser(
        "validate", help="check framework and indicator files; exit 1 listing every problem"
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="YAML files or folders")
    p.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("score", help="score proposals under a framework")
    _scoring_arguments(p)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--sort", default="current_total", help="summary column to rank by")
    p.add_argument("-o", "--output", metavar="PATH", help="write to a file instead")
    p.set_defaults(func=_cmd_score)

    p = sub.add_parser(
        "compare", help="rank proposals under several frameworks and show where they disagree"
    )
    p.add_argument("proposals", metavar="PROPOSALS", help="proposals: .yaml, .csv or .xlsx")
    p.add_argument(
        "--framework",
        action="append",
        required=True,
        metavar="ID_OR_PATH",
        help="the proposals' own framework first, then the frameworks to compare with",
    )
    p.add_argument("--costs", metavar="PATH", help="costs table for a CSV of impacts")
    p.add_argument("--generation", choices=["current", "future"], default="current")
    p.add_argument("--min-spread", type=int, default=2, help="rank spread worth listing")
    p.add_argument(
        "--pillar-credit",
        action="store_true",
        help="also credit effects a framework cannot see through the domains or pillars they "
        "share (off by default: a framework scores what it measures)",
    )
    p.set_defaults(
        func=_cmd_compare,
        base_year=None,
        wellbeing_discount=None,
        money_discount=None,
        future_weight=None,
    )

    p = sub.add_parser("dashboard", help="write the offline HTML report of scored proposals")
    _scoring_arguments(p)
    p.add_argument("-o", "--output", metavar="PATH", default="wellbeing-report.html")
    p.add_argument("--title", help="report title")
    p.set_defaults(func=_cmd_dashboard)

    p = sub.add_parser("demo", help="score the bundled NZ 2019 example and write its report here")
    p.add_argument("-o", "--output", metavar="PATH", default="wellbeing-report.html")
    p.set_defaults(func=_cmd_demo)
    return parser


def _scoring_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("proposals", metavar="PROPOSALS", help="proposals: .yaml, .csv or .xlsx")
    p.add_argument("--framework", required=True, metavar="ID_OR_PATH")
    p.add_argument("--costs", metavar="PATH", help="costs table for a CSV of impacts")
    p.add_argument("--base-year", type=int, help="year 0 (default: the framework's price year)")
    p.add_argument("--wellbeing-discount", metavar="NAME", help="named discount schedule")
    p.add_argument("--money-discount", metavar="NAME", help="named discount schedule")
    p.add_argument("--future-weight", type=float, help="also show current + weight x future")


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit status."""
    stream = out or sys.stdout
    args = _parser().parse_args(argv)
    try:
        status: int = args.func(args, stream)
    except ValidationError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    except WellbeingBudgetError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    except KeyboardInterrupt:  # pragma: no cover - interactive
        return 130
    except BrokenPipeError:  # pragma: no cover - output piped into `head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
