"""The ``wellbeing-budget`` command line.

Every error the library raises on bad input is printed as located problems and the command
exits with status 1; a traceback means a bug in the library.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ._version import __version__
from .errors import Problem, ValidationError, WellbeingBudgetError

if TYPE_CHECKING:
    import pandas as pd

    from .analysis.results import Scorecard, score
    from .engine.compile import compile_budget
    from .io.crosswalks import load_crosswalk
    from .io.files import csv_text, display_name, write_text_atomic
    from .io.loading import (
        builtin_catalogue,
        list_frameworks,
        load_catalogue,
        load_deflator,
        load_discount_schedule,
        load_framework,
        load_proposals,
        load_value_set,
    )
    from .io.yamlio import load_yaml


def _import_library() -> None:
    """Bring in the library's working parts, after the arguments are parsed: ``--help`` and
    a mistyped option then answer without importing pandas, pint or the models."""
    import numpy as np
    import pandas as pd

    from .analysis.results import Scorecard, score
    from .engine.compile import compile_budget
    from .io.crosswalks import load_crosswalk
    from .io.files import csv_text, display_name, write_text_atomic
    from .io.loading import (
        builtin_catalogue,
        list_frameworks,
        load_catalogue,
        load_deflator,
        load_discount_schedule,
        load_framework,
        load_proposals,
        load_value_set,
    )
    from .io.yamlio import load_yaml

    globals().update(
        np=np,
        pd=pd,
        Scorecard=Scorecard,
        score=score,
        compile_budget=compile_budget,
        load_crosswalk=load_crosswalk,
        csv_text=csv_text,
        display_name=display_name,
        write_text_atomic=write_text_atomic,
        builtin_catalogue=builtin_catalogue,
        list_frameworks=list_frameworks,
        load_catalogue=load_catalogue,
        load_deflator=load_deflator,
        load_discount_schedule=load_discount_schedule,
        load_framework=load_framework,
        load_proposals=load_proposals,
        load_value_set=load_value_set,
        load_yaml=load_yaml,
    )


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
    from .model.text import in_language
    from .views.report import framework_settings

    framework = load_framework(args.framework)
    language = args.language
    out.write(
        f"{in_language(framework.name, language)} ({framework.id}, version {framework.version})\n"
    )
    out.write(f"Jurisdiction: {framework.jurisdiction}\n")
    if language and language != "en":
        from .views.i18n import language_name, written_in

        missing = [d for d in framework.domains if not written_in(d.name, language)]
        if missing:
            out.write(
                f"Note: the framework gives no {language_name(language)} ({language}) name for "
                f"{len(missing)} of {len(framework.domains)} domains; they are shown as "
                "written, and nothing is translated by this library.\n"
            )
    source = framework.source
    out.write(f"Source: {source.title}" + (f" <{source.url}>" if source.url else "") + "\n")
    out.write("\nSettings:\n")
    for setting in framework_settings(framework, language=language):
        cited = setting.source
        where = ""
        if cited is not None:
            where = f" [{cited.title}" + (f" <{cited.url}>" if cited.url else "") + "]"
        out.write(f"  {setting.label}: {setting.text}{where}\n")
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
        label = [
            f"{domain.id} ({in_language(domain.name, language)})",
            domain.pillar.value,
            f"{domain.weight:g}",
        ]
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
    if "values" in data and "currency" in data:
        return "value set"
    if "index" in data:
        return "deflator"
    return "unknown"


_TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm")


def _validate_file(path: Path, args: argparse.Namespace) -> tuple[str, list[Problem]]:
    """The file's kind and its problems (empty when valid)."""
    if path.suffix.lower() in _TABLE_SUFFIXES:
        return _validate_table(path, args)
    try:
        doc = load_yaml(path)
    except ValidationError as exc:
        return "file", list(exc.problems)
    kind = _kind_of(doc.data)
    loaders: dict[str, Callable[[Path], object]] = {
        "framework": load_framework,
        "catalogue": load_catalogue,
        "proposals": lambda p: _check_proposals(load_proposals(p), args),
        "discount schedule": load_discount_schedule,
        "crosswalk": load_crosswalk,
        "value set": load_value_set,
        "deflator": load_deflator,
    }
    loader = loaders.get(kind)
    if loader is None:
        message = (
            "not a framework ('domains' or 'extends'), an indicator catalogue ('indicators'), "
            "a proposals file ('proposals'), a discount schedule ('kind'), a value set "
            "('values' and 'currency') nor a deflator ('index')"
        )
        return kind, [doc.problem((), message)]
    return kind, _problems_of(lambda: loader(path), path)


