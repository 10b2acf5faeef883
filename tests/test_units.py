import math

import pytest

from wellbeing_budget import UnitError
from wellbeing_budget.units import (
    CURRENCIES,
    Quantity,
    conversion_factor,
    currency_of,
    is_share_unit,
    parse_quantity,
    parse_unit,
)


def test_money_multipliers_convert() -> None:
    assert conversion_factor("million NZD", "NZD") == 1e6
    assert conversion_factor("billion DKK", "million DKK") == pytest.approx(1e3)
    assert parse_quantity("455 million NZD").to("NZD") == pytest.approx(455e6)


@pytest.mark.parametrize("a", CURRENCIES)
@pytest.mark.parametrize("b", CURRENCIES)
def test_currencies_never_convert_into_each_other(a: str, b: str) -> None:
    if a == b:
        assert conversion_factor(a, b) == 1.0
    else:
        with pytest.raises(UnitError, match=f"'{a}'.*cannot be converted to '{b}'"):
            conversion_factor(a, b)


def test_currency_of_reads_the_code_of_money_units() -> None:
    assert currency_of("million NZD") == "NZD"
    assert currency_of("DKK") == "DKK"
    assert currency_of("year") is None
    assert currency_of("NZD / person") is None


def test_percentage_point_is_not_percent() -> None:
    with pytest.raises(UnitError):
        conversion_factor("percentage_point", "percent")
    assert is_share_unit("percent") and is_share_unit("%")
    assert not is_share_unit("per_100k") and not is_share_unit("year")


def test_point_is_a_rating_point_not_a_typographic_one() -> None:
    with pytest.raises(UnitError):
        conversion_factor("point", "millimeter")
    assert conversion_factor("points", "point") == 1.0


def test_emissions_are_not_plain_mass() -> None:
    assert conversion_factor("MtCO2e", "tCO2e") == pytest.approx(1e6)
    with pytest.raises(UnitError):
        conversion_factor("tCO2e", "tonne")


def test_months_and_years() -> None:
    assert 12 * conversion_factor("month", "year") == pytest.approx(1.0)
    assert conversion_factor("person", "people") == 1.0


def test_unknown_unit_suggests_a_close_one() -> None:
    with pytest.raises(UnitError, match="did you mean 'year'"):
        parse_unit("yeer")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.5 year", Quantity(0.5, "year")),
        ("-0.4 percentage_point", Quantity(-0.4, "percentage_point")),
        ("2%", Quantity(2.0, "%")),
        ("1e6 NZD", Quantity(1e6, "NZD")),
        ("1_000 NZD", Quantity(1000.0, "NZD")),
        (3, Quantity(3.0, "")),
    ],
)
def test_parse_quantity(text: object, expected: Quantity) -> None:
    assert parse_quantity(text) == expected


@pytest.mark.parametrize("bad", ["year", "", "nan year", True, None, [1], "1 flurble"])
def test_parse_quantity_refuses(bad: object) -> None:
    with pytest.raises(UnitError):
        parse_quantity(bad)


def test_quantity_text_round_trips() -> None:
    for text in ["0.5 year", "455 million NZD", "2 percent", "1.29 percent", "0.1"]:
        quantity = parse_quantity(text)
        assert parse_quantity(str(quantity)) == quantity
    assert not math.isnan(parse_quantity("1e-9 year").magnitude)
