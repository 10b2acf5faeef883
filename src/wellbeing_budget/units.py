"""The library's one unit registry, and quantities as plain immutable values.

Units come from pint, with what wellbeing budgets need on top:

* currencies (``NZD``, ``AUD``, ``DKK``, ``GBP``, ``EUR``, ``USD``, ``CAD``) are each their own
  dimension, so an amount never converts silently from one currency to another;
* ``person`` and ``household`` count people and households;
* ``percentage_point`` (``pp``) is its own dimension: it is an absolute change of a share, which
  ``percent`` (a relative change, or a level) is not;
* ``point`` is a point on a rating scale (life satisfaction 0-10, a test score), not the
  typographic point pint ships with;
* ``tCO2e`` (and ``gCO2e``, ``kgCO2e``, ``ktCO2e``, ``MtCO2e``) measure greenhouse gases as CO2
  equivalent, apart from plain mass;
* ``thousand``, ``million`` and ``billion`` as plain multipliers: ``455 million NZD``.

Conversion between two units is computed once and returned as a float factor
(:func:`conversion_factor`), so hot paths multiply arrays by one number per unit instead of
converting value by value.

>>> conversion_factor("million NZD", "NZD")
1000000.0
>>> parse_quantity("-0.4 percentage_point")
Quantity(magnitude=-0.4, unit='percentage_point')
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import pint
from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

from .errors import UnitError, did_you_mean

__all__ = [
    "CURRENCIES",
    "Quantity",
    "conversion_factor",
    "currency_of",
    "dimensionality",
    "is_share_unit",
    "parse_quantity",
    "parse_unit",
    "ureg",
]

CURRENCIES: tuple[str, ...] = ("NZD", "AUD", "DKK", "GBP", "EUR", "USD", "CAD")

_EXTRA_DEFINITIONS = [
    "thousand = 1e3",
    "million = 1e6",
    "billion = 1e9",
    "person = [person] = persons = people",
    "household = [household] = households",
    "room = [room] = rooms",
    "percentage_point = [percentage_point] = pp = percentage_points",
    "point = [rating_point] = points",
    "gCO2e = [co2_equivalent]",
    "kgCO2e = 1e3 * gCO2e",
    "tCO2e = 1e6 * gCO2e = tonne_CO2e",
    "ktCO2e = 1e3 * tCO2e",
    "MtCO2e = 1e6 * tCO2e",
    "per_100k = 1e-5 = per_100000",
    *(f"{code} = [currency_{code}]" for code in CURRENCIES),
]

# pint's typographic point and pica would make "0.3 point" of life satisfaction a length.
_DROPPED_DEFAULTS = ("point =", "pica =")


def _build_registry() -> pint.UnitRegistry[Any]:
    base = resources.files("pint")
    lines: list[str] = []
    for line in (base / "default_en.txt").read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("@import"):
            included = base / stripped.split()[1]
            lines.extend(included.read_text(encoding="utf-8").splitlines())
            continue
        if stripped.startswith(_DROPPED_DEFAULTS):
            continue
        lines.append(line)
    registry: pint.UnitRegistry[Any] = pint.UnitRegistry(None, on_redefinition="raise")
    registry.load_definitions(lines)
    for definition in _EXTRA_DEFINITIONS:
        registry.define(definition)
    return registry


ureg: pint.UnitRegistry[Any] = _build_registry()
"""The library's only unit registry. Use it for any unit you combine with ours."""

_NUMBER = r"[-+]?(?:\d+(?:[_\d]*)(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_QUANTITY_RE = re.compile(rf"^\s*({_NUMBER})\s*(.*?)\s*$")


@lru_cache(maxsize=4096)
def parse_unit(text: str) -> Any:
    """The pint unit for ``text``; a :class:`UnitError` with a suggestion when unknown.

    >>> str(parse_unit("years"))
    'year'
    """
    cleaned = text.strip()
    if not cleaned or cleaned in {"1", "dimensionless"}:
        return ureg.dimensionless
    try:
        parsed = ureg.parse_expression(cleaned)
    except pint.UndefinedUnitError as exc:
        name = str(exc.unit_names[0] if isinstance(exc.unit_names, tuple) else exc.unit_names)
        hint = did_you_mean(name, _unit_names())
        raise UnitError(f"unknown unit {name!r} in {text!r}{hint}") from None
    except Exception as exc:  # pint raises several parser errors for malformed text
        raise UnitError(f"cannot read {text!r} as a unit ({exc})") from None
    if isinstance(parsed, pint.Quantity):
        if parsed.magnitude != 1:
            raise UnitError(f"{text!r} is a quantity, not a unit")
        return parsed.units
    raise UnitError(f"cannot read {text!r} as a unit")