def _problems_of(action: Callable[[], object], path: Path) -> list[Problem]:
    try:
        action()
    except ValidationError as exc:
        problems = list(exc.problems)
        if exc.more:
            problems.append(Problem(f"... and {exc.more:,} more problems", (), display_name(path)))
        return problems
    except WellbeingBudgetError as exc:
        name, message = display_name(path), str(exc)
        for prefix in (f"{name}: ", f"{path}: "):  # the problem names the file once
            message = message.removeprefix(prefix)
        return [Problem(message, (), name)]
    return []


def _check_proposals(proposals: Any, args: argparse.Namespace) -> None:
    """Proposals checked against ``--framework`` when given: indicators, units, currency,
    groups and timing can only be checked against one."""
    if args.framework:
        compile_budget(load_framework(args.framework), proposals)


def _table_columns(path: Path, args: argparse.Namespace) -> set[str]:
    if path.suffix.lower() != ".csv":
        return set()
    # Publishers' files come in UTF-8 or Latin-1 (UNDP's): the header decides the layout
    for encoding in ("utf-8-sig", "latin-1"):
        try:
            with path.open(encoding=encoding, newline="") as handle:
                first = next(csv.reader(handle, delimiter=_separator(args)), [])
        except UnicodeDecodeError:
            continue
        except (OSError, csv.Error):
            return set()
        return {cell.strip() for cell in first}
    return set()  # pragma: no cover - every byte string decodes as Latin-1


def _separator(args: argparse.Namespace) -> str:
    return str(args.sep) if args.sep else (";" if args.decimal == "," else ",")


NOT_COMMA_SEPARATED = (
    "indicator data are read as published, separated by ',' with decimal points "
    "(--decimal and --sep are for proposal tables): save it so, as CSV UTF-8"
)


def _validate_indicator_data(
    path: Path, layout: Any, args: argparse.Namespace
) -> tuple[str, list[Problem]]:
    """Indicator data read by the reader of its layout (a publisher's or tidy): values,
    years and repeated observations checked; with ``--framework`` also its indicators,
    units and groups."""
    options = dict(layout.options)
    kind = f"indicator data in the {layout.name} layout" + _read_as(options)
    if not args.framework:
        return kind, _problems_of(lambda: layout.read(path, **options), path)

    def check() -> None:
        framework = load_framework(args.framework)
        plain = options.get("sep", ",") == "," and options.get("decimal", ".") == "."
        if layout.name == "tidy" and plain:
            framework.status(path)  # the file itself: problems keep their lines
            return
        tidy = layout.read(path, **options)
        if layout.name == "tidy":  # its numbers read with its separator and decimal mark
            _located(lambda: framework.status(tidy), path)
            return
        # A publisher's file holds many more series than one framework measures: those it
        # measures are checked, and at least one must be there.
        measured = {i.id for i in framework.indicators}
        measured |= {code for i in framework.indicators for code in i.codes}
        if not tidy["indicator"].isin(measured).any():
            raise WellbeingBudgetError(
                f"none of the {tidy['indicator'].nunique()} indicators of the file is measured "
                f"by {framework.id!r}"
            )
        kept = ("jurisdiction", "group", "indicator", "year", "value", "unit")
        chosen = tidy[[c for c in kept if c in tidy.columns]]
        _located(lambda: framework.status(chosen, unknown="ignore"), path)

    return kind, _problems_of(check, path)


def _located(action: Callable[[], object], path: Path) -> None:
    """Run ``action`` on data read from ``path``: its problems name that file."""
    try:
        action()
    except ValidationError as exc:
        name = display_name(path)
        located = [
            replace(p, file=name) if p.file == "<indicator data>" else p for p in exc.problems
        ]
        raise ValidationError(located, more=exc.more) from None


def _read_as(options: dict[str, Any]) -> str:
    """How a table was read, when not as a plain CSV: the sheet, separator or decimal mark."""
    said = []
    if "sheet" in options:
        said.append(f"sheet {options['sheet']!r}")
    if options.get("sep", ",") != ",":
        said.append(
            "separated by tabs" if options["sep"] == "\t" else f"separated by {options['sep']!r}"
        )
    if options.get("decimal", ".") != ".":
        said.append("decimal comma")
    return f", {', '.join(said)}" if said else ""


