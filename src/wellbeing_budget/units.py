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
* ``thousand``, ``million`` and ``billion`` as plain multipliers: ``455 million NZD``;
* ``kr`` and ``kr.`` are Danish kroner (``DKK``).

A quantity is written as a number, then its unit, with a decimal point. What a spreadsheet or
a Danish file may hold instead is refused with a suggestion rather than misread: a decimal
comma (``0,1 point``), thousands separators (``1,000 NZD``, ``1 000 NZD``), a prefixed
currency (``40 mDKK`` would be milli-kroner to pint) and digits in the unit text. Tables read
with ``decimal=","`` turn their numbers into this form first (:func:`delocalise`).

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
from typing import TYPE_CHECKING, Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

from .errors import UnitError, did_you_mean

if TYPE_CHECKING:
    import pint

    ureg: pint.UnitRegistry[Any]
    """The library's only unit registry, built on first use (see :func:`__getattr__`)."""

__all__ = [
    "CURRENCIES",
    "Quantity",
    "conversion_factor",
    "currency_of",
    "delocalise",
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


@lru_cache(maxsize=1)
def _registry() -> pint.UnitRegistry[Any]:
    """The registry, built on first use: importing pint and reading its definitions is most of
    the library's import time, and listing frameworks or ``--help`` needs no unit."""
    import pint

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


def __getattr__(name: str) -> Any:
    # ``ureg``, the library's only unit registry (use it for any unit you combine with ours),
    # is built when first asked for.
    if name == "ureg":
        return _registry()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_NUMBER = r"[-+]?(?:\d+(?:[_\d]*)(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_QUANTITY_RE = re.compile(rf"^\s*({_NUMBER})\s*(.*?)\s*$")
# The number as a person may have written it, separators and all: "12,1", "1.234.567,5",
# "1 000 000" (with ordinary or no-break spaces).
_WRITTEN_NUMBER_RE = re.compile(
    r"^\s*([-+]?\d[\d,.\u00a0\u202f ]*\d|[-+]?\d)(?![\d,.])\s*(.*?)\s*$"
)
# A number inside the unit text: "0 ,1 point" leftovers, "1 000" groups, "2 3 years".
_DIGIT_IN_UNIT_RE = re.compile(r"(?:^|[\s(,;])[-+]?\.?\d")
_EXPONENT_RE = re.compile(r"(?:\*\*|\^|/)\s*[-+]?\d+(?:\.\d+)?")
_CURRENCY_TOKEN_RE = re.compile(rf"^([A-Za-z.]+?)\.?({'|'.join(CURRENCIES)})$")
_MULTIPLIER_WORDS = {
    "k": "thousand",
    "t": "thousand",
    "m": "million",
    "mn": "million",
    "mio": "million",
    "mill": "million",
    "b": "billion",
    "bn": "billion",
    "mia": "billion",
    "mrd": "billion",
}
_KRONER = {"kr", "kr.", "kroner"}
MAX_MAGNITUDE = 1e15
"""Largest magnitude a quantity may have before its unit (a quadrillion): far beyond any
budget line or indicator change, and small enough that converting it never overflows."""


@lru_cache(maxsize=4096)
def parse_unit(text: str) -> Any:
    """The pint unit for ``text``; a :class:`UnitError` with a suggestion when unknown.

    >>> str(parse_unit("years"))
    'year'
    """
    import pint

    ureg = _registry()
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
    return tuple(_registry()._units.keys())


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
    import pint

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
        if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
            raise UnitError(
                f"quantity must be finite and at most {MAX_MAGNITUDE:.0e}, got {value!r}"
            )
        return Quantity(float(value), "")
    if value is None:
        raise UnitError("is empty: expected a quantity such as '0.5 year'")
    raise UnitError(f"expected a quantity such as '0.5 year', got {type(value).__name__}")


@lru_cache(maxsize=65536)
def _parse_text(value: str) -> Quantity:
    # Quantities are immutable, so the same text (a bulk file repeats "10 years" thousands of
    # times) is parsed once and shared.
    match = _QUANTITY_RE.match(value)
    if match is None:
        raise UnitError(f"expected a number followed by a unit (e.g. '0.5 year'), got {value!r}")
    unit = match.group(2)
    if unit[:1] in (",", ".") or _DIGIT_IN_UNIT_RE.search(_EXPONENT_RE.sub("", unit)):
        raise UnitError(_separator_message(value))
    magnitude = float(match.group(1).replace("_", ""))
    if unit:
        unit = _canonical_unit(unit, value, match.group(1))
        _check_unit_text(unit)
    if not math.isfinite(magnitude) or abs(magnitude) > MAX_MAGNITUDE:
        raise UnitError(
            f"quantity must be finite and at most {MAX_MAGNITUDE:.0e} in size, got {value!r}"
        )
    return Quantity(magnitude, unit)


def _canonical_unit(unit: str, value: str, number: str) -> str:
    """The unit text with ``kr`` as ``DKK``; prefixed currencies refused with a suggestion."""
    tokens = unit.split()
    out: list[str] = []
    for n, token in enumerate(tokens):
        if token in _KRONER:
            out.append("DKK")
            continue
        word = token.rstrip(".").lower()
        currency = _CURRENCY_TOKEN_RE.match(token)
        if currency is not None and currency.group(1).rstrip(".").lower() in _MULTIPLIER_WORDS:
            better = _MULTIPLIER_WORDS[currency.group(1).rstrip(".").lower()]
            rest = " ".join([*out, better, currency.group(2), *tokens[n + 1 :]])
            raise UnitError(f"{value!r}: write '{number} {rest}' (multipliers are words)")
        if currency is not None:
            raise UnitError(
                f"{value!r}: {token!r} is not a currency; write the multiplier as a word "
                f"(thousand, million, billion) before {currency.group(2)}"
            )
        if word in _MULTIPLIER_WORDS and len(word) > 1 and n + 1 < len(tokens):
            better = _MULTIPLIER_WORDS[word]
            rest = " ".join([*out, better, *tokens[n + 1 :]]).replace("kr.", "DKK")
            rest = " ".join("DKK" if t in _KRONER else t for t in rest.split())
            raise UnitError(f"{value!r}: write '{number} {rest}' (multipliers are words)")
        out.append(token)
    return " ".join(out)


def _separator_message(value: str) -> str:
    written = _WRITTEN_NUMBER_RE.match(value)
    if written is None:
        return f"{value!r}: the unit text holds a number; write one number, then its unit"
    number, unit = written.group(1), written.group(2)
    tail = f" {unit}" if unit else ""
    compact = re.sub(r"[\u00a0\u202f ]", "", number)
    if compact != number and "," not in compact and "." not in compact:
        return f"{value!r}: a number is written without spaces; write '{compact}{tail}'"
    if "," in compact:
        try:
            as_decimal = delocalise(compact)
        except UnitError:
            as_decimal = None
        groups = compact.split(",")
        thousands = "." not in compact and all(len(g) == 3 for g in groups[1:])
        if thousands:
            plain = compact.replace(",", "")
            alternative = f" (or '{as_decimal}{tail}' if the comma is a decimal comma)"
            return f"{value!r}: thousands separators are not read; write '{plain}{tail}'" + (
                alternative if as_decimal and len(groups) == 2 else ""
            )
        if as_decimal is not None:
            return (
                f"{value!r}: a decimal comma; write '{as_decimal}{tail}' (or read the table "
                "with decimal=',')"
            )
    if compact.count(".") > 1:
        return (
            f"{value!r}: thousands separators are not read; write "
            f"'{compact.replace('.', '')}{tail}' (or read the table with decimal=',' if "
            "the dots group thousands)"
        )
    return f"{value!r}: the unit text holds a number; write one number, then its unit"


def delocalise(text: str) -> str:
    """Text written with a decimal comma, as the library reads numbers (a decimal point).

    Dots may group thousands in threes (``1.234.567,5``); a lone dot is refused, since
    ``2.500`` could be two and a half or two thousand five hundred.

    >>> delocalise("12,1 million DKK")
    '12.1 million DKK'
    >>> delocalise("1.234,5")
    '1234.5'
    """
    match = _WRITTEN_NUMBER_RE.match(text)
    if match is None:
        return text
    number, unit = match.group(1), match.group(2)
    compact = re.sub(r"[\u00a0\u202f ]", "", number)
    if compact != number and not re.fullmatch(
        r"[-+]?\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?:,\d+)?", number
    ):
        raise UnitError(f"{text!r}: a number is written without spaces inside it")
    integer, _, fraction = compact.partition(",")
    if "," in fraction:
        raise UnitError(f"{text!r}: a number holds one decimal comma at most")
    if "." in integer:
        groups = integer.lstrip("+-").split(".")
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            raise UnitError(
                f"{text!r}: with decimal=',' a dot only groups thousands (1.234.567,5); "
                f"write the number as {integer.replace('.', ',')!r} or without dots"
            )
        integer = integer.replace(".", "")
    result = f"{integer}.{fraction}" if fraction else integer
    return f"{result} {unit}" if unit else result


@lru_cache(maxsize=4096)
def _check_unit_text(unit: str) -> None:
    parse_unit(unit)