@lru_cache(maxsize=1)
def _unit_names() -> tuple[str, ...]:
    return tuple(ureg._units.keys())


def dimensionality(unit: str) -> str:
    """The unit's dimension, as pint writes it (``[time]``, ``[currency_NZD]``...)."""
    dims = parse_unit(unit).dimensionality
    return str(dims) if dims else "dimensionless"


@lru_cache(maxsize=1024)
def is_percentage_point(unit: str) -> bool:
    """Whether ``unit`` is a percentage point, under any of its names (``percentage_point``,
    ``pp``, ``percentage_points``).

    >>> is_percentage_point("pp"), is_percentage_point("percent")
    (True, False)
    """
    if not unit:
        return False
    try:
        return dimensionality(unit) == "[percentage_point]"
    except UnitError:
        return False


@lru_cache(maxsize=4096)
def conversion_factor(from_unit: str, to_unit: str) -> float:
    """The float ``f`` such that ``x from_unit == x * f to_unit``.

    Raises :class:`UnitError` naming both units when their dimensions differ.

    >>> conversion_factor("month", "year")
    0.08333333333333333
    """
    source, target = parse_unit(from_unit), parse_unit(to_unit)
    try:
        factor = (1.0 * source).to(target).magnitude
    except pint.DimensionalityError:
        raise UnitError(
            f"{from_unit!r} ({dimensionality(from_unit)}) cannot be converted to "
            f"{to_unit!r} ({dimensionality(to_unit)})"
        ) from None
    return float(factor)


@lru_cache(maxsize=4096)
def currency_of(unit: str) -> str | None:
    """The currency code a money unit is in (``million NZD`` -> ``NZD``), else ``None``."""
    dims = parse_unit(unit).dimensionality
    if len(dims) != 1:
        return None
    ((dim, power),) = dims.items()
    name = str(dim)
    if power == 1 and name.startswith("[currency_"):
        return name[len("[currency_") : -1]
    return None


_SHARE_UNITS = frozenset({"percent", "permille", "ppm"})


def is_share_unit(unit: str) -> bool:
    """True for share units (``percent``, ``%``, ``permille``, ``ppm``).

    A change of such an indicator must say whether it is absolute (``percentage_point``) or
    relative (``relative_change``): a bare ``-5 percent`` could mean either.
    """
    return str(parse_unit(unit)) in _SHARE_UNITS


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with a unit, as written in YAML (``0.5 year``, ``455 million NZD``).

    Immutable and hashable; converts with :meth:`to`. The unit is checked by pint when the
    quantity is parsed, so a ``Quantity`` always holds a known unit.
    """

    magnitude: float
    unit: str

    def __str__(self) -> str:
        number = _format_number(self.magnitude)
        return f"{number} {self.unit}" if self.unit else number

    def to(self, unit: str) -> float:
        """The magnitude in ``unit``, or a :class:`UnitError` naming both units."""
        return self.magnitude * conversion_factor(self.unit, unit)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source_type: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            _validate_quantity,
            serialization=core_schema.plain_serializer_function_ser_schema(str),
            json_schema_input_schema=core_schema.str_schema(),
        )


def _format_number(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _validate_quantity(value: Any) -> Quantity:
    if isinstance(value, Quantity):
        return value
    try:
        return parse_quantity(value)
    except UnitError as exc:
        raise ValueError(str(exc)) from None


def parse_quantity(value: object) -> Quantity:
    """Read ``"455 million NZD"``, ``"2 %"`` or a bare number (dimensionless).

    The unit text is checked once per distinct spelling (cached), which keeps bulk loading of
    thousands of proposals fast.
    """
    if isinstance(value, bool):
        raise UnitError(f"expected a quantity such as '0.5 year', got {value!r}")
    if isinstance(value, str):
        return _parse_text(value)
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise UnitError(f"quantity must be finite, got {value!r}")
        return Quantity(float(value), "")
    raise UnitError(f"expected a quantity such as '0.5 year', got {type(value).__name__}")


@lru_cache(maxsize=65536)
def _parse_text(value: str) -> Quantity:
    # Quantities are immutable, so the same text (a bulk file repeats "10 years" thousands of
    # times) is parsed once and shared.
    match = _QUANTITY_RE.match(value)
    if match is None:
        raise UnitError(f"expected a number followed by a unit (e.g. '0.5 year'), got {value!r}")
    magnitude = float(match.group(1).replace("_", ""))
    unit = match.group(2)
    if unit:
        _check_unit_text(unit)
    if not math.isfinite(magnitude):
        raise UnitError(f"quantity must be finite, got {value!r}")
    return Quantity(magnitude, unit)


@lru_cache(maxsize=4096)
def _check_unit_text(unit: str) -> None:
    parse_unit(unit)