def _validate_table(path: Path, args: argparse.Namespace) -> tuple[str, list[Problem]]:
    from .io.readers import recognise_file

    # the separator actually used decides, and a workbook is looked into sheet by sheet
    layout = recognise_file(path, sep=args.sep, decimal=args.decimal)
    if layout is not None:
        return _validate_indicator_data(path, layout, args)
    columns = _table_columns(path, args)
    if "limit" in columns and "proposal" not in columns:

        def limits() -> None:
            from .io.limits import load_limits

            load_limits(path)

        return "money limits", _problems_of(limits, path)
    if columns and columns <= {"proposal", "year", "amount", "kind", "note"}:
        return "costs table", [
            Problem(
                "a costs table is checked with its impacts: wellbeing-budget validate "
                f"IMPACTS --costs {display_name(path)}",
                (),
                display_name(path),
            )
        ]

    def load() -> None:
        proposals = load_proposals(path, args.costs, decimal=args.decimal, sep=args.sep)
        _check_proposals(proposals, args)

    return "proposals table", _problems_of(load, path)


def _collect(paths: Sequence[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix.lower() in (".yaml", ".yml", *_TABLE_SUFFIXES)
                )
            )
        else:
            files.append(path)
    return files


def _cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    files = _collect(args.paths)
    if not files:
        out.write("no YAML, CSV or Excel files found\n")
        return 1
    failed = 0
    for path in files:
        kind, problems = _validate_file(path, args)
        if problems:
            failed += 1
            for problem in problems:
                out.write(f"{problem}\n")
        elif not args.quiet:
            checked = "propos" in kind or "indicator data" in kind
            against = f" against {args.framework}" if args.framework and checked else ""
            out.write(f"ok  {display_name(path)} ({kind}{against})\n")
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
    proposals = load_proposals(
        args.proposals,
        args.costs,
        decimal=getattr(args, "decimal", "."),
        sep=getattr(args, "sep", None),
    )
    if _costs_missing(args, proposals) and not getattr(args, "no_costs", False):
        bar.done()
        sys.stderr.write(
            "warning: no costs given: net cost and cost-effectiveness are blank "
            "(give --costs, a 'costs' sheet, or --no-costs to silence this)\n"
        )
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


_MONEY_COLUMNS = ("cost_npv", "fiscal_npv", "net_cost_npv", "ce_current", "ce_future")


def _costs_missing(args: argparse.Namespace, proposals: Any) -> bool:
    """A table of impacts read without any costs: its net costs would show as 0."""
    if Path(str(args.proposals)).suffix.lower() in (".yaml", ".yml"):
        return False
    return args.costs is None and not any(p.costs or p.fiscal_effects for p in proposals)


def _summary(card: Scorecard, sort_by: str, blank_money: bool) -> pd.DataFrame:
    summary = card.summary(sort_by=sort_by)
    if blank_money:
        summary[list(_MONEY_COLUMNS)] = float("nan")
    return summary


def _summary_table(
    card: Scorecard, sort_by: str, blank_money: bool = False
) -> tuple[list[list[str]], list[str]]:
    summary = _summary(card, sort_by, blank_money)
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
            _maybe(row.net_cost_npv / 1e6),
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
    blank = _costs_missing(args, card.proposals)
    if args.format == "csv":
        text = csv_text(_summary(card, args.sort, blank))
    elif args.format == "json":
        text = card.to_json()
        if blank:
            document = json.loads(text)
            for entry in document["proposals"]:
                entry.update(dict.fromkeys(_MONEY_COLUMNS))
            text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    else:
        rows, header = _summary_table(card, args.sort, blank)
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
    return _write(text, args, out)


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
        n_links = len(scored.links)
        out.write(f"  {target}: {how} ({n_links} link{'' if n_links == 1 else 's'}){credit}\n")
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
            value = rho[b][a]
            shown = f"{value:.3f}" if value == value else "- (the ranks do not vary)"  # nan
            out.write(f"  {a} vs {b}: {shown}\n")
    out.write("\nPillar balance (share of the effect-years each framework counts):\n")
    for f, row in _cells(result.pillar_balance().T).items():
        parts = ", ".join(f"{p} {v:.0%}" for p, v in row.items() if v == v)  # nan: nothing counted
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


# -- index ----------------------------------------------------------------------------------------

_READERS = ("auto", "tidy", "undp", "oecd", "sdr")
SDG_INDEX = "sdg-index"  # the FRAMEWORK that builds the SDSN method from the SDR codebook


