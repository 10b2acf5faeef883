"""The typed model of a wellbeing framework: pillars, domains, indicators and their sources.

All models are frozen pydantic models that refuse unknown keys, so a misplaced or misspelt key
in YAML is an error, never silently dropped. Load frameworks with
:func:`wellbeing_budget.load_framework`; build them in code only for tests and tools.

>>> from wellbeing_budget import load_framework
>>> lsf = load_framework("nz-lsf-2021")
>>> lsf.domain("health").pillar
<Pillar.PEOPLE: 'people'>
"""

from __future__ import annotations

import itertools
import math
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    Field,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)

from ..errors import UnitError, UnknownIdError, did_you_mean
from ..units import (
    CURRENCIES,
    Quantity,
    conversion_factor,
    currency_of,
    is_percentage_point,
    is_share_unit,
)
from .base import Id, NotEmpty, Source, Text, UnitText, _Model
from .text import LocalisedText
from .uncertainty import DEFAULT_UNCERTAINTY, Uncertainty
from .values import Deflator, MoneyValue, PublicFunds, ValueSet, value_conversion

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Baseline",
    "Direction",
    "DiscountBand",
    "DiscountSpec",
    "Discounting",
    "Domain",
    "Framework",
    "Generations",
    "Goalposts",
    "IndexNode",
    "IndexSpec",
    "Indicator",
    "IndicatorCatalogue",
    "IndicatorRef",
    "LevelRule",
    "Pillar",
    "Population",
    "PopulationGroup",
    "Priority",
    "Source",
    "StatedCounts",
    "Target",
    "Treatment",
]


ALL = "all"
"""The group every framework has: its whole population."""


class Pillar(StrEnum):
    """The four pillars every domain of every framework belongs to: the level at which any
    two frameworks can always be compared."""

    PEOPLE = "people"
    SOCIETY = "society"
    ENVIRONMENT = "environment"
    PUBLIC_FINANCES = "public_finances"


class Direction(_Model):
    """Which way is better: ``higher_is_better``, ``lower_is_better``, or ``{target: value}``.

    Named, never +1/-1: a sign that is easy to misread is the most common fault reported
    against composite-indicator tools.
    """

    kind: Literal["higher_is_better", "lower_is_better", "target"]
    target: Quantity | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_yaml(cls, value: Any) -> Any:
        if isinstance(value, str):
            if value not in ("higher_is_better", "lower_is_better"):
                hint = did_you_mean(value, ["higher_is_better", "lower_is_better"])
                raise ValueError(
                    f"direction must be 'higher_is_better', 'lower_is_better' or "
                    f"{{target: value}}, got {value!r}{hint}"
                )
            return {"kind": value}
        if isinstance(value, dict) and "kind" not in value:
            if set(value) != {"target"}:
                raise ValueError(
                    "a target direction is written {target: value}, got keys "
                    + ", ".join(repr(k) for k in value)
                )
            return {"kind": "target", "target": value["target"]}
        return value

    @model_validator(mode="after")
    def _target_given(self) -> Direction:
        if (self.kind == "target") != (self.target is not None):
            raise ValueError("a target direction needs a target value, and only it has one")
        return self

    @model_serializer
    def _to_yaml(self) -> Any:
        if self.kind == "target":
            return {"target": str(self.target)}
        return self.kind

    @property
    def symbol(self) -> str:
        """▲ higher is better, ▼ lower is better, ◎ towards a target."""
        return {"higher_is_better": "▲", "lower_is_better": "▼", "target": "◎"}[self.kind]


class Target(_Model):
    """A level the indicator should reach by a year (a national milestone, say)."""

    value: Quantity
    year: int | None = Field(default=None, ge=1800, le=2300)
    note: str | None = None
    source: Source


class Baseline(_Model):
    """The indicator's current level, needed to turn a relative change into an absolute one."""

    value: Quantity
    year: int = Field(ge=1800, le=2100)
    source: Source


def _in_indicator_unit(value: Quantity, unit: str, what: str) -> float:
    """The value in the indicator's unit; a bare number is taken to be in that unit."""
    if value.unit == "":
        return value.magnitude
    try:
        return value.to(unit)
    except UnitError as exc:
        raise ValueError(f"{what} {str(value)!r} is not in the indicator's unit: {exc}") from None


