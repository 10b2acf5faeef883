"""Composite indices of indicator levels over jurisdictions and years: the tidy data in, the
framework's method (or the one asked for) applied by the array kernels of
:mod:`wellbeing_budget.engine.indices`, a labelled table out."""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..engine.indices import (
    aggregate,
    constant_columns,
    impute,
    interpolate_years,
    last_value,
    normalise,
    winsorise,
)
from ..errors import Problem, ValidationError, WellbeingBudgetError, did_you_mean
from ..model.framework import (
    OVER_YEARS,
    AggregateMethod,
    IndexSpec,
    LevelRule,
    NormaliseMethod,
    Treatment,
)
from .monitoring import _read, tidy_indicator_data

if TYPE_CHECKING:
    from ..model.framework import Framework

__all__ = ["compute_index", "index_uncertainty"]

Array = NDArray[np.float64]


# -- the index ---------------------------------------------------------------------------------


@dataclass
class _Tree:
    """The aggregation tree, bottom up: ``steps[k]`` lists (parent id, member positions in the
    level below, member weights) for aggregation step ``k``; level 0 is the indicators."""

    level_names: list[str]
    ids: list[list[str]]
    steps: list[list[tuple[str, list[int], NDArray[np.float64]]]]


def _tree(framework: Framework, spec: IndexSpec | None) -> _Tree:
    domains = [d for d in framework.domains if d.indicators]
    indicators = [ref.id for d in domains for ref in d.indicators]
    where = {i: n for n, i in enumerate(indicators)}
    step1 = [
        (d.id, [where[r.id] for r in d.indicators], np.array([r.weight for r in d.indicators]))
        for d in domains
    ]
    names, ids, steps = ["indicator", "domain"], [indicators, [d.id for d in domains]], [step1]
    weight = {d.id: d.weight for d in domains}
    nodes = list(spec.nodes) if spec else []
    below = [d.id for d in domains]
    placed = set(below)
    while nodes:
        ready = [n for n in nodes if all(m.id in placed for m in n.members)]
        level = [n for n in ready if all(m.id in below for m in n.members)]
        if not level:
            names_left = ", ".join(n.id for n in nodes)
            raise WellbeingBudgetError(
                f"index nodes {names_left} mix members of different levels or name unknown "
                f"members (known: {', '.join(sorted(placed))})"
            )
        pos = {x: k for k, x in enumerate(below)}
        steps.append(
            [
                (n.id, [pos[m.id] for m in n.members], np.array([m.weight for m in n.members]))
                for n in level
            ]
        )
        for n in level:
            for m in n.members:
                weight[m.id] = m.weight
        names.append("node")
        below = [n.id for n in level]
        ids.append(below)
        placed |= set(below)
        nodes = [n for n in nodes if n not in level]
    nodes_by_id = {n.id: n for n in (spec.nodes if spec else ())}
    members = list(range(len(below)))
    top_weights = np.array(
        [nodes_by_id[x].weight if x in nodes_by_id else weight[x] for x in below]
    )
    steps.append([("index", members, top_weights)])
    names.append("index")
    ids.append([spec.name if spec else framework.id])
    return _Tree(names, ids, steps)


def _rule(
    spec: IndexSpec | None, step: int, n_steps: int, parent: str, overrides: dict[str, Any]
) -> LevelRule:
    """The rule for a node's members: the node's own (``rules``), else its level's
    (``levels``), else the spec's two-level settings; a keyword given to ``compute_index``
    replaces that one setting everywhere."""
    if spec is not None and spec.levels and len(spec.levels) != n_steps:
        raise WellbeingBudgetError(
            f"the index has {n_steps} aggregation levels but declares {len(spec.levels)} "
            "level rules"
        )
    if spec is None:
        base = LevelRule()
    elif parent in spec.rules:
        base = spec.rules[parent]
    elif spec.levels:
        base = spec.levels[step]
    else:
        method = spec.aggregate_indicators if step == 0 else spec.aggregate_domains
        base = LevelRule(aggregate=method, missing=spec.missing)
    update: dict[str, Any] = {}
    key = "aggregate_indicators" if step == 0 else "aggregate_domains"
    if key in overrides:
        update["aggregate"] = overrides[key]
        if overrides[key] != "power":
            update["power"] = None
    if "missing" in overrides:
        update["missing"] = overrides["missing"]
    return base.model_copy(update=update) if update else base


