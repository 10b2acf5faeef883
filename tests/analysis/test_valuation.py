"""The money view and populations: values priced by hand, reach counted against the group an
indicator describes, the base year, and what is refused."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wellbeing_budget as wb

from ..conftest import ROOT

DK = wb.load_framework(ROOT / "examples" / "dk-trivsel" / "framework.yaml")
NZ_BIDS = ROOT / "examples" / "nz-wellbeing-budget-2019" / "proposals.yaml"

WELLBY_FRAMEWORK = """\
extends: uk-ons-national-wellbeing
id: wellby-check
name: WELLBY check
price_year: {price_year}
population: {{count: 67000000, year: 2022, source: {{title: Illustrative round number for the test}}}}
domains:
  - {{id: mean-life-satisfaction, name: Mean life satisfaction, pillar: people, indicators: [uk.life-satisfaction]}}
"""

WELLBY_BIDS = """\
proposals:
  - id: course
    title: A course that lifts life satisfaction
    lead_agency: A
    costs: [{year: 2023, amount: 1 million GBP}]
    impacts:
      - indicator: uk.life-satisfaction
        change: 1 point
        people: 1000
        timing: {start: 2023, duration: 3 years}
        evidence: high
"""


def _bid(indicator: str, change: str, people: int | None = None, group: str = "all") -> wb.Proposal:
    impact: dict[str, object] = {
        "indicator": indicator,
        "change": change,
        "group": group,
        "evidence": "high",
        "timing": {"start": 2021, "duration": "5 years"},
    }
    if people is not None:
        impact["people"] = people
    return wb.Proposal.model_validate(
        {"id": "b", "title": "B", "lead_agency": "A", "impacts": [impact]}
    )


def test_a_wellby_appraisal_by_hand(write_yaml: Callable[..., Path]) -> None:
    """1 point of life satisfaction for 1,000 people for 3 years, valued at the Green Book's
    13,000 GBP per WELLBY (range 10,000-16,000, 2019 prices; HM Treasury, Wellbeing Guidance
    for Appraisal, 2021) and discounted at the Green Book's 3.5 %."""
    framework = wb.load_framework(write_yaml(WELLBY_FRAMEWORK.format(price_year=2019), "f.yaml"))
    card = wb.score(framework, wb.load_proposals(write_yaml(WELLBY_BIDS, "b.yaml")))
    years = 1 + 1 / 1.035 + 1 / 1.035**2
    row = card.summary().loc["course"]
    assert row.benefit_npv == pytest.approx(13_000 * 1_000 * years, rel=1e-12)
    assert row.benefit_npv_low == pytest.approx(10_000 * 1_000 * years, rel=1e-12)
    assert row.benefit_npv_high == pytest.approx(16_000 * 1_000 * years, rel=1e-12)
    assert row.npsv == pytest.approx(13_000 * 1_000 * years - 1e6, rel=1e-12)
    assert row.bcr == pytest.approx(13_000 * 1_000 * years / 1e6, rel=1e-12)
    assert row.monetised_share == 1.0
    assert card.base_year == 2023


def test_values_of_another_price_year_go_through_the_cited_deflator(
    write_yaml: Callable[..., Path],
) -> None:
    """The HM Treasury GDP deflator (2024 = 100): 2019 81.1085, 2023 96.2507."""
    bids = wb.load_proposals(write_yaml(WELLBY_BIDS, "b.yaml"))
    in_2019 = wb.score(
        wb.load_framework(write_yaml(WELLBY_FRAMEWORK.format(price_year=2019), "a.yaml")), bids
    )
    in_2023 = wb.score(
        wb.load_framework(write_yaml(WELLBY_FRAMEWORK.format(price_year=2023), "c.yaml")), bids
    )
    ratio = in_2023.summary().benefit_npv.iloc[0] / in_2019.summary().benefit_npv.iloc[0]
    assert ratio == pytest.approx(96.2507 / 81.1085, rel=1e-12)


def test_a_value_of_another_price_year_without_a_deflator_is_refused(
    write_yaml: Callable[..., Path],
) -> None:
    text = WELLBY_FRAMEWORK.format(price_year=2023).replace(
        "price_year: 2023\n", "price_year: 2023\ndeflator: null\n"
    )
    with pytest.raises(
        wb.ValidationError, match="the framework's prices are of 2023: give a cited deflator"
    ):
        wb.load_framework(write_yaml(text, "f.yaml"))


def test_a_value_in_another_currency_is_refused(write_yaml: Callable[..., Path]) -> None:
    text = "extends: nz-lsf-2021\nid: nz-with-uk-values\nname: X\nvalues: uk-green-book-2021\n"
    with pytest.raises(wb.ValidationError, match="GBP; the framework counts money in NZD"):
        wb.load_framework(write_yaml(text, "f.yaml"))