class Indicator(_Model):
    """A measured aspect of wellbeing, with the change that counts as one standard effect."""

    id: Id
    name: LocalisedText
    description: LocalisedText | None = None
    unit: UnitText
    direction: Direction
    scale: Quantity
    scale_basis: Literal["cross_country_sd", "minimal_important_difference", "judgement"]
    scale_note: str | None = None
    direction_basis: Literal["stated", "semantic"] | None = None
    baseline: Baseline | None = None
    target: Target | None = None
    groups: tuple[Id, ...] = ()
    describes: Id = "all"
    value: Id | MoneyValue | None = None
    codes: tuple[Text, ...] = ()
    status: Literal["primary", "secondary", "unconfirmed"] | None = None
    note: str | None = None
    source: Source

    @field_validator("scale")
    @classmethod
    def _scale_in_unit(cls, scale: Quantity, info: ValidationInfo) -> Quantity:
        unit = info.data.get("unit")
        if unit is None:
            return scale
        if (
            is_share_unit(unit)
            and not is_percentage_point(scale.unit)
            and is_share_unit(scale.unit)
        ):
            raise ValueError(
                f"scale {str(scale)!r} is ambiguous for a share measured in {unit!r}: write "
                f"'{scale.magnitude:g} percentage_point' for a change of the share itself"
            )
        if is_percentage_point(scale.unit) and is_share_unit(unit):
            size = scale.to("percentage_point")
        else:
            size = _in_indicator_unit(scale, unit, "scale")
        if not (size > 0 and math.isfinite(size)):
            raise ValueError(f"scale must be a positive change, got {str(scale)!r}")
        return scale

    @field_validator("direction")
    @classmethod
    def _direction_target_in_unit(cls, direction: Direction, info: ValidationInfo) -> Direction:
        unit = info.data.get("unit")
        if unit is not None and direction.target is not None:
            _in_indicator_unit(direction.target, unit, "target")
        return direction

    @field_validator("baseline", "target")
    @classmethod
    def _level_in_unit(
        cls, level: Baseline | Target | None, info: ValidationInfo
    ) -> Baseline | Target | None:
        unit = info.data.get("unit")
        if unit is not None and level is not None:
            _in_indicator_unit(level.value, unit, str(info.field_name))
        return level

    @field_validator("groups")
    @classmethod
    def _unique_groups(cls, groups: tuple[str, ...]) -> tuple[str, ...]:
        _refuse_duplicates(groups, "group")
        return groups

    @property
    def scale_value(self) -> float:
        """The scale in the indicator's own unit (percentage points count as percent)."""
        if is_percentage_point(self.scale.unit) and is_share_unit(self.unit):
            return self.scale.to("percentage_point") * conversion_factor("percent", self.unit)
        return _in_indicator_unit(self.scale, self.unit, "scale")

    @property
    def target_value(self) -> float | None:
        """The target in the indicator's unit: a target direction's, else a milestone's."""
        target = self.direction.target
        if target is None and self.target is not None:
            target = self.target.value
        return None if target is None else _in_indicator_unit(target, self.unit, "target")


