"""Numbers for people, and the report's words in Danish."""

from __future__ import annotations

import math
import re

from hypothesis import given
from hypothesis import strategies as st

from wellbeing_budget.views.i18n import TINY, format_number, translator


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_numbers_never_use_scientific_notation_and_keep_three_figures(value: float) -> None:
    text = format_number(value)
    assert not re.search(r"\de", text)
    if abs(value) < TINY:
        assert text in ("0", "< 0.001", "> −0.001")
        return
    back = float(text.replace(",", "").replace("−", "-"))
    assert math.copysign(1, back) == math.copysign(1, value)
    assert abs(back - value) <= 0.005 * abs(value) + 1e-12


def test_danish_swaps_the_separators() -> None:
    assert format_number(1234567.0, 7, language="da") == "1.234.567"
    assert format_number(0.0456, language="da") == "0,0456"
    assert format_number(1234567.0, 7) == "1,234,567"


def test_missing_values_and_zero() -> None:
    assert format_number(float("nan")) == "–"
    assert format_number(None) == "–"
    assert format_number(0.0) == "0"


def test_words_in_danish_and_english_fallback() -> None:
    assert translator("da")("Net cost NPV") == "Nettoomkostning (nutidsværdi)"
    assert translator("mi")("Net cost NPV") == "Net cost NPV"
    assert translator(None)("Ranking") == "Ranking"