def test_money_is_never_added_to_effect_years(write_yaml: Callable[..., Path]) -> None:
    framework = wb.load_framework(write_yaml(WELLBY_FRAMEWORK.format(price_year=2019), "f.yaml"))
    bids = wb.load_proposals(write_yaml(WELLBY_BIDS, "b.yaml"))
    priced = wb.score(framework, bids).summary()
    unpriced = wb.score(framework.model_copy(update={"values": None}), bids).summary()
    for column in ("current_total", "future_total", "cost_npv", "net_cost_npv"):
        assert priced[column].tolist() == unpriced[column].tolist()
    assert unpriced.benefit_npv.tolist() == [0.0]
    assert math.isnan(unpriced.bcr.iloc[0])  # nothing priced: the ratio is unknown, not 0


def test_unmonetised_effects_are_listed_with_the_reason() -> None:
    card = wb.score(wb.load_framework("nz-lsf-2021"), wb.load_proposals(NZ_BIDS))
    table = card.unmonetised()
    assert len(table) == len(card.impacts_frame())  # the NZ set prices none of them
    reasons = set(table.loc[table.indicator == "nz.life-satisfaction", "reason"])
    assert reasons == {"value set 'nz-treasury' has no value 'wellby'"}
    assert (card.summary().monetised_share == 0).all()


def test_explain_shows_each_value_and_population_with_its_source(
    write_yaml: Callable[..., Path],
) -> None:
    framework = wb.load_framework(write_yaml(WELLBY_FRAMEWORK.format(price_year=2019), "f.yaml"))
    card = wb.score(framework, wb.load_proposals(write_yaml(WELLBY_BIDS, "b.yaml")))
    row = card.explain("course").impacts.iloc[0]
    assert row.value == "wellby" and row.value_per_unit == 13_000
    assert "Jacobs" in row.value_source
    assert row.population == framework.population.count  # type: ignore[union-attr]
    assert row.reach == pytest.approx(1_000 / row.population)
    assert "benefit_npv" in card.explain("course").totals


def test_built_in_frameworks_select_their_countrys_values() -> None:
    expected = {
        "uk-ons-national-wellbeing": "uk-green-book-2021",
        "scotland-npf": "uk-green-book-2021",
        "wales-wellbeing-future-generations": "uk-green-book-2021",
        "nz-lsf-2021": "nz-treasury",
        "nz-wellbeing-budget-2019": "nz-treasury",
    }
    for framework_id, value_set in expected.items():
        values = wb.load_framework(framework_id).values
        assert values is not None and values.id == value_set, framework_id
    assert DK.values is not None and DK.values.id == "dk-finansministeriet"
    for value_set in wb.list_value_sets():
        for value in wb.load_value_set(value_set).values:
            assert value.source.url, f"{value_set}: {value.id} needs a cited source"


def test_the_marginal_cost_of_public_funds_applies_only_where_declared() -> None:
    """Denmark's tax-distortion factor is 10 % (Finansministeriet, 2017)."""
    bids = wb.load_proposals(ROOT / "examples" / "dk-trivsel" / "proposals.yaml")
    summary = wb.score(DK, bids).summary()
    assert summary.npsv.tolist() == pytest.approx(
        (summary.benefit_npv - 1.1 * summary.net_cost_npv).tolist()
    )
    plain = wb.score(DK.model_copy(update={"public_funds": None}), bids).summary()
    assert plain.npsv.tolist() == pytest.approx((-plain.net_cost_npv).tolist())


# -- populations ------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    size=st.integers(min_value=100, max_value=50_000),
    share=st.floats(min_value=0.001, max_value=1.0),
    change=st.floats(min_value=-20, max_value=20).filter(lambda x: abs(x) > 1e-6),
)
def test_a_per_person_change_equals_the_same_change_as_a_total(
    size: int, share: float, change: float
) -> None:
    groups = tuple(
        g.model_copy(update={"population": float(size)}) if g.id == "young_people_16_24" else g
        for g in DK.groups
    )
    framework = DK.model_copy(
        update={
            "groups": groups,
            "population": DK.population.model_copy(  # type: ignore[union-attr]
                update={"count": float(max(size, 60_000))}
            ),
        }
    )
    people = max(1, round(size * share))
    per_person = wb.score(
        framework,
        [_bid("dk.youth-distress", f"{change} percentage_point", people, "young_people_16_24")],
    )
    as_total = wb.score(
        framework, [_bid("dk.youth-distress", f"{change * people / size} percentage_point")]
    )
    a, b = per_person.summary().iloc[0], as_total.summary().iloc[0]
    assert a.current_total == pytest.approx(b.current_total, rel=1e-9, abs=1e-12)
    assert a.future_total == pytest.approx(b.future_total, rel=1e-9, abs=1e-12)


