"""The framework model: round trips, views, lookups, discount schedules."""

from __future__ import annotations

from pathlib import Path

import pytest

import wellbeing_budget as wb
from wellbeing_budget import UnknownIdError
from wellbeing_budget.model.framework import DiscountSpec, Generations


@pytest.mark.parametrize("framework_id", wb.list_frameworks())
def test_to_yaml_round_trips_to_an_equal_framework(framework_id: str, tmp_path: Path) -> None:
    framework = wb.load_framework(framework_id)
    path = tmp_path / "copy.yaml"
    framework.to_yaml(str(path))
    again = wb.load_framework(path)
    assert again == framework
    assert again.to_yaml() == framework.to_yaml()


def test_indicators_frame_columns_and_rows() -> None:
    lsf = wb.load_framework("nz-lsf-2021")
    frame = lsf.indicators_frame()
    expected = {"domain", "pillar", "indicator", "unit", "direction", "scale", "source"}
    assert expected <= set(frame.columns)
    assert len(frame) == sum(len(d.indicators) for d in lsf.domains)
    row = frame.set_index("indicator").loc["nz.life-expectancy"]
    assert (row.domain, row.pillar, row.unit, row.direction) == (
        "health",
        "people",
        "year",
        "higher_is_better",
    )


def test_lookups_suggest_close_ids() -> None:
    lsf = wb.load_framework("nz-lsf-2021")
    assert lsf.indicator("nz.life-expectancy").unit == "year"
    with pytest.raises(UnknownIdError, match="did you mean 'health'"):
        lsf.domain("helth")
    with pytest.raises(KeyError):  # still a KeyError for code that expects one
        lsf.indicator("nz.nothing")


def test_lsf_structure() -> None:
    lsf = wb.load_framework("nz-lsf-2021")
    levels: dict[str | None, int] = {}
    for domain in lsf.domains:
        levels[domain.level] = levels.get(domain.level, 0) + 1
    assert levels == {
        "individual_and_collective_wellbeing": 12,
        "institutions_and_governance": 1,
        "wealth": 4,
    }
    assert lsf.domain("natural-environment").pillar is wb.Pillar.ENVIRONMENT
    assert lsf.domain("financial-and-physical-capital").pillar is wb.Pillar.PUBLIC_FINANCES


def test_priorities_of_the_2019_budget_refer_to_measured_indicators() -> None:
    b19 = wb.load_framework("nz-wellbeing-budget-2019")
    assert [p.id for p in b19.priorities] == [
        "mental-health",
        "child-wellbeing",
        "maori-pasifika",
        "productive-nation",
        "transforming-the-economy",
    ]
    measured = {r.id for d in b19.domains for r in d.indicators}
    for priority in b19.priorities:
        assert set(priority.indicators) <= measured


def test_scale_value_in_indicator_unit() -> None:
    lsf = wb.load_framework("nz-lsf-2021")
    assert lsf.indicator("nz.self-rated-health").scale_value == pytest.approx(13.77)
    assert lsf.indicator("nz.life-expectancy").scale_value == pytest.approx(2.43)


def test_declining_schedule_rates_by_year() -> None:
    spec = DiscountSpec.model_validate(
        {
            "kind": "declining",
            "schedule": [
                {"from_year": 1, "rate": "2 percent"},
                {"from_year": 31, "rate": "1.5 percent"},
                {"from_year": 101, "rate": "1 percent"},
            ],
        }
    )
    assert [spec.rate_for_year(t) for t in (1, 30, 31, 100, 101, 300)] == pytest.approx(
        [0.02, 0.02, 0.015, 0.015, 0.01, 0.01]
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "constant"}, "needs a rate"),
        ({"kind": "declining", "rate": "2 percent"}, "needs a schedule"),
        ({"kind": "none", "rate": "2 percent"}, "takes no rate"),
        ({"kind": "constant", "rate": "120 percent"}, "below 100%"),
        ({"kind": "constant", "rate": "2 year"}, "percentage"),
        (
            {"kind": "declining", "schedule": [{"from_year": 5, "rate": "2 %"}]},
            "year 0 or 1",
        ),
    ],
)
def test_discount_spec_refuses(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DiscountSpec.model_validate(data)


def test_generations_need_whole_years() -> None:
    gens = Generations.model_validate(
        {"current_horizon": "300 months", "assessment_horizon": "100 years"}
    )
    assert (gens.current_years, gens.assessment_years) == (25, 100)
    with pytest.raises(ValueError, match="whole number of years"):
        Generations.model_validate(
            {"current_horizon": "2.5 years", "assessment_horizon": "5 years"}
        )
    with pytest.raises(ValueError, match="needs a unit"):
        Generations.model_validate({"current_horizon": 25, "assessment_horizon": 100})


def test_models_are_frozen() -> None:
    lsf = wb.load_framework("nz-lsf-2021")
    with pytest.raises(ValueError, match="frozen"):
        lsf.domains[0].weight = 3  # type: ignore[misc]


def test_str_summarises() -> None:
    text = str(wb.load_framework("nz-lsf-2021"))
    assert "Living Standards Framework 2021" in text and "17 domains" in text
