"""Money values for a monetised view: money per unit of change of an indicator.

A value is either **per person** (money per unit of change, per person, per year: the UK
WELLBY is 13,000 GBP per point of life satisfaction per person per year) or **per unit of a
total** (money per tonne of CO2e). Values come in cited sets (``frameworks/values/``) that a
framework selects with ``values: <set id>``; an indicator names the value that prices it
(``value: wellby``) or carries one inline. Money and effect-years are never added together.

>>> from wellbeing_budget import load_value_set
>>> wellby = load_value_set("uk-green-book-2021").get("wellby")
>>> (wellby.central_amount, wellby.currency, wellby.price_year)
(13000.0, 'GBP', 2019)
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from ..errors import UnitError, did_you_mean
from ..units import CURRENCIES, Quantity, conversion_factor, currency_of
from .base import ID_PATTERN, NotEmpty, Source, Text, UnitText, _Model

__all__ = ["Deflator", "MoneyValue", "PublicFunds", "ValueSet", "value_conversion"]

Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=100)]


def _money(value: Quantity, what: str) -> float:
    currency = currency_of(value.unit) if value.unit else None
    if currency is None:
        raise ValueError(f"{what} is money with a currency (e.g. '13000 GBP'), got {str(value)!r}")
    amount = value.to(currency)
    if not (math.isfinite(amount) and amount >= 0):
        raise ValueError(f"{what} must be a finite amount of 0 or more, got {str(value)!r}")
    return amount


class MoneyValue(_Model):
    """Money per unit of change of what ``unit`` measures, with its range and source.

    ``per_person: true``: per unit, per person, per year (a WELLBY, a QALY). ``false``: per
    unit of a total (a tonne of CO2e), for indicators that measure a total or a per-person
    average of one.
    """

    id: Id | None = None
    name: Text | None = None
    unit: UnitText
    per_person: bool
    central: Quantity
    low: Quantity | None = None
    high: Quantity | None = None
    price_year: int = Field(ge=1800, le=2100)
    status: Literal["primary", "secondary"] | None = None
    note: str | None = None
    source: Source

    @model_validator(mode="after")
    def _range(self) -> MoneyValue:
        central = _money(self.central, "central")
        currency = self.currency
        amounts = {"central": central}
        for key in ("low", "high"):
            bound = getattr(self, key)
            if bound is None:
                continue
            amounts[key] = _money(bound, key)
            if currency_of(bound.unit) != currency:
                raise ValueError(f"{key} is in {currency_of(bound.unit)}, central in {currency}")
        if not amounts.get("low", central) <= central <= amounts.get("high", central):
            raise ValueError("the range must hold low <= central <= high")
        return self

    @property
    def currency(self) -> str:
        """The currency of the value (``GBP``)."""
        currency = currency_of(self.central.unit)
        assert currency is not None
        return currency

    @property
    def central_amount(self) -> float:
        """The central value in its currency."""
        return float(self.central.to(self.currency))

    @property
    def low_amount(self) -> float:
        """The low value in its currency (the central one when no range is given)."""
        return self.central_amount if self.low is None else float(self.low.to(self.currency))

    @property
    def high_amount(self) -> float:
        """The high value in its currency (the central one when no range is given)."""
        return self.central_amount if self.high is None else float(self.high.to(self.currency))


class ValueSet(_Model):
    """A cited set of money values in one currency, selected by a framework (``values:``)."""

    id: Id
    name: Text
    currency: str
    description: str | None = None
    note: str | None = None
    source: Source
    values: Annotated[tuple[MoneyValue, ...], NotEmpty]

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, currency: str) -> str:
        if currency not in CURRENCIES:
            raise ValueError(f"unknown currency {currency!r}" + did_you_mean(currency, CURRENCIES))
        return currency

    @model_validator(mode="after")
    def _named_in_currency(self) -> ValueSet:
        seen: set[str] = set()
        for value in self.values:
            if value.id is None:
                raise ValueError("every value of a set needs an id (what indicators name)")
            if value.id in seen:
                raise ValueError(f"value {value.id!r} is listed twice")
            seen.add(value.id)
            if value.currency != self.currency:
                raise ValueError(
                    f"value {value.id!r} is in {value.currency}; the set is in {self.currency}"
                )
        return self

    def get(self, value_id: str) -> MoneyValue | None:
        """The value with this id, or None."""
        for value in self.values:
            if value.id == value_id:
                return value
        return None

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids of the set's values."""
        return tuple(v.id for v in self.values if v.id is not None)


class PublicFunds(_Model):
    """The marginal cost of public funds: each unit of net public cost counts ``1 + rate``
    (the deadweight cost of the taxes that pay for it)."""

    rate: Quantity
    note: str | None = None
    source: Source

    @field_validator("rate")
    @classmethod
    def _share(cls, rate: Quantity) -> Quantity:
        try:
            fraction = rate.magnitude if rate.unit == "" else rate.to("dimensionless")
        except UnitError:
            raise ValueError(f"rate is a share such as '20 percent', got {str(rate)!r}") from None
        if not 0 <= fraction < 1:
            raise ValueError(f"rate must be at least 0% and below 100%, got {str(rate)!r}")
        return rate

    @property
    def fraction(self) -> float:
        """The rate as a fraction (``20 percent`` -> 0.2)."""
        rate = self.rate
        return float(rate.magnitude if rate.unit == "" else rate.to("dimensionless"))


class Deflator(_Model):
    """A price index by year, used only to bring a value of one price year to another."""

    index: dict[int, float]
    note: str | None = None
    source: Source

    @field_validator("index")
    @classmethod
    def _positive(cls, index: dict[int, float]) -> dict[int, float]:
        if not index:
            raise ValueError("a deflator needs an index value for at least one year")
        for year, level in index.items():
            if not (math.isfinite(level) and level > 0):
                raise ValueError(f"the index for {year} must be a positive number, got {level}")
        return index

    def factor(self, from_year: int, to_year: int) -> float | None:
        """Multiply money of ``from_year`` prices by this to get ``to_year`` prices; None when
        the index lacks either year."""
        if from_year == to_year:
            return 1.0
        if from_year not in self.index or to_year not in self.index:
            return None
        return self.index[to_year] / self.index[from_year]


def value_conversion(indicator_unit: str, value: MoneyValue) -> tuple[float, bool]:
    """How a change in ``indicator_unit`` becomes units of what ``value`` prices.

    Returns ``(factor, times_people)``: the money per year of a change ``x`` at full level is
    ``x * factor * value`` for a total, and ``x * factor * people * value`` when
    ``times_people`` (a per-person value, or a per-person average of a total). Raises
    ``ValueError`` when the units do not fit.

    >>> from wellbeing_budget import load_value_set
    >>> carbon = load_value_set("uk-green-book-2021").get("carbon")
    >>> value_conversion("MtCO2e", carbon)
    (1000000.0, False)
    >>> value_conversion("tCO2e / person", carbon)
    (1.0, True)
    """
    try:
        factor = conversion_factor(indicator_unit, value.unit)
    except UnitError:
        factor = None
    if factor is not None:
        return factor, value.per_person
    if not value.per_person:
        try:
            return conversion_factor(f"({indicator_unit}) * person", value.unit), True
        except UnitError:
            pass
    kind = "per person per year" if value.per_person else "per unit of a total"
    raise ValueError(
        f"a value per {value.unit} ({kind}) cannot price an indicator in {indicator_unit}"
    )
