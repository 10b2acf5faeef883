"""Time profiles and discount schedules."""

from __future__ import annotations

import numpy as np
import pytest

import wellbeing_budget as wb
from wellbeing_budget.engine.compile import rate_schedule
from wellbeing_budget.engine.timeprofile import (
    discount_factors,
    discounted_sums,
    generation_sums,
    profile_matrix,
)
from wellbeing_budget.model.framework import DiscountSpec


def factors_of(spec: DiscountSpec, years: int) -> np.ndarray:
    """Discount factors of a schedule over ``years``, as the compiled budget gives them."""
    return discount_factors(rate_schedule(spec, years))


def one(start: int, ramp: float, duration: float, persistence: float, years: int) -> np.ndarray:
    return profile_matrix(
        np.array([start]), np.array([ramp]), np.array([duration]), np.array([persistence]), years
    )[0]


def test_plain_block() -> None:
    assert one(2, 0, 3, 0, 7).tolist() == [0, 0, 1, 1, 1, 0, 0]


def test_linear_ramp_up_is_part_of_the_duration() -> None:
    assert one(0, 4, 6, 0, 8) == pytest.approx([0.25, 0.5, 0.75, 1, 1, 1, 0, 0])


def test_geometric_persistence_after_the_end() -> None:
    assert one(0, 0, 2, 0.5, 6) == pytest.approx([1, 1, 0.5, 0.25, 0.125, 0.0625])


def test_ramp_not_finished_at_the_end_persists_from_the_level_reached() -> None:
    assert one(0, 4, 2, 0.5, 4) == pytest.approx([0.25, 0.5, 0.25, 0.125])


def test_fractional_duration_counts_the_fraction_of_the_last_year() -> None:
    assert one(0, 0, 2.5, 0, 4) == pytest.approx([1, 1, 0.5, 0])


def test_nz_treasury_schedule_factors() -> None:
    spec = wb.load_discount_schedule("nz-treasury-2024-non-commercial")
    factors = factors_of(spec, 120)
    assert factors[0] == 1.0
    assert factors[30] == pytest.approx(1.02**-30)
    assert factors[31] == pytest.approx(1.02**-30 / 1.015)
    assert factors[100] == pytest.approx(1.02**-30 * 1.015**-70)
    assert factors[101] == pytest.approx(1.02**-30 * 1.015**-70 / 1.01)


def test_thirty_years_at_2_and_8_percent() -> None:
    """A benefit 30 years out "loses almost half its value at 2% but almost 90% at 8%".

    Source: M. Reddell on NZ Treasury's 2024 discount rates (reposted at
    https://www.swissnewshub.ch/2025/04/30/dangerous-recommendation-on-public-sector-low-cost-charges),
    cited in the project's reference notes on NZ public sector discount rates.
    """
    low = factors_of(wb.load_discount_schedule("nz-treasury-2024-non-commercial"), 31)[30]
    high = factors_of(wb.load_discount_schedule("nz-treasury-2024-commercial"), 31)[30]
    assert 0.5 < low < 0.6  # loses almost half
    assert 0.09 < high < 0.11  # loses almost 90%


def test_green_book_standard_schedule_steps() -> None:
    spec = wb.load_discount_schedule("uk-green-book-standard")
    factors = factors_of(spec, 400)
    rates = factors[:-1] / factors[1:] - 1
    assert rates[0] == pytest.approx(0.035)  # between year 0 and 1
    assert rates[29] == pytest.approx(0.035)  # year 30
    assert rates[30] == pytest.approx(0.03)  # year 31
    assert rates[75] == pytest.approx(0.025)  # year 76
    assert rates[300] == pytest.approx(0.01)  # year 301


def test_none_and_constant() -> None:
    assert factors_of(DiscountSpec(kind="none"), 5).tolist() == [1, 1, 1, 1, 1]
    constant = DiscountSpec.model_validate({"kind": "constant", "rate": "5 percent"})
    assert factors_of(constant, 3) == pytest.approx([1, 1 / 1.05, 1 / 1.05**2])


def test_generation_sums_split_at_the_current_horizon() -> None:
    now, later = generation_sums(
        np.array([0, 20]),
        np.array([0.0, 0.0]),
        np.array([40.0, 10.0]),
        np.array([0.0, 0.0]),
        np.ones(100),
        25,
    )
    assert now.tolist() == [25, 5]
    assert later.tolist() == [15, 5]


def test_chunks_give_the_same_sums_as_one_block(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(1)
    n = 50
    args = (
        rng.integers(0, 30, n),
        rng.uniform(0, 5, n),
        rng.uniform(0.5, 40, n),
        rng.uniform(0, 0.95, n),
        factors_of(DiscountSpec(kind="none"), 100),
        25,
    )
    whole = generation_sums(*args)
    monkeypatch.setattr("wellbeing_budget.engine.timeprofile.CELLS", 7 * 32)
    chunked = generation_sums(*args)
    assert np.array_equal(whole[0], chunked[0])
    assert np.array_equal(whole[1], chunked[1])


@pytest.mark.parametrize("years", [1, 31, 100, 1000])
def test_sums_equal_the_whole_profile_matrix(years: int) -> None:
    """Blocks of years, chunks of cells and the stop at underflow change no figure beyond
    rounding: the sums equal the row sums of the full matrix over the whole horizon."""
    rng = np.random.default_rng(7)
    n = 300
    start = rng.integers(0, min(years, 40), n)
    ramp = rng.uniform(0, 3, n)
    duration = ramp + rng.uniform(0.5, 60, n)
    persistence = np.concatenate([rng.uniform(0, 1e-3, 100), rng.uniform(0, 0.999, 200)])
    factors = factors_of(DiscountSpec(kind="constant", rate=0.02), years)
    split = min(25, years)
    now, later = generation_sums(start, ramp, duration, persistence, factors, split)
    levels = profile_matrix(start, ramp, duration, persistence, years) * factors
    np.testing.assert_allclose(now, levels[:, :split].sum(axis=1), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(later, levels[:, split:].sum(axis=1), rtol=1e-12, atol=1e-300)


def test_several_schedules_share_one_profile() -> None:
    rng = np.random.default_rng(3)
    n = 40
    args = (rng.integers(0, 20, n), rng.uniform(0, 2, n), rng.uniform(2, 30, n))
    persistence = rng.uniform(0, 0.9, n)
    wellbeing = factors_of(DiscountSpec(kind="constant", rate=0.015), 100)
    money = factors_of(DiscountSpec(kind="constant", rate=0.05), 100)
    both = discounted_sums(*args, persistence, [wellbeing, money], 25)
    for (now, later), factors in zip(both, [wellbeing, money], strict=True):
        alone = generation_sums(*args, persistence, factors, 25)
        assert np.array_equal(now, alone[0])
        assert np.array_equal(later, alone[1])