def compute_index(
    framework: Framework,
    data: pd.DataFrame | str | os.PathLike[str],
    *,
    normalise_with: NormaliseMethod | None = None,
    aggregate_indicators: AggregateMethod | None = None,
    aggregate_domains: AggregateMethod | None = None,
    missing: str | None = None,
    group: str | None = None,
    regions: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The framework's composite index for each jurisdiction and year in ``data``.

    Uses the framework's declared method (``framework.index``), or equal-weight min-max and
    arithmetic means when it declares none; each keyword overrides one step (an aggregation
    or ``missing`` keyword replaces that one setting at every level it concerns). Returns a
    tidy table with a row per jurisdiction, year and element: ``level`` is ``index``,
    ``node`` (levels above the domains), ``domain`` or ``indicator``; ``value`` is the raw
    indicator value, ``score`` the normalised value or the aggregate, and ``rank`` the rank
    among jurisdictions that year (1 = best; ties share the best rank; on values rounded to
    ``rank_round`` decimals if declared; aggregates are not ranked).

    Data are refused, every case listed, where two rows observe the same jurisdiction,
    indicator, year and group; where a value lies outside a log goalpost's domain (zero or
    less); and where rows break an indicator down by group with no ``all`` total among them,
    unless ``group=`` names the group to index. A constant indicator (every jurisdiction equal
    in a year) gives no relative score: it is missing, with a warning. Regions (for group-mean
    imputation) come from the index spec, a ``region`` column of the data, or ``regions=``.

    ``result.attrs["log"]`` lists every cell that was imputed, filled from an earlier year,
    treated, clipped, not applicable or dropped; ``attrs["effective_weights"]`` the weight
    each indicator carries in the index.
    """
    spec = framework.index_spec
    overrides: dict[str, Any] = {
        k: v
        for k, v in (
            ("aggregate_indicators", aggregate_indicators),
            ("aggregate_domains", aggregate_domains),
            ("missing", missing),
        )
        if v is not None
    }
    if missing is not None and missing not in ("refuse", "renormalise", "drop"):
        raise WellbeingBudgetError("missing is 'refuse', 'renormalise' or 'drop'")
    frame, name, _ = _read(data)
    frame, region_column = _split_regions(frame, name)
    tree = _tree(framework, spec)
    ids = tree.ids[0]
    by_id = {i.id: i for i in framework.indicators}
    # a path is passed on as such, so that problems name the file
    source = data if region_column is None else frame
    tidy = tidy_indicator_data(framework, source, unknown="ignore")
    if tidy.empty:
        raise WellbeingBudgetError(f"no data for the indicators of {framework.id!r}")
    tidy = _one_group(tidy, group)
    units = sorted(tidy["jurisdiction"].unique())
    years = sorted(int(y) for y in tidy["year"].unique())
    u = tidy["jurisdiction"].map({k: n for n, k in enumerate(units)}).to_numpy()
    t = tidy["year"].map({k: n for n, k in enumerate(years)}).to_numpy()
    i = tidy["indicator"].map({k: n for n, k in enumerate(ids)}).to_numpy()
    raw = np.full((len(units), len(years), len(ids)), np.nan)
    raw[u, t, i] = tidy["value"].to_numpy(dtype=np.float64)
    log: list[dict[str, Any]] = []

    if spec is not None and spec.interpolate:
        raw = _interpolate(raw, years, units, ids, log)
    if spec is not None and spec.latest_within is not None:
        windows = spec.latest_within
        window = np.array(
            [windows.get(x, -1) if isinstance(windows, dict) else windows for x in ids]
        )
        raw = _latest_within(raw, years, window, units, ids, log)
    not_applicable = spec.not_applicable if spec else {}
    n_steps = len(tree.steps)
    # an over-the-years imputation declared for the first level fills the indicators' values
    # before normalising, as latest_within does: a relative normalisation then sees the value
    for parent, members, _ in tree.steps[0]:
        rule = _rule(spec, 0, n_steps, parent, overrides)
        if rule.impute in OVER_YEARS:
            names = [ids[m] for m in members]
            blocked = _blocked(not_applicable, units, names, parent)
            raw[:, :, members] = _fill_over_years(
                raw[:, :, members], rule, years, units, names, parent, blocked, log
            )
    has_any = ~np.isnan(raw).all(axis=2)
    group_of = {**(spec.regions if spec else {}), **(region_column or {}), **(regions or {})}
    region_names = sorted(set(group_of.values()))
    groups = np.array(
        [region_names.index(group_of[x]) if x in group_of else -1 for x in units], dtype=np.int64
    )
    _check_not_applicable(not_applicable, tree, units)
    for k, ident in enumerate(ids):
        for a, unit in enumerate(units):
            if unit in not_applicable.get(ident, ()):
                raw[a, :, k] = np.nan
                _note(
                    log,
                    unit,
                    None,
                    ident,
                    "not applicable",
                    "",
                )
    reported = raw
    if spec is not None and spec.treat is not None:
        # the value reported stays the one given (or filled); the treatment is in the log
        reported = raw.copy()
        raw = _treat(raw, spec.treat, units, years, ids, log)

    higher = np.array([by_id[x].direction.kind != "lower_is_better" for x in ids])
    default = normalise_with or (spec.normalise if spec else "minmax")
    per = {
        x: (spec.normalise_indicators.get(x, default) if spec and not normalise_with else default)
        for x in ids
    }
    posts = None
    if "goalposts" in per.values():
        if spec is None or not spec.goalposts:
            raise WellbeingBudgetError(f"{framework.id!r} declares no goalposts")
        lacking = [x for x in ids if per[x] == "goalposts" and x not in spec.goalposts]
        if lacking:
            raise WellbeingBudgetError(f"goalpost normalisation needs goalposts for {lacking}")
        posts = (
            np.array([spec.goalposts[x].min if x in spec.goalposts else np.nan for x in ids]),
            np.array([spec.goalposts[x].max if x in spec.goalposts else np.nan for x in ids]),
            np.array([spec.goalposts[x].log if x in spec.goalposts else False for x in ids]),
        )
        _refuse_outside_log_domain(
            raw, posts[2] & np.array([per[x] == "goalposts" for x in ids]), units, years, ids
        )
        for a, b, c in zip(*np.nonzero(~np.isnan(raw)), strict=True):
            if per[ids[c]] == "goalposts" and not posts[0][c] <= raw[a, b, c] <= posts[1][c]:
                _note(
                    log,
                    units[a],
                    years[b],
                    ids[c],
                    "clipped",
                    f"{raw[a, b, c]:g} outside the goalposts {posts[0][c]:g}..{posts[1][c]:g}",
                )
    targets = np.array(
        [by_id[x].target_value if by_id[x].target_value is not None else np.nan for x in ids]
    )
    reference = None
    if spec is not None and spec.reference is not None:
        if spec.reference not in units:
            raise WellbeingBudgetError(
                f"reference jurisdiction {spec.reference!r} is not in the data"
                + did_you_mean(spec.reference, units)
            )
        reference = units.index(spec.reference)
    relative = ("minmax", "zscore", "rank", "percentile", "borda")
    flat = constant_columns(raw) & (np.sum(~np.isnan(raw), axis=0) > 0)
    for b, c in zip(*np.nonzero(flat), strict=True):
        if per[ids[c]] in relative:
            warnings.warn(
                f"{ids[c]} is the same for every jurisdiction in {years[b]}: a {per[ids[c]]} "
                "normalisation gives it no score (missing)",
                UserWarning,
                stacklevel=3,
            )
    scores = np.full(raw.shape, np.nan)
    for method in sorted(set(per.values())):
        cols = np.array([per[x] == method for x in ids])
        scores[:, :, cols] = normalise(
            raw[:, :, cols],
            method,
            higher[cols],
            goalposts=None if posts is None else (posts[0][cols], posts[1][cols], posts[2][cols]),
            targets=targets[cols],
            reference=reference,
        )
    if spec is not None and spec.minmax_range is not None:
        low, high = spec.minmax_range
        cols = np.array([per[x] == "minmax" for x in ids])
        scores[:, :, cols] = low + scores[:, :, cols] * (high - low)
    if spec is not None and spec.zscore_scale is not None:
        mean, sd = spec.zscore_scale
        cols = np.array([per[x] == "zscore" for x in ids])
        scores[:, :, cols] = mean + scores[:, :, cols] * sd
    scale = spec.scale if spec else 1.0
    scores = scores * scale

    levels = [scores]
    for step, parents in enumerate(tree.steps):
        children = levels[-1]
        out = np.full((len(units), len(years), len(parents)), np.nan)
        for k, (parent, members, weights) in enumerate(parents):
            rule = _rule(spec, step, n_steps, parent, overrides)
            sub = children[:, :, members].copy()
            names = [tree.ids[step][m] for m in members]
            if rule.impute not in OVER_YEARS:
                sub = _impute(sub, rule, groups, units, years, names, parent, log)
            elif step > 0:  # the first level's were filled before normalising
                blocked = _blocked(not_applicable, units, names, parent)
                sub = _fill_over_years(sub, rule, years, units, names, parent, blocked, log)
            out[:, :, k] = _aggregate(
                sub,
                weights,
                rule,
                units,
                years,
                names,
                parent,
                tree.level_names[step],
                has_any,
                log,
            )
            for a, unit in enumerate(units):
                if unit in not_applicable.get(parent, ()):
                    out[a, :, k] = np.nan
                    _note(
                        log,
                        unit,
                        None,
                        parent,
                        "not applicable",
                        "",
                    )
        levels.append(out)
    index = levels[-1][:, :, 0]
    index[~has_any] = np.nan
    dropped = [
        (units[a], int(years[b]))
        for a, b in zip(*np.nonzero(np.isnan(index) & has_any), strict=True)
    ]
    for unit, year in dropped:
        _note(
            log,
            unit,
            year,
            tree.ids[-1][0],
            "dropped",
            "no index value (missing rule)",
        )

    frames = []
    for level in range(len(levels) - 1, -1, -1):
        frames.append(
            _long(
                units,
                years,
                tree.level_names[level],
                tree.ids[level],
                levels[level],
                reported if level == 0 else None,
            )
        )
    result = pd.concat(frames, ignore_index=True)
    result = result[result["score"].notna() | result["value"].notna()].reset_index(drop=True)
    result["rank"] = _ranks(result, spec)
    result.attrs.update(
        framework=framework.id,
        normalise=default,
        aggregate_indicators=_rule(spec, 0, n_steps, "", overrides).aggregate,
        aggregate_domains=_rule(spec, n_steps - 1, n_steps, "", overrides).aggregate,
        missing=_rule(spec, 0, n_steps, "", overrides).missing,
        dropped=dropped,
        log=log,
        effective_weights=_effective_weights(tree),
    )
    return result


def _note(
    log: list[dict[str, Any]],
    unit: str | None,
    year: int | None,
    ident: str,
    action: str,
    detail: str,
) -> None:
    log.append(
        {"jurisdiction": unit, "year": year, "id": ident, "action": action, "detail": detail}
    )


def _split_regions(frame: pd.DataFrame, name: str) -> tuple[pd.DataFrame, dict[str, str] | None]:
    if "region" not in frame.columns:
        return frame, None
    pairs = frame[["jurisdiction", "region"]].dropna().astype(str).drop_duplicates()
    clash = pairs[pairs.duplicated("jurisdiction", keep=False)]
    if len(clash):
        first = clash.iloc[0]["jurisdiction"]
        raise ValidationError(
            [
                Problem(
                    f"{first} is given more than one region: "
                    + ", ".join(sorted(clash[clash.jurisdiction == first].region)),
                    ("region",),
                    name,
                )
            ]
        )
    return frame.drop(columns="region"), dict(zip(pairs.jurisdiction, pairs.region, strict=True))


def _check_not_applicable(na: dict[str, tuple[str, ...]], tree: _Tree, units: list[str]) -> None:
    known = {x for level in tree.ids for x in level}
    for ident in na:
        if ident not in known:
            raise WellbeingBudgetError(
                f"not_applicable names {ident!r}, which is no indicator, domain or node of the "
                "index" + did_you_mean(ident, sorted(known))
            )


def _latest_within(
    raw: Array,
    years: list[int],
    window: NDArray[np.int64],
    units: list[str],
    ids: list[str],
    log: list[dict[str, Any]],
) -> Array:
    """A missing value filled with the latest earlier value at most ``window`` years older
    (per indicator; a negative window fills nothing)."""
    out = raw.copy()
    for b, year in enumerate(years):
        for earlier in range(b - 1, -1, -1):
            age = year - years[earlier]
            if age > window.max():
                break
            fill = np.isnan(out[:, b, :]) & ~np.isnan(raw[:, earlier, :]) & (age <= window)
            for a, c in zip(*np.nonzero(fill), strict=True):
                _note(log, units[a], year, ids[c], "latest value", f"value of {years[earlier]}")
            out[:, b, :] = np.where(fill, raw[:, earlier, :], out[:, b, :])
    return out


def _interpolate(
    raw: Array, years: list[int], units: list[str], ids: list[str], log: list[dict[str, Any]]
) -> Array:
    """Gaps between two observed years filled on the straight line between them (never
    beyond the first or last observation), each filled cell logged."""
    out = interpolate_years(raw, years)
    for a, b, c in zip(*np.nonzero(np.isnan(raw) & ~np.isnan(out)), strict=True):
        _note(log, units[a], years[b], ids[c], "interpolated", f"{out[a, b, c]:.6g}")
    return out


def _treat(
    raw: Array,
    treat: Treatment,
    units: list[str],
    years: list[int],
    ids: list[str],
    log: list[dict[str, Any]],
) -> Array:
    out = raw.copy()
    for b, year in enumerate(years):
        for c, ident in enumerate(ids):
            column = raw[:, b, c]
            if np.sum(~np.isnan(column)) < 4:
                continue
            treated, changed, ok = winsorise(
                column, winmax=treat.winmax, skew_limit=treat.skew, kurtosis_limit=treat.kurtosis
            )
            if not ok and treat.fallback == "log":
                present = column[~np.isnan(column)]
                if (present <= 0).any():
                    raise WellbeingBudgetError(
                        f"{ident} in {year} still has outliers after winsorising, and its log "
                        "fallback needs values above zero"
                    )
                out[:, b, c] = np.log(column)
                _note(
                    log, None, year, ident, "treated", "log transform (winsorising was not enough)"
                )
                continue
            out[:, b, c] = treated
            for a in np.flatnonzero(changed):
                _note(
                    log,
                    units[a],
                    year,
                    ident,
                    "treated",
                    f"winsorised {column[a]:g} -> {treated[a]:g}",
                )
    return out


def _impute(
    sub: Array,
    rule: LevelRule,
    groups: NDArray[np.int64],
    units: list[str],
    years: list[int],
    names: list[str],
    parent: str,
    log: list[dict[str, Any]],
) -> Array:
    if rule.impute == "none" or not np.isnan(sub).any():
        return sub
    if rule.impute.startswith("group") and (groups < 0).all():
        raise WellbeingBudgetError(
            f"{parent}: {rule.impute} imputation needs regions (declare index.regions, give a "
            "region column, or pass regions=)"
        )
    filled = impute(sub, rule.impute, groups)
    present = np.sum(~np.isnan(sub), axis=2, keepdims=True)
    allowed = present >= max(rule.impute_min_present, 0)
    use = np.isnan(sub) & ~np.isnan(filled) & allowed
    for a, b, c in zip(*np.nonzero(use), strict=True):
        detail = f"{rule.impute} ({filled[a, b, c]:.6g}) for {parent}"
        _note(log, units[a], years[b], names[c], "imputed", detail)
    return np.where(use, filled, sub)


def _blocked(
    not_applicable: dict[str, tuple[str, ...]], units: list[str], names: list[str], parent: str
) -> NDArray[np.bool_]:
    """Units x members: the cells not applicable (the member's or the parent's), which no
    imputation fills."""
    return np.array(
        [
            [u in not_applicable.get(x, ()) or u in not_applicable.get(parent, ()) for x in names]
            for u in units
        ],
        dtype=bool,
    ).reshape(len(units), len(names))


def _fill_over_years(
    sub: Array,
    rule: LevelRule,
    years: list[int],
    units: list[str],
    names: list[str],
    parent: str,
    blocked: NDArray[np.bool_],
    log: list[dict[str, Any]],
) -> Array:
    """The members' gaps filled from the same jurisdiction's other years (``last_value``
    within ``impute_within`` years, or ``interpolate``), where the rule's condition allows
    (at least ``impute_min_present`` members present that year), each fill logged."""
    if not np.isnan(sub).any():
        return sub
    if rule.impute == "last_value":
        assert rule.impute_within is not None  # the model requires it
        filled, source = last_value(sub, years, rule.impute_within)
    else:
        filled, source = interpolate_years(sub, years), None
    present = np.sum(~np.isnan(sub), axis=2, keepdims=True)
    allowed = present >= rule.impute_min_present
    use = np.isnan(sub) & ~np.isnan(filled) & allowed & ~blocked[:, None, :]
    for a, b, c in zip(*np.nonzero(use), strict=True):
        if source is not None:
            detail = f"last_value ({filled[a, b, c]:.6g}, of {years[source[a, b, c]]}) for {parent}"
        else:
            detail = f"interpolate ({filled[a, b, c]:.6g}) for {parent}"
        _note(log, units[a], years[b], names[c], "imputed", detail)
    return np.where(use, filled, sub)


def _aggregate(
    sub: Array,
    weights: Array,
    rule: LevelRule,
    units: list[str],
    years: list[int],
    names: list[str],
    parent: str,
    level: str,
    has_any: NDArray[np.bool_],
    log: list[dict[str, Any]],
) -> Array:
    gaps = np.isnan(sub) & has_any[:, :, None] & (weights > 0)
    incomplete = gaps.any(axis=2)
    if gaps.any() and rule.missing == "refuse":
        problems = [
            Problem(f"no value of {names[c]!r} for {units[a]} in {years[b]}", ("data",))
            for a, b, c in zip(*np.nonzero(gaps), strict=True)
        ]
        raise ValidationError(
            problems[:50],
            summary=f"{len(problems)} values missing for {parent} (missing='refuse'; use "
            "'renormalise', 'drop' or an imputation)",
        )
    shifted = sub + rule.offset
    bad = (shifted <= 0) & ~np.isnan(shifted) & (weights > 0)
    needs_positive = rule.aggregate in ("geometric", "harmonic") or (
        rule.aggregate == "power" and rule.power is not None and rule.power <= 0
    )
    if needs_positive and bad.any():
        problems = [
            Problem(f"{names[c]} of {units[a]} in {years[b]} is {sub[a, b, c]:g}", ("data",))
            for a, b, c in zip(*np.nonzero(bad), strict=True)
        ]
        raise ValidationError(
            problems[:50],
            summary=f"a {rule.aggregate} mean for {parent} needs values above zero: "
            f"{len(problems)} are not (declare an offset in the level rule to shift them)",
        )
    result = aggregate(shifted, weights, rule.aggregate, rule.power) - rule.offset
    if rule.missing == "drop":
        result = np.where(incomplete, np.nan, result)
    elif rule.missing == "renormalise":
        # a score on the members present is not the published method's score: say so, cell
        # by cell, so that a jurisdiction ranked first on one member of three shows why
        for a, b in zip(*np.nonzero(incomplete & ~np.isnan(result)), strict=True):
            absent = [names[c] for c in np.flatnonzero(gaps[a, b])]
            _note(
                log,
                units[a],
                years[b],
                parent,
                "renormalised",
                f"on the {level}s present; {len(absent)} missing: {', '.join(absent)}",
            )
    if rule.min_present:
        enough = np.sum(~np.isnan(sub), axis=2) >= rule.min_present
        for a, b in zip(*np.nonzero(~enough & ~np.isnan(result)), strict=True):
            _note(
                log,
                units[a],
                years[b],
                parent,
                "dropped",
                f"fewer than {rule.min_present} {level}s present",
            )
        result = np.where(enough, result, np.nan)
    return result


def _ranks(result: pd.DataFrame, spec: IndexSpec | None) -> pd.Series:
    score = result["score"]
    if spec is not None and spec.rank_round is not None:
        score = score.round(spec.rank_round)
    if spec is not None and spec.aggregates:
        score = score.where(~result["jurisdiction"].isin(spec.aggregates))
    keys = [result["level"], result["id"], result["year"]]
    ranks = score.groupby(keys).rank(ascending=False, method="min")
    return ranks.astype("Int64")


def _effective_weights(tree: _Tree) -> dict[str, float]:
    """Each indicator's share of the index: its weight over its siblings' total, times its
    parent's share, up the tree."""
    share: dict[tuple[int, int], float] = {(len(tree.steps), 0): 1.0}
    for step in range(len(tree.steps) - 1, -1, -1):
        for k, (_, members, weights) in enumerate(tree.steps[step]):
            total = float(weights.sum())
            for m, w in zip(members, weights, strict=True):
                share[(step, m)] = share[(step + 1, k)] * (float(w) / total if total > 0 else 0.0)
    return {ident: share[(0, m)] for m, ident in enumerate(tree.ids[0])}