class IndicatorRef(_Model):
    """A domain's reference to an indicator, with an optional weight within the domain."""

    id: Id
    weight: float = Field(default=1.0, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _from_yaml(cls, value: Any) -> Any:
        return {"id": value} if isinstance(value, str) else value

    @model_serializer
    def _to_yaml(self) -> Any:
        return self.id if self.weight == 1.0 else {"id": self.id, "weight": self.weight}


class Domain(_Model):
    """A domain of wellbeing (health, housing, natural environment...) in one pillar."""

    id: Id
    name: LocalisedText
    short_name: LocalisedText | None = None
    pillar: Pillar
    weight: float = Field(default=1.0, ge=0)
    level: str | None = None
    wealth: bool = False
    description: LocalisedText | None = None
    note: str | None = None
    indicators: tuple[IndicatorRef, ...] = ()

    @field_validator("indicators")
    @classmethod
    def _unique_refs(cls, refs: tuple[IndicatorRef, ...]) -> tuple[IndicatorRef, ...]:
        _refuse_duplicates([r.id for r in refs], "indicator")
        return refs

    @field_validator("pillar", mode="before")
    @classmethod
    def _pillar_hint(cls, value: Any) -> Any:
        pillars = [p.value for p in Pillar]
        if isinstance(value, str) and value not in pillars:
            raise ValueError(
                f"pillar must be one of {', '.join(pillars)}, got {value!r}"
                + did_you_mean(value, pillars)
            )
        return value


class Generations(_Model):
    """How far the current generation reaches, and how far the assessment looks."""

    current_horizon: Quantity
    assessment_horizon: Quantity
    source: Source | None = None

    @field_validator("current_horizon", "assessment_horizon")
    @classmethod
    def _whole_years(cls, value: Quantity) -> Quantity:
        years = _years(value)
        if years < 1 or abs(years - round(years)) > 1e-9:
            raise ValueError(f"must be a positive whole number of years, got {str(value)!r}")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Generations:
        if self.current_years > self.assessment_years:
            raise ValueError(
                f"current_horizon ({self.current_horizon}) is beyond assessment_horizon "
                f"({self.assessment_horizon})"
            )
        return self

    @property
    def current_years(self) -> int:
        """The current generation's horizon in whole years."""
        return round(_years(self.current_horizon))

    @property
    def assessment_years(self) -> int:
        """The assessment horizon in whole years."""
        return round(_years(self.assessment_horizon))


def _years(value: Quantity) -> float:
    if value.unit == "":
        raise ValueError(f"a duration needs a unit (e.g. '25 years'), got {str(value)!r}")
    try:
        return value.to("year")
    except UnitError as exc:
        raise ValueError(str(exc)) from None


def _rate_fraction(value: Quantity) -> float:
    if value.unit == "":
        fraction = value.magnitude
        if fraction > 1:
            raise ValueError(
                f"a rate of {value.magnitude:g} would be {value.magnitude * 100:g}% a year; "
                f"write '{value.magnitude:g} percent' if that is meant"
            )
    else:
        try:
            fraction = value.to("dimensionless")
        except UnitError:
            raise ValueError(
                f"a rate is a percentage such as '2 percent', got {str(value)!r}"
            ) from None
    if not 0 <= fraction < 1:
        raise ValueError(f"a yearly rate must be at least 0% and below 100%, got {str(value)!r}")
    return fraction


class DiscountBand(_Model):
    """One band of a declining schedule: ``rate`` applies from year ``from_year`` on."""

    from_year: int = Field(ge=0)
    rate: Quantity

    @field_validator("rate")
    @classmethod
    def _valid_rate(cls, rate: Quantity) -> Quantity:
        _rate_fraction(rate)
        return rate

    @property
    def fraction(self) -> float:
        """The rate as a fraction (``2 percent`` -> 0.02)."""
        return _rate_fraction(self.rate)


class DiscountSpec(_Model):
    """A discount schedule: ``none``, ``constant`` (one ``rate``) or ``declining``
    (a ``schedule`` of bands)."""

    kind: Literal["none", "constant", "declining"]
    rate: Quantity | None = None
    schedule: tuple[DiscountBand, ...] = ()
    name: str | None = None
    source: Source | None = None
    inherited_from: Id | None = None
    """Set by the loader when a framework that ``extends`` another takes this schedule from
    it unchanged: the id of the framework that wrote it, so no setting is taken silently."""

    @field_validator("rate")
    @classmethod
    def _valid_rate(cls, rate: Quantity | None) -> Quantity | None:
        if rate is not None:
            _rate_fraction(rate)
        return rate

    @model_validator(mode="after")
    def _consistent(self) -> DiscountSpec:
        if self.kind == "constant" and (self.rate is None or self.schedule):
            raise ValueError("a constant schedule needs a rate and no schedule")
        if self.kind == "declining":
            if self.rate is not None or not self.schedule:
                raise ValueError("a declining schedule needs a schedule of bands and no rate")
            starts = [band.from_year for band in self.schedule]
            if starts[0] > 1:
                raise ValueError("the first band must start at year 0 or 1")
            if any(b <= a for a, b in itertools.pairwise(starts)):
                raise ValueError("bands must be in increasing order of from_year")
        if self.kind == "none" and (self.rate is not None or self.schedule):
            raise ValueError("a 'none' schedule takes no rate and no schedule")
        return self

    def rate_for_year(self, year: int) -> float:
        """The yearly rate applied between ``year - 1`` and ``year``."""
        if self.kind == "none":
            return 0.0
        if self.kind == "constant":
            assert self.rate is not None
            return _rate_fraction(self.rate)
        rate = 0.0
        for band in self.schedule:
            if band.from_year <= year:
                rate = band.fraction
        return rate


class Discounting(_Model):
    """Separate schedules for money and for wellbeing effects."""

    money: DiscountSpec
    wellbeing: DiscountSpec


class Population(_Model):
    """The population the framework's indicators describe, with its source."""

    count: float = Field(gt=0)
    year: int = Field(ge=1800, le=2100)
    source: Source


class PopulationGroup(_Model):
    """A population group the framework's indicators describe or its proposals reach (young
    people aged 16-24, care-home residents, Maori...), with its size and source."""

    id: Id
    name: Text
    population: float = Field(gt=0)
    year: int | None = Field(default=None, ge=1800, le=2100)
    note: str | None = None
    source: Source


def _refuse_duplicates(ids: list[str] | tuple[str, ...], what: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"{what} {item!r} is listed twice")
        seen.add(item)


class IndicatorCatalogue(_Model):
    """A file of indicator definitions that frameworks refer to by id."""

    id: Id
    name: Text
    description: str | None = None
    source: Source
    indicators: tuple[Indicator, ...]

    @field_validator("indicators")
    @classmethod
    def _unique(cls, indicators: tuple[Indicator, ...]) -> tuple[Indicator, ...]:
        _refuse_duplicates([i.id for i in indicators], "indicator")
        return indicators


class StatedCounts(_Model):
    """How many domains and indicators the framework's own source says it has, so coverage
    (encoded / stated) can be checked and shown."""

    domains: int | None = Field(default=None, ge=1)
    domain_level: str | None = None
    indicators: int | None = Field(default=None, ge=1)
    as_of: str | None = None
    note: str | None = None
    source: Source | None = None


class Goalposts(_Model):
    """Fixed minimum and maximum for goalpost normalisation; ``log`` normalises logarithms."""

    min: float
    max: float
    log: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> Goalposts:
        if not self.max > self.min:
            raise ValueError(f"goalposts need max > min, got min {self.min}, max {self.max}")
        if self.log and self.min <= 0:
            raise ValueError("log goalposts need a positive minimum")
        return self


NormaliseMethod = Literal[
    "minmax",
    "goalposts",
    "zscore",
    "rank",
    "percentile",
    "borda",
    "distance_to_target",
    "distance_to_target_uncapped",
    "distance_to_reference",
    "fraction_of_max",
]
AggregateMethod = Literal["arithmetic", "geometric", "harmonic", "power"]
ImputeMethod = Literal[
    "none", "mean", "median", "group_mean", "group_median", "last_value", "interpolate"
]
# methods that fill a gap from the same jurisdiction's other years, not from other jurisdictions
OVER_YEARS = ("last_value", "interpolate")
# the names the issue and COINr users also use for a mean within the jurisdiction's region
_IMPUTE_ALIASES = {"regional_mean": "group_mean", "regional_median": "group_median"}
MissingRule = Literal["refuse", "renormalise", "drop"]


class LevelRule(_Model):
    """How one level's members are combined into their parent (COINr's aggregation step):
    the mean, what fills a missing member first (``impute``: across jurisdictions of the year,
    or within the jurisdiction's ``region``), on what condition (``impute_min_present``: only
    if the jurisdiction has at least that many of the parent's members), and what happens to
    a member still missing (``missing``: ``refuse`` lists them; ``renormalise`` uses the
    weights of the members present; ``drop`` gives the parent no value, as publishers do who
    publish none for incomplete rows). ``min_present`` screens by data availability: with
    fewer members present, the parent has no value. ``power`` is the exponent of a
    generalised mean; ``offset`` is added before a geometric or harmonic mean (a declared
    way round zeros).

    Two imputations fill a gap from the same jurisdiction's other years instead of from other
    jurisdictions: ``last_value`` (the latest earlier value at most ``impute_within`` years
    older) and ``interpolate`` (the straight line between the observed years either side).
    At the first level they act on the indicators' values, before normalising; at a level
    above, on the members' scores (a domain's score of an earlier year, say).
    ``regional_mean`` and ``regional_median`` are other names for ``group_mean`` and
    ``group_median``."""

    aggregate: AggregateMethod = "arithmetic"
    power: float | None = None
    offset: float = Field(default=0.0, ge=0)
    impute: ImputeMethod = "none"
    impute_within: int | None = Field(default=None, ge=0)
    impute_min_present: int = Field(default=0, ge=0)
    missing: MissingRule = "refuse"
    min_present: int = Field(default=0, ge=0)

    @field_validator("impute", mode="before")
    @classmethod
    def _alias(cls, value: Any) -> Any:
        return _IMPUTE_ALIASES.get(value, value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _power_given(self) -> LevelRule:
        if (self.aggregate == "power") != (self.power is not None):
            raise ValueError("a power (generalised) mean needs power: p, and only it takes one")
        if (self.impute == "last_value") != (self.impute_within is not None):
            raise ValueError(
                "impute: last_value needs impute_within: N (years: how old a value may be), "
                "and only it takes one"
            )
        return self


class IndexNode(_Model):
    """A group above the domains (a pillar of sub-pillars, say): its members are domains or
    other nodes, with weights."""

    id: Id
    name: Text
    weight: float = Field(default=1.0, ge=0)
    members: Annotated[tuple[IndicatorRef, ...], NotEmpty]


class Treatment(_Model):
    """Outlier treatment before normalising (COINr's default): while an indicator's absolute
    skew is at least ``skew`` and its kurtosis at least ``kurtosis``, winsorise its most
    extreme value to the next one, up to ``winmax`` points; if it still fails, ``fallback:
    log`` takes logarithms of the original values instead."""

    winmax: int = Field(default=5, ge=0)
    skew: float = Field(default=2.0, gt=0)
    kurtosis: float = Field(default=3.5)
    fallback: Literal["none", "log"] = "none"


class IndexSpec(_Model):
    """How the framework's published composite index is computed from indicator levels.

    Beyond one normalisation and two means, an index may declare ``nodes`` (levels above the
    domains), a rule per aggregation level (``levels``, bottom up) or per node (``rules``),
    jurisdiction ``regions`` for group means, ``not_applicable`` cells, a window for the
    latest value, ranks on rounded values and jurisdictions that are aggregates (never
    ranked)."""

    name: Text
    normalise: NormaliseMethod
    normalise_indicators: dict[Id, NormaliseMethod] = Field(default_factory=dict)
    scale: float = Field(default=1.0, gt=0)
    goalposts: dict[Id, Goalposts] = Field(default_factory=dict)
    reference: str | None = None
    aggregate_indicators: AggregateMethod = "arithmetic"
    aggregate_domains: AggregateMethod = "arithmetic"
    missing: MissingRule = "refuse"
    nodes: tuple[IndexNode, ...] = ()
    levels: tuple[LevelRule, ...] = ()
    rules: dict[Id, LevelRule] = Field(default_factory=dict)
    treat: Treatment | None = None
    regions: dict[str, str] = Field(default_factory=dict)
    not_applicable: dict[Id, tuple[str, ...]] = Field(default_factory=dict)
    latest_within: int | dict[Id, int] | None = None
    interpolate: bool = False
    minmax_range: tuple[float, float] | None = None
    zscore_scale: tuple[float, float] | None = None
    rank_round: int | None = Field(default=None, ge=0, le=12)
    aggregates: tuple[str, ...] = ()
    note: str | None = None
    source: Source

    @field_validator("latest_within")
    @classmethod
    def _window(cls, value: int | dict[str, int] | None) -> int | dict[str, int] | None:
        windows = value.values() if isinstance(value, dict) else [] if value is None else [value]
        if any(w < 0 for w in windows):
            raise ValueError("latest_within is a number of years, zero or more")
        return value

    @field_validator("minmax_range", "zscore_scale")
    @classmethod
    def _scale_pair(cls, value: tuple[float, float] | None, info: ValidationInfo) -> Any:
        if value is None:
            return value
        low, high = value
        if info.field_name == "minmax_range" and not high > low:
            raise ValueError(f"minmax_range needs low < high, got {list(value)}")
        if info.field_name == "zscore_scale" and not high > 0:
            raise ValueError(f"zscore_scale is [mean, sd] with sd > 0, got {list(value)}")
        return value


class Priority(_Model):
    """A government priority (a 2019 Wellbeing Budget priority, say) expressed over the
    framework's indicators and the population groups it focuses on."""

    id: Id
    name: LocalisedText
    description: LocalisedText | None = None
    indicators: Annotated[tuple[Id, ...], NotEmpty]
    groups: tuple[Id, ...] = ()
    source: Source


class Framework(_Model):
    """A wellbeing framework: domains in four pillars, each measured by indicators.

    ``indicators`` holds the definition of every indicator the domains use, so a framework is
    complete in itself; :meth:`to_yaml` writes it out whole and reading that back gives an
    equal framework.
    """

    id: Id
    name: LocalisedText
    kind: Literal["budget", "index"] = "budget"
    version: str
    jurisdiction: Text
    description: LocalisedText | None = None
    based_on: tuple[Id, ...] = ()
    source: Source
    currency: str
    price_year: int = Field(ge=1800, le=2100)
    population: Population | None = None
    groups: tuple[PopulationGroup, ...] = ()
    generations: Generations
    discounting: Discounting
    domains: Annotated[tuple[Domain, ...], NotEmpty]
    indicators: tuple[Indicator, ...] = ()
    priorities: tuple[Priority, ...] = ()
    counts: StatedCounts | None = None
    index_spec: IndexSpec | None = Field(default=None, alias="index")
    values: ValueSet | None = None
    public_funds: PublicFunds | None = None
    deflator: Deflator | None = None
    note: str | None = None
    uncertainty: Uncertainty | None = None

    @model_validator(mode="before")
    @classmethod
    def _index_only(cls, value: Any) -> Any:
        """An index-only framework (``kind: index``) computes indices and scores no proposals,
        so it declares no budget settings and no impact scales. The fields are filled with
        inert values, marked as such, so the rest of the model keeps one shape; scoring
        proposals under such a framework is refused."""
        if not (isinstance(value, dict) and value.get("kind") == "index"):
            return value
        filled = dict(value)
        filled.setdefault("currency", "USD")
        filled.setdefault("price_year", 2000)
        filled.setdefault(
            "generations", {"current_horizon": "1 year", "assessment_horizon": "1 year"}
        )
        none = {"kind": "none", "name": "index-only framework: no discounting"}
        filled.setdefault("discounting", {"money": none, "wellbeing": none})
        indicators = []
        for item in filled.get("indicators", ()):
            if isinstance(item, dict) and "scale" not in item:
                item = {
                    **item,
                    "scale": 1,
                    "scale_basis": "judgement",
                    "scale_note": "index-only framework: no impact scale (never used)",
                }
            indicators.append(item)
        if "indicators" in filled:
            filled["indicators"] = indicators
        return filled

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, currency: str) -> str:
        if currency not in CURRENCIES or currency_of(currency) != currency:
            raise ValueError(
                f"currency must be one of {', '.join(CURRENCIES)}, got {currency!r}"
                + did_you_mean(currency, CURRENCIES)
            )
        return currency

    @field_validator("domains")
    @classmethod
    def _unique_domains(cls, domains: tuple[Domain, ...]) -> tuple[Domain, ...]:
        _refuse_duplicates([d.id for d in domains], "domain")
        return domains

    @field_validator("indicators")
    @classmethod
    def _unique_indicators(cls, indicators: tuple[Indicator, ...]) -> tuple[Indicator, ...]:
        _refuse_duplicates([i.id for i in indicators], "indicator")
        return indicators

    @field_validator("groups")
    @classmethod
    def _unique_groups(cls, groups: tuple[PopulationGroup, ...]) -> tuple[PopulationGroup, ...]:
        _refuse_duplicates([g.id for g in groups], "group")
        for group in groups:
            if group.id == ALL:
                raise ValueError(
                    "group 'all' is the framework's whole population: set it with population:"
                )
        return groups

    @model_validator(mode="after")
    def _groups_fit(self) -> Framework:
        whole = self.population.count if self.population else None
        if whole is not None:
            for group in self.groups:
                if group.population > whole:
                    raise ValueError(
                        f"group {group.id!r} ({group.population:,.0f} people) is larger than the "
                        f"framework's population ({whole:,.0f})"
                    )
        known = self.group_ids
        for indicator in self.indicators:
            if indicator.describes not in known:
                raise ValueError(
                    f"indicator {indicator.id!r} describes {indicator.describes!r}, which is not "
                    f"a group of the framework" + did_you_mean(indicator.describes, known)
                )
        return self

    @model_validator(mode="after")
    def _values_fit(self) -> Framework:
        for indicator in self.indicators:
            value = self.value_of(indicator)
            if value is None:
                if isinstance(indicator.value, str) and self.values is not None:
                    hint = did_you_mean(indicator.value, self.values.ids)
                    if hint:
                        raise ValueError(
                            f"indicator {indicator.id!r}: value set {self.values.id!r} has no "
                            f"value {indicator.value!r}{hint}"
                        )
                continue
            where = f"indicator {indicator.id!r}: value {value.id or '(inline)'!r}"
            if value.currency != self.currency:
                raise ValueError(
                    f"{where} is in {value.currency}; the framework counts money in "
                    f"{self.currency} (currencies are never converted)"
                )
            if self.price_factor(value) is None:
                raise ValueError(
                    f"{where} is in {value.price_year} prices; the framework's prices are of "
                    f"{self.price_year}: give a cited deflator with both years"
                )
            try:
                value_conversion(indicator.unit, value)
            except ValueError as exc:
                raise ValueError(f"{where}: {exc}") from None
        return self

    @model_validator(mode="after")
    def _references_resolve(self, info: ValidationInfo) -> Framework:
        if info.context and info.context.get("references_checked"):
            return self  # the loader has reported these, located in the file
        known = {i.id for i in self.indicators}
        used: dict[str, str] = {}
        for domain in self.domains:
            for ref in domain.indicators:
                if ref.id not in known:
                    raise ValueError(
                        f"domain {domain.id!r} refers to unknown indicator {ref.id!r}"
                        + did_you_mean(ref.id, known)
                    )
                if ref.id in used:
                    raise ValueError(
                        f"indicator {ref.id!r} is in domains {used[ref.id]!r} and {domain.id!r}: "
                        "its effects would count twice"
                    )
                used[ref.id] = domain.id
        for priority in self.priorities:
            for indicator_id in priority.indicators:
                if indicator_id not in used:
                    raise ValueError(
                        f"priority {priority.id!r} refers to {indicator_id!r}, which no domain "
                        "of the framework measures" + did_you_mean(indicator_id, used)
                    )
        return self

    @model_validator(mode="after")
    def _index_fits(self) -> Framework:
        spec = self.index_spec
        if spec is None:
            return self
        used = {ref.id for d in self.domains for ref in d.indicators}
        for indicator_id in spec.goalposts:
            if indicator_id not in used:
                raise ValueError(f"index goalposts name {indicator_id!r}, which no domain measures")
        methods = {i: spec.normalise_indicators.get(i, spec.normalise) for i in used}
        for indicator_id in spec.normalise_indicators:
            if indicator_id not in used:
                raise ValueError(
                    f"index normalise_indicators names {indicator_id!r}, which no domain "
                    "measures" + did_you_mean(indicator_id, used)
                )
        lacking = sorted(
            i for i, m in methods.items() if m == "goalposts" and i not in spec.goalposts
        )
        if lacking:
            raise ValueError(f"goalpost normalisation needs goalposts for {lacking}")
        domains = {d.id for d in self.domains if d.indicators}
        nodes = {n.id for n in spec.nodes}
        for node in spec.nodes:
            for member in node.members:
                if member.id not in domains | nodes:
                    raise ValueError(
                        f"index node {node.id!r} has member {member.id!r}, which is no domain "
                        "or node" + did_you_mean(member.id, domains | nodes)
                    )
        for key, what in ((spec.rules, "rules"), (spec.not_applicable, "not_applicable")):
            known = domains | nodes | ({"index"} if what == "rules" else used)
            for name in key:
                if name not in known:
                    raise ValueError(
                        f"index {what} names {name!r}, which is no "
                        + ("domain or node" if what == "rules" else "indicator, domain or node")
                        + did_you_mean(name, known)
                    )
        return self

    # -- lookups ------------------------------------------------------------------------

    def domain(self, domain_id: str) -> Domain:
        """The domain with this id; :class:`UnknownIdError` with a suggestion otherwise."""
        for domain in self.domains:
            if domain.id == domain_id:
                return domain
        raise _lookup_error("domain", domain_id, [d.id for d in self.domains])

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id; :class:`UnknownIdError` with a suggestion otherwise."""
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise _lookup_error("indicator", indicator_id, [i.id for i in self.indicators])

    @property
    def coverage(self) -> float | None:
        """Indicators encoded over the indicators the framework's source states, if stated."""
        if self.counts is None or self.counts.indicators is None:
            return None
        return len(self.indicators) / self.counts.indicators

    @property
    def pillars(self) -> tuple[Pillar, ...]:
        """The pillars this framework's domains cover, in the canonical order."""
        present = {d.pillar for d in self.domains}
        return tuple(p for p in Pillar if p in present)

    @property
    def group_ids(self) -> tuple[str, ...]:
        """``all`` and the ids of the declared population groups."""
        return (ALL, *(g.id for g in self.groups))

    def group_population(self, group_id: str) -> tuple[float, Source] | None:
        """The size of a population group and its source (``all``: the framework's
        population); None when the framework gives no population for it."""
        if group_id == ALL:
            if self.population is None:
                return None
            return self.population.count, self.population.source
        for group in self.groups:
            if group.id == group_id:
                return group.population, group.source
        raise _lookup_error("group", group_id, list(self.group_ids))

    def value_of(self, indicator: Indicator) -> MoneyValue | None:
        """The money value that prices an indicator: its own inline value, or the value it
        names in the framework's value set; None when it has none."""
        if isinstance(indicator.value, MoneyValue):
            return indicator.value
        if indicator.value is None or self.values is None:
            return None
        return self.values.get(indicator.value)

    def price_factor(self, value: MoneyValue) -> float | None:
        """What turns money of the value's price year into the framework's prices: 1 for the
        same year, the deflator's ratio otherwise, None when nothing can."""
        if value.price_year == self.price_year:
            return 1.0
        if self.deflator is None:
            return None
        return self.deflator.factor(value.price_year, self.price_year)

    @property
    def uncertainty_settings(self) -> Uncertainty:
        """The framework's ``uncertainty:``, or the library's marked defaults."""
        return self.uncertainty if self.uncertainty is not None else DEFAULT_UNCERTAINTY

    # -- views ---------------------------------------------------------------------------

    def to_data(self) -> dict[str, Any]:
        """Plain data in the YAML shape (what :meth:`to_yaml` writes)."""
        data: dict[str, Any] = self.model_dump(mode="json", exclude_defaults=True, by_alias=True)
        return data

    def indicators_frame(self) -> pd.DataFrame:
        """One row per indicator of each domain: domain, pillar, weights, unit, direction,
        scale and source."""
        import pandas as pd

        by_id = {i.id: i for i in self.indicators}
        rows = []
        for domain in self.domains:
            for ref in domain.indicators:
                ind = by_id[ref.id]
                rows.append(
                    {
                        "domain": domain.id,
                        "domain_name": domain.name,
                        "pillar": domain.pillar.value,
                        "domain_weight": domain.weight,
                        "indicator": ind.id,
                        "indicator_name": ind.name,
                        "indicator_weight": ref.weight,
                        "unit": ind.unit,
                        "direction": ind.direction.kind,
                        "scale": str(ind.scale),
                        "scale_basis": ind.scale_basis,
                        "status": ind.status,
                        "source": ind.source.title,
                        "source_url": ind.source.url,
                    }
                )
        columns = [
            "domain",
            "domain_name",
            "pillar",
            "domain_weight",
            "indicator",
            "indicator_name",
            "indicator_weight",
            "unit",
            "direction",
            "scale",
            "scale_basis",
            "status",
            "source",
            "source_url",
        ]
        return pd.DataFrame(rows, columns=columns)

    # -- notebook conveniences (implementations on higher floors, imported when called) --

    def to_yaml(self, path: str | None = None) -> str:
        """The framework as self-contained YAML; written atomically to ``path`` if given.

        Reading the text back with :func:`~wellbeing_budget.load_framework` gives an equal
        framework.
        """
        from ..io.files import write_text_atomic
        from ..io.yamlio import dump_yaml

        text = f"# framework {self.id}, written by wellbeing-budget\n" + dump_yaml(self.to_data())
        if path is not None:
            write_text_atomic(path, text)
        return text

    def index(self, data: Any, **options: Any) -> pd.DataFrame:
        """The framework's composite index of indicator levels in ``data`` (a tidy table:
        ``jurisdiction``, ``indicator``, ``year``, ``value``): scores and ranks per
        jurisdiction and year, with domain scores and normalised values kept for explanation.
        See :func:`wellbeing_budget.analysis.composite.compute_index` for the options.
        """
        from ..analysis.composite import compute_index

        return compute_index(self, data, **options)

    def status(self, data: Any, **options: Any) -> Any:
        """Where each indicator stands in the data: latest value, trend and distance to target.

        ``data`` is a tidy table (DataFrame or CSV path) with columns ``jurisdiction``,
        ``indicator``, ``year``, ``value`` and optionally ``group``. See
        :func:`wellbeing_budget.analysis.monitoring.indicator_status` for the options.
        """
        from ..analysis.monitoring import indicator_status

        return indicator_status(self, data, **options)

    def _repr_html_(self) -> str:
        from ..views.html import framework_html

        return framework_html(self)

    def __str__(self) -> str:
        n_ind = sum(len(d.indicators) for d in self.domains)
        return (
            f"{self.name} ({self.id} {self.version}, {self.jurisdiction}): "
            f"{len(self.domains)} domains, {n_ind} indicators, pillars "
            + ", ".join(p.value for p in self.pillars)
        )


def _lookup_error(what: str, key: str, candidates: list[str]) -> UnknownIdError:
    return UnknownIdError(f"no {what} {key!r}{did_you_mean(key, candidates)}")
