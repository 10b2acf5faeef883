"""The indicator-level crosswalks between national frameworks (issue 12, item 4): LSF ->
Scotland's NPF and How's Life -> Canada's Quality of Life Framework load by id, name only ids
that exist, carry effects without loss through their links, and map what was checked by hand."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wellbeing_budget as wb
from wellbeing_budget.analysis.reexpress import reexpress
from wellbeing_budget.model.crosswalk import IndicatorLink

from .conftest import ROOT

NEW = {
    "nz-lsf-2021--scotland-npf": ("nz-lsf-2021", "scotland-npf", 2022),
    "oecd-hows-life--canada-quality-of-life": ("oecd-hows-life", "canada-quality-of-life", 2025),
}
FRAMEWORKS = {fid: wb.load_framework(fid) for pair in NEW.values() for fid in pair[:2]}
WALKS = {name: wb.load_crosswalk(name) for name in NEW}


def _bid(
    pid: str, impacts: list[tuple[str, float]], framework: wb.Framework, start: int
) -> wb.Proposal:
    units = {i.id: i.unit for i in framework.indicators}
    return wb.Proposal.model_validate(
        {
            "id": pid,
            "title": pid,
            "lead_agency": "Treasury",
            "impacts": [
                {
                    "indicator": ident,
                    # a change in a percentage is written in points
                    "change": f"{change} "
                    + ("percentage_point" if units[ident] == "percent" else f"({units[ident]})"),
                    "evidence": "high",
                    "timing": {"start": start, "duration": "1 year"},
                }
                for ident, change in impacts
            ],
        }
    )


def _card(name: str, impacts: list[tuple[str, float]]) -> wb.Scorecard:
    source_id, _, start = NEW[name]
    source = FRAMEWORKS[source_id]
    return wb.score(source, [_bid("bid", impacts, source, start)], wellbeing_discount="none")


@pytest.mark.parametrize("name", list(NEW))
def test_the_crosswalk_loads_by_id_and_is_found_for_its_frameworks(name: str) -> None:
    source_id, target_id, _ = NEW[name]
    assert name in wb.list_crosswalks()
    walk = WALKS[name]
    assert (walk.from_framework, walk.to_framework) == (source_id, target_id)
    found = wb.compare_frameworks(source_id, target_id)
    assert set(found.crosswalk) == {name}  # not the pillar crosswalk


@pytest.mark.parametrize("name", list(NEW))
def test_every_referenced_id_exists_in_its_framework(name: str) -> None:
    walk = WALKS[name]
    source = FRAMEWORKS[walk.from_framework]
    target = FRAMEWORKS[walk.to_framework]
    source_domains, target_domains = {d.id for d in source.domains}, {d.id for d in target.domains}
    assert {link.source for link in walk.links} | {u.domain for u in walk.unmapped_from} == (
        source_domains
    )
    assert {link.target for link in walk.links} | {u.domain for u in walk.unmapped_to} == (
        target_domains
    )
    source_indicators = {i.id for i in source.indicators}
    target_indicators = {i.id for i in target.indicators}
    for link in walk.indicators:
        assert link.source in source_indicators, link.source
        assert link.target in target_indicators, link.target


@pytest.mark.parametrize("name", list(NEW))
def test_every_indicator_link_states_its_basis_and_why_a_factor_is_not_one(name: str) -> None:
    for link in WALKS[name].indicators:
        assert link.basis in ("same measure", "judgement"), link
        assert len(link.note) > 30, link  # a reason, not a label
        if link.factor < 0:
            assert "mirror" in link.note.lower(), link
        elif link.factor != 1:
            assert "units differ" in link.note.lower(), link


_LINKS = [(name, link) for name, walk in WALKS.items() for link in walk.indicators]


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(_LINKS),
    st.floats(min_value=0.01, max_value=5.0).map(lambda x: round(x, 3)),
    st.booleans(),
)
def test_a_linked_change_arrives_whole_in_the_target_indicator(
    case: tuple[str, IndicatorLink], size: float, down: bool
) -> None:
    """A change of x in the source indicator for one year is a change of x * factor in the
    target indicator, counted at the target's scale and weight, none of it blind."""
    name, link = case
    target = FRAMEWORKS[NEW[name][1]]
    change = -size if down else size
    card = _card(name, [(link.source, change)])
    under = wb.score_under(card, target, WALKS[name]).summary()
    t = next(i for i in target.indicators if i.id == link.target)
    sign = 1.0 if t.direction.kind == "higher_is_better" else -1.0
    (domain,) = [d for d in target.domains if any(r.id == t.id for r in d.indicators)]
    weight = domain.weight * next(r.weight for r in domain.indicators if r.id == t.id)
    expected = sign * change * link.factor / t.scale_value * weight
    assert under.loc["bid", "total"] == pytest.approx(expected, rel=1e-9)
    assert under.loc["bid", "blind_share"] == 0.0


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_reexpression_through_the_domains_conserves_effect_years(data: st.DataObject) -> None:
    """Whatever the source indicators a bid moves, its effect-years re-expressed in the target's
    domains plus those with no counterpart are the effect-years it had."""
    name = data.draw(st.sampled_from(list(NEW)))
    source = FRAMEWORKS[NEW[name][0]]
    directional = [
        i.id
        for i in source.indicators
        if i.direction.kind in ("higher_is_better", "lower_is_better")
    ]
    picked = data.draw(st.lists(st.sampled_from(directional), min_size=1, max_size=6, unique=True))
    changes = data.draw(
        st.lists(st.sampled_from([-2.0, -0.5, 0.25, 1.0, 3.0]), min_size=len(picked),
                 max_size=len(picked))
    )  # fmt: skip
    card = _card(name, list(zip(picked, changes, strict=True)))
    before = card.summary()
    moved = reexpress(card, FRAMEWORKS[NEW[name][1]], WALKS[name]).summary()
    for generation in ("current", "future"):
        assert np.allclose(
            moved[f"{generation}_total"] + moved[f"{generation}_unmapped"],
            before[f"{generation}_total"],
        )
    under = wb.score_under(card, FRAMEWORKS[NEW[name][1]], WALKS[name])
    effect = np.abs(card.result.current * card.result.evidence_weight).sum()
    assert under.seen_current.sum() + under.blind_current.sum() == pytest.approx(effect)