def _one_group(tidy: pd.DataFrame, group: str | None) -> pd.DataFrame:
    """The rows of one population group: ``group`` if given, else the ``all`` totals. Rows
    broken down by group with no total among them would overwrite each other in the index:
    they are refused unless ``group`` says which group to index."""
    groups = set(tidy["group"])
    if group is not None:
        if group not in groups:
            raise WellbeingBudgetError(
                f"no rows of group {group!r} in the data" + did_you_mean(group, sorted(groups))
            )
        return tidy[tidy["group"] == group]
    if groups == {"all"}:
        return tidy
    series = tidy.groupby(["jurisdiction", "indicator", "year"])["group"]
    lacking = series.agg(lambda g: "all" not in set(g))
    if lacking.any():
        (jurisdiction, indicator, year) = lacking[lacking].index[0]
        raise WellbeingBudgetError(
            f"{int(lacking.sum())} observations are broken down by group with no 'all' total "
            f"(first: {jurisdiction}, {indicator}, {year}; groups "
            f"{', '.join(sorted(groups - {'all'}))}): pass group= to say which group to index"
        )
    return tidy[tidy["group"] == "all"]


def _refuse_outside_log_domain(
    raw: Array, log: NDArray[np.bool_], units: list[str], years: list[int], ids: list[str]
) -> None:
    bad = (raw <= 0) & log[None, None, :]
    if not bad.any():
        return
    problems = [
        Problem(
            f"{ids[c]} of {units[a]} in {years[b]} is {raw[a, b, c]:g}: a log goalpost needs a "
            "value above zero",
            ("data",),
        )
        for a, b, c in zip(*np.nonzero(bad), strict=True)
    ]
    raise ValidationError(
        problems[:50], summary=f"{len(problems)} values outside the domain of a log goalpost"
    )