def test_the_whole_population_does_not_move_a_group_indicator() -> None:
    bid = _bid("dk.youth-distress", "-10 percentage_point", 600, "young_people_16_24")
    before = wb.score(DK, [bid]).summary().iloc[0]
    doubled = DK.model_copy(
        update={"population": DK.population.model_copy(update={"count": 120_000})}  # type: ignore[union-attr]
    )
    after = wb.score(doubled, [bid]).summary().iloc[0]
    assert after.current_total == before.current_total
    assert after.future_total == before.future_total


def test_more_people_than_the_group_is_refused_located(write_yaml: Callable[..., Path]) -> None:
    text = """\
    proposals:
      - id: p
        title: P
        lead_agency: A
        impacts:
          - {indicator: dk.youth-distress, change: -1 pp, people: 7000, group: young_people_16_24, evidence: low, timing: {start: 2022, duration: 1 year}}
    """
    with pytest.raises(wb.ValidationError) as info:
        wb.score(DK, wb.load_proposals(write_yaml(text, "p.yaml")))
    problem = info.value.problems[0]
    assert problem.line == 6
    assert "7,000 people is more than the 6,500 of 'young_people_16_24'" in problem.message
    assert "Illustrative" in problem.message  # the source of the size is named


def test_an_unknown_group_gets_a_suggestion(write_yaml: Callable[..., Path]) -> None:
    with pytest.raises(wb.ValidationError, match="did you mean 'young_people_16_24'"):
        wb.score(DK, [_bid("dk.youth-distress", "-1 pp", 10, "young_people_1624")])


def test_a_group_larger_than_the_population_is_refused(write_yaml: Callable[..., Path]) -> None:
    text = (
        "extends: nz-lsf-2021\nid: x\nname: X\ngroups:\n"
        "  - {id: everyone_twice, name: E, population: 20000000, source: {title: T}}\n"
    )
    with pytest.raises(wb.ValidationError, match="larger than the framework's population"):
        wb.load_framework(write_yaml(text, "f.yaml"))


def test_extends_adds_and_resizes_groups(write_yaml: Callable[..., Path]) -> None:
    text = (
        "extends: nz-lsf-2021\nid: x\nname: X\ngroups:\n"
        "  - {id: maori, population: 887493, year: 2023}\n"
        "  - {id: rangatahi, name: Young Maori, population: 150000, source: {title: T}}\n"
    )
    framework = wb.load_framework(write_yaml(text, "f.yaml"))
    assert framework.group_population("maori")[0] == 887_493  # type: ignore[index]
    assert "rangatahi" in framework.group_ids
    maori = next(g for g in framework.groups if g.id == "maori")
    assert maori.name.startswith("Maori") and maori.year == 2023  # the rest is inherited


def test_an_indicator_describing_an_undeclared_group_is_refused(
    write_yaml: Callable[..., Path],
) -> None:
    text = """\
extends: nz-lsf-2021
id: x
name: X
domains:
  - {id: youth, name: Youth, pillar: people, indicators: [x.youth]}
indicators:
  - id: x.youth
    name: Youth wellbeing
    unit: point
    direction: higher_is_better
    scale: 1 point
    scale_basis: judgement
    describes: rangatahi
    source: {title: T}
"""
    with pytest.raises(wb.ValidationError, match="describes 'rangatahi', which is not a group"):
        wb.load_framework(write_yaml(text, "f.yaml"))


# -- base year and currency -------------------------------------------------------------------


def test_the_base_year_is_the_earliest_year_of_the_proposals() -> None:
    bids = wb.load_proposals(NZ_BIDS)
    card = wb.score(wb.load_framework("nz-lsf-2021"), bids)  # price year 2021, bids from 2019
    assert card.base_year == 2019
    assert wb.score(wb.load_framework("nz-lsf-2021"), bids, base_year=2018).base_year == 2018


@pytest.mark.parametrize("framework_id", ["uk-ons-national-wellbeing", "oecd-hows-life"])
def test_another_currency_is_one_clear_message(framework_id: str) -> None:
    with pytest.raises(wb.ValidationError) as info:
        wb.score(wb.load_framework(framework_id), wb.load_proposals(NZ_BIDS))
    assert len(info.value.problems) == 1
    assert "count money in NZD" in info.value.problems[0].message


def test_danish_example_counts_reach_against_the_groups() -> None:
    bids = wb.load_proposals(ROOT / "examples" / "dk-trivsel" / "proposals.yaml")
    card = wb.score(DK, bids)
    course = card.explain("godt-igennem-uddannelse").impacts
    youth = course[course.indicator == "dk.youth-distress"].iloc[0]
    assert youth.population == 6_500 and youth.reach == pytest.approx(600 / 6_500)
    meals = card.explain("maaltidsvaerter").impacts
    homes = meals[meals.indicator == "dk.care-home-undernutrition"].iloc[0]
    assert homes.population == 450 and homes.reach == pytest.approx(400 / 450)
    ranking = card.summary(sort_by="current_total").index.tolist()
    assert ranking[0] == "maaltidsvaerter"
    assert ranking.index("godt-igennem-uddannelse") < ranking.index("tag-styring")