def _detect_reader(path: Path) -> str:
    """The publisher's format of a data file, from its header (or, for a workbook, SDR)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return "sdr"
    # ASCII column names are all that is looked for: Latin-1 bytes elsewhere are harmless
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        first = next(csv.reader(handle), [])
    header = {c.strip() for c in first}
    if len(first) == 1 and ";" in first[0]:  # a spreadsheet saved with decimal commas
        raise WellbeingBudgetError(
            f"{display_name(path)}:1: cells separated by ';': "
            + NOT_COMMA_SEPARATED.replace(" (--decimal and --sep are for proposal tables)", "")
        )
    if {"jurisdiction", "indicator", "value"} <= header:
        return "tidy"
    if {"iso3", "country"} <= header:
        return "undp"
    if {"LOCATION", "INDICATOR", "Value"} <= header:
        return "oecd"
    if "Regions used for the SDR" in header:
        return "sdr"
    raise WellbeingBudgetError(
        f"{display_name(path)}: cannot tell the format from its columns; give --reader "
        "tidy (jurisdiction, indicator, year, value), undp, oecd or sdr"
    )


def _index_inputs(args: argparse.Namespace) -> tuple[Any, Any, str]:
    """The framework, the tidy data and the reader used, as the options say."""
    from .analysis.monitoring import _read as _read_indicator_data
    from .io.readers import read_oecd, read_sdr, read_undp, sdg_index_framework

    path = Path(args.data)
    if not path.is_file():
        raise WellbeingBudgetError(f"no data file {display_name(path)}")
    reader = _detect_reader(path) if args.reader == "auto" else args.reader
    if args.framework == SDG_INDEX and reader != "sdr":
        raise WellbeingBudgetError(f"{SDG_INDEX} reads the SDR database: give --reader sdr")
    if args.values != "raw" and reader != "sdr":
        raise WellbeingBudgetError("--values normalised is for the SDR database (--reader sdr)")
    sdr = None
    data: Any
    if reader == "undp":
        data = read_undp(path, years=None if args.year is None else [args.year])
    elif reader == "oecd":
        data = read_oecd(path, year=args.year)
    elif reader == "sdr":
        sdr = read_sdr(path, values=args.values)
        data = sdr.data
    else:
        data = path
        if args.year is not None:  # read here to keep that year's rows, under its name
            data, source, lines = _read_indicator_data(path)
            data.attrs["source"] = source
            data.attrs["lines"] = None if lines is None else tuple(lines.tolist())
    if args.framework == SDG_INDEX:
        codebook = args.codebook or (path if path.suffix.lower() in (".xlsx", ".xlsm") else None)
        if codebook is None:
            raise WellbeingBudgetError(
                f"{SDG_INDEX} needs the SDR codebook: --codebook PATH (the workbook's "
                "'Codebook' sheet, or the workbook itself)"
            )
        framework = sdg_index_framework(codebook, sdr, values=args.values)
    else:
        if args.codebook:
            raise WellbeingBudgetError(f"--codebook is for the framework {SDG_INDEX}")
        framework = load_framework(args.framework)
    if args.year is not None:
        assert isinstance(data, pd.DataFrame)
        if "year" in data.columns:
            years = sorted({int(y) for y in pd.to_numeric(data["year"], errors="coerce").dropna()})
            if args.year not in years:
                shown = ", ".join(str(y) for y in years[-8:]) or "none"
                raise WellbeingBudgetError(
                    f"no data for {args.year} in {display_name(path)} (years: {shown})"
                )
            kept = dict(data.attrs)  # the file's name, for the problems
            data = data[pd.to_numeric(data["year"], errors="coerce") == args.year]
            data.attrs.update(kept)
    return framework, data, reader


def _cmd_index(args: argparse.Namespace, out: TextIO) -> int:
    if args.output and Path(args.output).suffix.lower() not in (".csv", ".xlsx", ".json"):
        # said before reading the data and computing the index, not after
        raise WellbeingBudgetError(
            f"-o {args.output}: write .csv, .xlsx or .json (the suffix says which)"
        )
    options = {} if args.missing is None else {"missing": args.missing}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        framework, data, reader = _index_inputs(args)
        result = framework.index(data, **options)
    for message in dict.fromkeys(str(w.message) for w in caught):
        sys.stderr.write(f"warning: {message}\n")
    index = result[result["level"] == "index"]
    log = result.attrs["log"]
    if args.output:
        target = Path(args.output)
        kind = target.suffix.lower()
        entries = pd.DataFrame(log, columns=["jurisdiction", "year", "id", "action", "detail"])
        if kind == ".csv":
            write_text_atomic(target, csv_text(result, index=False))
        elif kind == ".json":
            document = {
                "framework": framework.id,
                "index": str(index["id"].iloc[0]) if len(index) else None,
                "rows": json.loads(result.to_json(orient="records", double_precision=15)),
                "log": json.loads(entries.to_json(orient="records", double_precision=15)),
                "effective_weights": result.attrs["effective_weights"],
            }
            text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
            write_text_atomic(target, text)
        elif kind == ".xlsx":
            from .views.exports import write_sheets

            write_sheets({"index": _ranked(index), "all levels": result, "log": entries}, target)
        else:  # pragma: no cover - refused above
            raise AssertionError(kind)
    name = str(index["id"].iloc[0]) if len(index) else framework.id
    years = sorted(int(y) for y in index["year"].unique())
    out.write(
        f"{name} ({framework.id}), read as {reader}: {index['jurisdiction'].nunique()} "
        f"jurisdictions, {'year' if len(years) == 1 else 'years'} "
        f"{', '.join(str(y) for y in years)}.\n"
    )
    if framework.index_spec is None:  # not the publisher's index: say whose method it is
        out.write(
            f"{framework.id} declares no index method (no index: section): min-max and "
            "arithmetic means, the library's default, not a published index.\n"
        )
    out.write("\n")
    ranked = _ranked(index)
    spec = framework.index_spec
    digits = spec.rank_round if spec is not None else None  # shown as ranked
    several = len(years) > 1
    rows = [
        ([str(r["year"])] if several else [])
        + ["-" if pd.isna(r["rank"]) else str(r["rank"]), str(r["jurisdiction"])]
        + [f"{r['score']:.{digits}f}" if digits is not None else f"{r['score']:.6g}"]
        for r in ranked.to_dict("records")
    ]
    _print_table(rows, (["year"] if several else []) + ["rank", "jurisdiction", "score"], out)
    counts: dict[str, int] = {}
    for entry in log:
        counts[entry["action"]] = counts.get(entry["action"], 0) + 1
    out.write("\nBuild log: ")
    out.write(
        ", ".join(f"{n} {action}" for action, n in sorted(counts.items()))
        or "nothing imputed, treated, clipped or dropped"
    )
    out.write(" (cells; every entry in the -o file).\n" if counts else ".\n")
    dropped = result.attrs["dropped"]
    if dropped:
        listed = ", ".join(f"{j} {y}" for j, y in dropped[:10])
        more = f" and {len(dropped) - 10} more" if len(dropped) > 10 else ""
        out.write(f"No index value (missing rule) for: {listed}{more}.\n")
    if args.output:
        out.write(f"wrote {args.output}\n")
    return 0


def _ranked(index: pd.DataFrame) -> pd.DataFrame:
    """The index rows, latest year first, by rank; unranked rows (aggregates) last."""
    columns = ["year", "rank", "jurisdiction", "score"]
    frame = index[columns].copy()
    frame["_unranked"] = frame["rank"].isna()
    frame = frame.sort_values(
        ["year", "_unranked", "rank", "jurisdiction"], ascending=[False, True, True, True]
    )
    return frame[columns].reset_index(drop=True)


# -- dashboard and demo ----------------------------------------------------------------------


def _cmd_dashboard(args: argparse.Namespace, out: TextIO) -> int:
    progress = Progress()
    card = _score(args, progress)
    progress.stage("writing the report")
    card.to_html(args.output, title=args.title, language=args.language)
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


# -- deciding: simulate, sensitivity, portfolio --------------------------------------------------


def _write(text: str, args: argparse.Namespace, out: TextIO) -> int:
    if getattr(args, "output", None):
        write_text_atomic(args.output, text)
        out.write(f"wrote {args.output}\n")
    else:
        out.write(text)
    return 0


def _cmd_simulate(args: argparse.Namespace, out: TextIO) -> int:
    card = _score(args)
    sim = card.simulate(
        draws=args.draws, seed=args.seed, discount=args.discount or (), rank_by=args.rank_by
    )
    table = sim.summary()
    if args.format == "csv":
        return _write(csv_text(table), args, out)
    rows = [
        [
            str(pid),
            _figure(row.current_total),
            f"{_figure(row.current_total_p5)} – {_figure(row.current_total_p95)}",
            _figure(row.future_total),
            f"{_figure(row.future_total_p5)} – {_figure(row.future_total_p95)}",
            f"{row.p_first:.0%}",
        ]
        for pid, row in table.sort_values("current_total", ascending=False).iterrows()
    ]
    buffer = io.StringIO()
    buffer.write(
        f"{args.draws:,} draws, seed {args.seed}: effects by evidence strength, judgement "
        "scales, values, domain weights and costs"
        + (f"; discount schedules: scored, {', '.join(args.discount)}" if args.discount else "")
        + ".\n\n"
    )
    header = ["proposal", "current", "current 5–95%", "future", "future 5–95%", "P(first)"]
    _print_table(rows, header, buffer)
    return _write(buffer.getvalue(), args, out)


def _cmd_sensitivity(args: argparse.Namespace, out: TextIO) -> int:
    card = _score(args)
    from .analysis.sensitivity import DISCOUNT_TESTS

    sens = card.sensitivity(metric=args.metric, discount=args.discount or DISCOUNT_TESTS)
    table = sens.tornado(args.proposal)
    if args.format == "csv":
        return _write(csv_text(table, index=False), args, out)
    focus = args.proposal or str(card.summary()[args.metric].idxmax())
    buffer = io.StringIO()
    buffer.write(
        f"{args.metric} of {focus}, one input at a time (weights and judgement scales x0.5 and "
        "x2, values low and high, each discount schedule for money and wellbeing alike):\n\n"
    )
    rows = [
        [str(r.input), _figure(r.low), _figure(r.base), _figure(r.high), _figure(r.swing)]
        for r in table.itertuples()
    ]
    _print_table(rows, ["input", "low", "scored", "high", "swing"], buffer)
    if args.versus:
        buffer.write(f"\nWhat would swap {focus} and {args.versus}:\n\n")
        points = sens.switch_points(focus, args.versus)
        _print_table(
            [[str(r.input), str(r.change)] for r in points.itertuples()],
            ["input", "change"],
            buffer,
        )
    return _write(buffer.getvalue(), args, out)


def _cmd_portfolio(args: argparse.Namespace, out: TextIO) -> int:
    from .io.limits import load_limits

    card = _score(args)
    limits: list[Any] = list(args.limit or [])
    if args.limits:
        limits += load_limits(args.limits)
    if not limits:
        raise WellbeingBudgetError("give --limit '1.9 billion NZD' or --limits limits.csv")
    shares = {}
    for item in args.min_share or []:
        key, _, value = item.partition("=")
        try:
            shares[key] = float(value)
        except ValueError:
            raise WellbeingBudgetError(
                f"--min-share takes KIND:ID=SHARE (pillar:people=0.3), got {item!r}"
            ) from None
    missions = {}
    for item in args.mission or []:
        name, _, members = item.partition("=")
        missions[name] = [m.strip() for m in members.split(",") if m.strip()]
    package = card.choose(
        limits=limits,
        objective=args.objective,
        must_fund=args.must or (),
        exclusive=[group.split(",") for group in args.exclusive or []],
        scalable=args.scalable or (),
        min_share=shares,
        missions=missions,
    )
    if args.format == "csv":
        return _write(csv_text(package.chosen), args, out)
    buffer = io.StringIO()
    state = "proven optimal" if package.optimal else f"NOT proven optimal ({package.status})"
    buffer.write(
        f"Package maximising {args.objective}: {len(package.chosen)} of {len(card)} proposals, "
        f"objective {package.objective:.6g} ({state}).\n\n"
    )
    _print_table(
        [
            [str(pid), f"{row.share:.0%}", _figure(row.objective)]
            for pid, row in package.chosen.iterrows()
        ],
        ["funded", "share", "objective"],
        buffer,
    )
    buffer.write(f"\nLimits ({card.currency}):\n\n")
    _print_table(
        [
            [
                str(r.limit),
                _figure(r.amount),
                _figure(r.used),
                _figure(r.slack),
                "yes" if r.binding else "",
            ]
            for r in package.limits.itertuples()
        ],
        ["limit", "amount", "used", "slack", "binding"],
        buffer,
    )
    if len(package.excluded):
        buffer.write("\nLeft out:\n\n")
        _print_table(
            [[str(r.proposal), str(r.reason)] for r in package.excluded.itertuples()],
            ["proposal", "why"],
            buffer,
        )
    return _write(buffer.getvalue(), args, out)


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

    p = sub.add_parser(
        "show", help="show a framework's settings (what it assumes), domains and indicators"
    )
    p.add_argument("framework", metavar="ID_OR_PATH", help="built-in id or YAML file")
    _language_argument(p)
    p.set_defaults(func=_cmd_show)

    p = sub.add_parser("indicators", help="list indicators: id, name, unit, direction, status")
    p.add_argument("--framework", metavar="ID_OR_PATH", help="only this framework's indicators")
    p.add_argument("--search", metavar="TEXT", help="words that id, name, codes or note contain")
    p.set_defaults(func=_cmd_indicators)

    p = sub.add_parser(
        "validate",
        help="check frameworks, proposals (YAML, CSV, Excel) and indicator data; exit 1 "
        "listing every problem",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="YAML, CSV or Excel files or folders")
    p.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    p.add_argument(
        "--framework",
        metavar="ID_OR_PATH",
        help="also check proposals and indicator data against this framework",
    )
    p.add_argument("--costs", metavar="PATH", help="costs table for a CSV of impacts")
    _table_arguments(p)
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("score", help="score proposals under a framework")
    _scoring_arguments(p)
    p.add_argument(
        "--format",
        choices=["table", "csv", "json"],
        default="table",
        help="a table to read, or CSV/JSON of every summary column (default: table)",
    )
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
    _table_arguments(p)
    p.add_argument(
        "--generation",
        choices=["current", "future"],
        default="current",
        help="the generation whose effect-years are ranked (default: current)",
    )
    p.add_argument("--min-spread", type=int, default=2, help="rank spread worth listing")
    p.add_argument(
        "--pillar-credit",
        action="store_true",
        help="also credit effects a framework cannot see through the domains or pillars they "
        "share (off by default: a framework scores what it measures)",
    )
    p.set_defaults(
        func=_cmd_compare,
        no_costs=True,  # compare ranks effect-years: no costs shown, none to warn of
        base_year=None,
        wellbeing_discount=None,
        money_discount=None,
        future_weight=None,
    )

    p = sub.add_parser(
        "index",
        help="a composite index (HDI, SDG Index, a framework's own) from indicator data, ranked",
    )
    p.add_argument(
        "framework",
        metavar="FRAMEWORK",
        help=f"built-in id or YAML file with an index: section, or {SDG_INDEX} (the SDSN "
        "method, built from the SDR codebook)",
    )
    p.add_argument(
        "data",
        metavar="DATA",
        help="indicator data: a tidy CSV (jurisdiction, indicator, year, value), UNDP's "
        "composite indices CSV, an OECD.Stat export or the SDR database",
    )
    p.add_argument("--year", type=int, help="only this year's data")
    p.add_argument(
        "--reader", choices=_READERS, default="auto", help="the data's format (default: from it)"
    )
    p.add_argument(
        "--values",
        choices=["raw", "normalised"],
        default="raw",
        help="SDR: the raw values or the SDSN's normalised scores",
    )
    p.add_argument("--codebook", metavar="PATH", help=f"SDR codebook (CSV) for {SDG_INDEX}")
    p.add_argument(
        "--missing",
        choices=["refuse", "renormalise", "drop"],
        help="replace the framework's missing rule at every level",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="also write every level and the build log: .csv, .xlsx or .json",
    )
    p.set_defaults(func=_cmd_index)

    p = sub.add_parser("dashboard", help="write the offline HTML report of scored proposals")
    _scoring_arguments(p)
    p.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        default="wellbeing-report.html",
        help="the report file (default: wellbeing-report.html)",
    )
    p.add_argument("--title", help="report title")
    _language_argument(p)
    p.set_defaults(func=_cmd_dashboard)

    p = sub.add_parser(
        "simulate", help="Monte Carlo: percentiles of every proposal's scores and P(first)"
    )
    _scoring_arguments(p)
    p.add_argument("--draws", type=int, default=10_000, help="Monte Carlo draws (default: 10000)")
    p.add_argument("--seed", type=int, default=0, help="random seed: same seed, same draws")
    p.add_argument(
        "--discount", action="append", metavar="NAME", help="also draw this discount schedule"
    )
    p.add_argument("--rank-by", default="current_total", help="figure ranked for P(first)")
    p.add_argument("--format", choices=["table", "csv"], default="table", help="(default: table)")
    p.add_argument("-o", "--output", metavar="PATH", help="write to a file instead")
    p.set_defaults(func=_cmd_simulate)

    p = sub.add_parser(
        "sensitivity", help="one input at a time: tornado table and what would swap two bids"
    )
    _scoring_arguments(p)
    p.add_argument("--metric", default="current_total", help="current_total, future_total...")
    p.add_argument("--proposal", help="the proposal of the tornado (default: the top one)")
    p.add_argument("--versus", metavar="ID", help="also show what would swap it with this one")
    p.add_argument(
        "--discount",
        action="append",
        metavar="NAME",
        help="schedules to try (default: NZ 8%% test and the Green Book's)",
    )
    p.add_argument("--format", choices=["table", "csv"], default="table", help="(default: table)")
    p.add_argument("-o", "--output", metavar="PATH", help="write to a file instead")
    p.set_defaults(func=_cmd_sensitivity)

    p = sub.add_parser("portfolio", help="the best package of proposals within money limits")
    _scoring_arguments(p)
    p.add_argument(
        "--limit",
        action="append",
        metavar="MONEY",
        help="total costs in every year, e.g. '1.9 billion NZD'",
    )
    p.add_argument("--limits", metavar="PATH", help="CSV of limits: limit, year, kind")
    p.add_argument("--objective", default="current", help="current, future, benefit_npv, combined")
    p.add_argument("--must", action="append", metavar="ID", help="a bid that must be funded")
    p.add_argument("--exclusive", action="append", metavar="A,B", help="at most one of these")
    p.add_argument("--scalable", action="append", metavar="ID", help="may be funded in part")
    p.add_argument(
        "--min-share",
        action="append",
        metavar="KIND:ID=SHARE",
        help="a minimum share of the package's effect-years (pillar:people=0.4, "
        "domain:health=0.1, group:ID=0.2)",
    )
    p.add_argument("--mission", action="append", metavar="NAME=A,B,C", help="funded as one")
    p.add_argument("--format", choices=["table", "csv"], default="table", help="(default: table)")
    p.add_argument("-o", "--output", metavar="PATH", help="write to a file instead")
    p.set_defaults(func=_cmd_portfolio)

    p = sub.add_parser("demo", help="score the bundled NZ 2019 example and write its report here")
    p.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        default="wellbeing-report.html",
        help="the report file (default: wellbeing-report.html)",
    )
    p.set_defaults(func=_cmd_demo)
    return parser


def _table_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--decimal",
        choices=[".", ","],
        default=".",
        help="decimal mark of the numbers in CSV/Excel tables (',' for Danish files)",
    )
    p.add_argument(
        "--sep", metavar="CHAR", help="CSV cell separator (default ',', or ';' with --decimal ,)"
    )


def _language_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--language",
        metavar="CODE",
        help="names in this language where the framework gives them (en, da, mi...); the "
        "report's own words exist in English and Danish",
    )


def _scoring_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("proposals", metavar="PROPOSALS", help="proposals: .yaml, .csv or .xlsx")
    p.add_argument(
        "--framework",
        required=True,
        metavar="ID_OR_PATH",
        help="built-in id (wellbeing-budget frameworks lists them) or YAML file",
    )
    p.add_argument("--costs", metavar="PATH", help="costs table for a CSV of impacts")
    p.add_argument(
        "--no-costs",
        action="store_true",
        help="score a table of impacts without costs, without the warning",
    )
    _table_arguments(p)
    p.add_argument(
        "--base-year", type=int, help="year 0 (default: the earliest year of the proposals)"
    )
    p.add_argument("--wellbeing-discount", metavar="NAME", help="named discount schedule")
    p.add_argument("--money-discount", metavar="NAME", help="named discount schedule")
    p.add_argument("--future-weight", type=float, help="also show current + weight x future")


def _plain_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """A warning on the command line is one plain line, not Python's source excerpt."""
    sys.stderr.write(f"warning: {message}\n")


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit status."""
    stream = out or sys.stdout
    args = _parser().parse_args(argv)
    _import_library()
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _plain_warning
            status: int = args.func(args, stream)
    except ValidationError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    except WellbeingBudgetError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    except BrokenPipeError:  # output piped into `head`: a subclass of OSError, so first
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:  # a file named on the command line cannot be read or written
        name = f" {exc.filename}" if exc.filename else ""
        sys.stderr.write(f"error: cannot use{name}: {exc.strerror or exc}\n")
        return 1
    except KeyboardInterrupt:  # pragma: no cover - interactive
        return 130
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