def test_hand_checked_lsf_to_scotland() -> None:
    """Emissions: a cut of 1 Mt CO2e is 1 Mt in Scotland's account (scale 1 Mt); a cut of
    0.1 t per person is 0.1 x 5,126,300 people = 0.51263 Mt. Suicide: one fewer per 100,000
    is one fewer premature death per 100,000, at Scotland's scale of 10 per 100,000."""
    name = "nz-lsf-2021--scotland-npf"
    for impact, own, scottish in (
        (("nz.net-ghg-emissions", -1.0), 1.0, 1.0),
        (("nz.ghg-emissions-per-person", -0.1), 0.2, 0.51263),
        (("nz.suicide-rate", -1.0), 1.0, 0.1),
    ):
        card = _card(name, [impact])
        assert card.summary().loc["bid", "current_total"] == pytest.approx(own)
        assert wb.score_under(card, FRAMEWORKS["scotland-npf"], WALKS[name]).summary().loc[
            "bid", "total"
        ] == (pytest.approx(scottish))
    # what Scotland cannot see stays blind: psychological distress has no NPF counterpart
    card = _card(name, [("nz.psychological-distress", -1.0)])
    assert (
        wb.score_under(card, FRAMEWORKS["scotland-npf"], WALKS[name])
        .summary()
        .loc["bid", "blind_share"]
        == 1.0
    )


def test_hand_checked_hows_life_to_canada() -> None:
    """Loneliness: 1 point fewer lonely is 1/3 of How's Life's standard effect (3 points) and
    one of Canada's (1 point). Life expectancy: half a year is half of Canada's standard
    effect (1 year of health-adjusted life expectancy)."""
    name = "oecd-hows-life--canada-quality-of-life"
    for impact, own, canadian in (
        (("oecd.hl.loneliness", -1.0), 1 / 3, 1.0),
        (("oecd.hl.life-expectancy", 0.5), 0.5 / 2.425, 0.5),
    ):
        card = _card(name, [impact])
        assert card.summary().loc["bid", "current_total"] == pytest.approx(own)
        assert wb.score_under(
            card, FRAMEWORKS["canada-quality-of-life"], WALKS[name]
        ).summary().loc["bid", "total"] == (pytest.approx(canadian))
    # mirror measures: 5 points more government net worth are 5 points less net liabilities,
    # 2.5 of Canada's standard effects (2 points), better, at the indicator's weight
    card = _card(name, [("oecd.hl.government-financial-net-wealth", 5.0)])
    canada = FRAMEWORKS["canada-quality-of-life"]
    (domain,) = [
        d
        for d in canada.domains
        if any(r.id == "ca.net-financial-liabilities-to-gdp" for r in d.indicators)
    ]
    weight = domain.weight * next(
        r.weight for r in domain.indicators if r.id == "ca.net-financial-liabilities-to-gdp"
    )
    under = wb.score_under(card, canada, WALKS[name]).summary()
    assert under.loc["bid", "total"] == pytest.approx(2.5 * weight) and weight > 0
    # a mean on 0-10 cannot be read as a share above a cut-off: life satisfaction stays blind
    card = _card(name, [("oecd.hl.life-satisfaction", 0.5)])
    assert (
        wb.score_under(card, FRAMEWORKS["canada-quality-of-life"], WALKS[name])
        .summary()
        .loc["bid", "blind_share"]
        == 1
    )


def test_the_nz_budget_under_scotland_sees_emissions_and_suicide_not_incomes() -> None:
    card = wb.score(
        wb.load_framework("nz-wellbeing-budget-2019"),
        wb.load_proposals(ROOT / "examples" / "nz-wellbeing-budget-2019" / "proposals.yaml"),
    )
    blind = wb.compare(card, ["scotland-npf"]).blind_spots()["scotland-npf"]
    assert blind["suicide-prevention"] == 0.0
    assert blind["improving-incomes"] == 1.0
    assert blind["mh-access-choice"] == 1.0  # psychological distress vs WEMWBS: not linked
    assert 0 < blind["kiwirail"] < 1
    table = wb.compare_frameworks("nz-lsf-2021", "scotland-npf")
    lsf = table[table.framework == "nz-lsf-2021"].set_index("domain")
    assert lsf.loc["health", "indicators_measured"] == "2 of 6"
    scottish = table[table.framework == "scotland-npf"].set_index("domain")
    assert not scottish.loc["children-and-young-people", "covered"]