def _long(
    units: list[str],
    years: list[int],
    level: str,
    ids: list[str],
    scores: Array,
    raw: Array | None = None,
) -> pd.DataFrame:
    n_u, n_t, n_i = scores.shape
    return pd.DataFrame(
        {
            "jurisdiction": np.repeat(units, n_t * n_i),
            "year": np.tile(np.repeat(np.asarray(years, dtype=np.int64), n_i), n_u),
            "level": level,
            "id": np.tile(ids, n_u * n_t),
            "value": raw.reshape(-1) if raw is not None else np.nan,
            "score": scores.reshape(-1),
        }
    )


# -- uncertainty and sensitivity ---------------------------------------------------------------


def index_uncertainty(
    framework: Framework,
    data: pd.DataFrame | str | os.PathLike[str],
    *,
    draws: int = 200,
    seed: int = 0,
    weight_noise: float = 0.25,
    normalisations: tuple[NormaliseMethod, ...] | list[NormaliseMethod] = (),
    aggregations: tuple[AggregateMethod, ...] | list[AggregateMethod] = (),
    **options: Any,
) -> pd.DataFrame:
    """How far each jurisdiction's index rank moves when the method's choices move (COINr's
    uncertainty analysis): each draw multiplies every domain and node weight by a uniform
    factor in ``1 ± weight_noise``, and picks a normalisation from ``normalisations`` and a
    mean for the domains from ``aggregations`` (when given). Returns, per jurisdiction and
    year, the nominal rank, the median rank and the 5th-95th percentile interval of ranks;
    ``attrs["sensitivity"]`` gives, per kind of draw (weights alone, or with a normalisation
    or mean), the mean absolute rank change it caused. Same inputs and seed give the same
    table.

    >>> import wellbeing_budget as wb
    >>> from wellbeing_budget.analysis.composite import index_uncertainty
    >>> data = wb.read_undp("tests/data/hdi-2022-all-countries.csv", years=[2022])
    >>> table = index_uncertainty(wb.load_framework("undp-hdi"), data, draws=20,
    ...                           missing="drop")
    >>> low, nominal, high = table["rank_low"], table["rank"], table["rank_high"]
    >>> bool((low <= nominal).all() and (nominal <= high).all())
    True
    """
    if draws < 1 or not 0 <= weight_noise < 1:
        raise WellbeingBudgetError("draws must be at least 1 and weight_noise in [0, 1)")
    rng = np.random.default_rng(seed)
    nominal = _index_ranks(compute_index(framework, data, **options))
    samples = []
    moved: dict[str, list[float]] = {}
    for draw in range(draws):
        varied = _varied(framework, rng, weight_noise)
        extra: dict[str, Any] = dict(options)
        what = "weights"
        if normalisations and draw % 2:
            extra["normalise_with"] = normalisations[int(rng.integers(len(normalisations)))]
            what = f"normalise {extra['normalise_with']}"
        if aggregations and draw % 3 == 1:
            extra["aggregate_domains"] = aggregations[int(rng.integers(len(aggregations)))]
            what += f", aggregate {extra['aggregate_domains']}"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            ranks = _index_ranks(compute_index(varied, data, **extra))
        samples.append(ranks)
        change = (ranks - nominal.reindex(ranks.index)).abs().mean()
        moved.setdefault(what, []).append(float(change))
    table = pd.concat(samples, axis=1)
    out = pd.DataFrame(
        {
            "rank": nominal,
            "rank_median": table.median(axis=1),
            "rank_low": table.quantile(0.05, axis=1),
            "rank_high": table.quantile(0.95, axis=1),
        }
    ).reset_index()
    out["rank_low"] = np.minimum(out["rank_low"], out["rank"])
    out["rank_high"] = np.maximum(out["rank_high"], out["rank"])
    out.attrs["sensitivity"] = {k: float(np.mean(v)) for k, v in sorted(moved.items())}
    out.attrs.update(draws=draws, seed=seed, weight_noise=weight_noise)
    return out


def _index_ranks(result: pd.DataFrame) -> pd.Series:
    index = result[(result["level"] == "index") & result["rank"].notna()]
    return index.set_index(["jurisdiction", "year"])["rank"].astype(float)


def _varied(framework: Framework, rng: np.random.Generator, noise: float) -> Framework:
    def factor() -> float:
        return float(rng.uniform(1 - noise, 1 + noise))

    domains = tuple(d.model_copy(update={"weight": d.weight * factor()}) for d in framework.domains)
    spec = framework.index_spec
    update: dict[str, Any] = {"domains": domains}
    if spec is not None and spec.nodes:
        nodes = tuple(n.model_copy(update={"weight": n.weight * factor()}) for n in spec.nodes)
        update["index_spec"] = spec.model_copy(update={"nodes": nodes})
    return framework.model_copy(update=update)
