"""The scoring engine's semantics, pinned by hand-computed numbers."""

from __future__ import annotations

import pytest

import wellbeing_budget as wb

from ..scoring_helpers import impact, proposal

LSF = wb.load_framework("nz-lsf-2021")


def summary(*bids: wb.Proposal, **options: object) -> wb.Scorecard:
    options.setdefault("wellbeing_discount", "none")
    options.setdefault("money_discount", "none")
    return wb.score(LSF, list(bids), **options)  # type: ignore[arg-type]


def test_one_scale_unit_for_40_years_gives_25_current_and_15_future() -> None:
    card = summary(proposal())
    row = card.summary().loc["p"]
    assert row.current_total == pytest.approx(25.0)
    assert row.future_total == pytest.approx(15.0)
    assert row.current_people == pytest.approx(25.0)
    assert row.current_society == 0


def test_direction_sign_and_scale() -> None:
    # psychological distress: lower is better, scale 2 percentage points
    bid = proposal(
        impacts=[impact("nz.psychological-distress", "-1 percentage_point", duration="1 year")]
    )
    assert summary(bid).summary().loc["p", "current_total"] == pytest.approx(0.5)
    worse = proposal(
        impacts=[impact("nz.psychological-distress", "1 percentage_point", duration="1 year")]
    )
    assert summary(worse).summary().loc["p", "current_total"] == pytest.approx(-0.5)


def test_per_person_change_is_scaled_by_people_over_population() -> None:
    population = LSF.population.count  # type: ignore[union-attr]
    bid = proposal(impacts=[impact(change="1 year", duration="1 year", people=1000)])
    expected = 1.0 * 1000 / population / 2.43
    assert summary(bid).summary().loc["p", "current_total"] == pytest.approx(expected)


def test_relative_change_uses_the_baseline() -> None:
    # loneliness baseline 17 percent; -10 percent relative = -1.7 pp; scale 2 pp
    bid = proposal(
        impacts=[impact("nz.loneliness", None, duration="1 year", relative_change="-10 percent")]
    )
    assert summary(bid).summary().loc["p", "current_society"] == pytest.approx(0.85)


def test_domain_weights_multiply_effects(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "heavy.yaml"  # type: ignore[operator]
    path.write_text("extends: nz-lsf-2021\nid: heavy\ndomains:\n  - {id: health, weight: 3}\n")
    heavy = wb.load_framework(path)
    card = wb.score(heavy, [proposal()], wellbeing_discount="none")
    assert card.summary().loc["p", "current_total"] == pytest.approx(75.0)
    frame = card.to_frame()
    assert set(frame.weight) == {3.0}
    assert frame.effect_years.sum() == pytest.approx(120.0)


def test_discounting_weights_each_year() -> None:
    card = summary(
        proposal(impacts=[impact(duration="2 years")]),
        wellbeing_discount={"kind": "constant", "rate": "10 percent"},
    )
    assert card.summary().loc["p", "current_total"] == pytest.approx(1 + 1 / 1.1)


def test_costs_and_fiscal_effects_discount_to_npvs() -> None:
    bid = proposal(
        costs=[
            {"year": 2021, "amount": "100 million NZD"},
            {"year": 2022, "amount": "110 million NZD"},
        ],
        fiscal_effects=[{"year": 2023, "amount": "12.1 million NZD", "kind": "saving"}],
    )
    card = summary(bid, money_discount={"kind": "constant", "rate": "10 percent"})
    row = card.summary().loc["p"]
    assert row.cost_npv == pytest.approx(200e6)
    assert row.fiscal_npv == pytest.approx(10e6)
    assert row.net_cost_npv == pytest.approx(190e6)
    assert row.ce_current == pytest.approx(25 / 190)


def test_a_proposal_that_pays_for_itself_has_no_cost_effectiveness() -> None:
    bid = proposal(
        costs=[{"year": 2021, "amount": "1 million NZD"}],
        fiscal_effects=[{"year": 2021, "amount": "2 million NZD", "kind": "revenue"}],
    )
    row = summary(bid).summary().loc["p"]
    assert row.net_cost_npv == pytest.approx(-1e6)
    assert row.ce_current != row.ce_current  # NaN


def test_generations_are_never_added_unless_asked() -> None:
    card = summary(proposal())
    assert "combined_total" not in card.summary().columns
    weighted = summary(proposal(), future_weight=0.5)
    assert weighted.summary().loc["p", "combined_total"] == pytest.approx(25 + 0.5 * 15)


def test_breadth_across_silos() -> None:
    bid = proposal(
        partner_agencies=["Ministry B", "Ministry C"],
        impacts=[
            impact("nz.life-expectancy"),
            impact("nz.loneliness", "-1 percentage_point"),
            impact("nz.trust-in-others", "0 point"),  # no effect: not counted
        ],
    )
    row = summary(bid).summary().loc["p"]
    assert (row.n_agencies, row.n_pillars, row.n_domains) == (3, 2, 2)


def test_evidence_weights() -> None:
    bid = proposal(impacts=[{**impact(duration="1 year"), "evidence": "low"}])
    assert summary(bid, evidence_weights={"low": 0.5}).summary().loc[
        "p", "current_total"
    ] == pytest.approx(0.5)
    with pytest.raises(wb.WellbeingBudgetError, match="evidence_weights"):
        summary(bid, evidence_weights={"weak": 0.5})


def test_to_frame_is_tidy_and_sums_to_the_summary() -> None:
    bids = [
        proposal("a"),
        proposal("b", impacts=[impact("nz.loneliness", "-2 percentage_point", group="maori")]),
    ]
    card = summary(*bids)
    frame = card.to_frame()
    assert list(frame.columns) == [
        "proposal",
        "pillar",
        "domain",
        "indicator",
        "group",
        "generation",
        "effect_years",
        "weight",
    ]
    totals = frame.groupby(["proposal", "generation"]).effect_years.sum().unstack()
    table = card.summary()
    assert totals.loc["a", "current"] == pytest.approx(table.loc["a", "current_total"])
    assert totals.loc["b", "future"] == pytest.approx(table.loc["b", "future_total"])
    groups = card.by_group()
    assert set(groups.group) == {"all", "maori"}
    assert list(groups.columns) == ["proposal", "group", "current", "future"]


def test_explain_shows_every_step() -> None:
    bid = proposal(
        impacts=[impact(change="12 months", people=1000, duration="30 years")],
        costs=[{"year": 2022, "amount": "5 million NZD"}],
    )
    card = wb.score(LSF, [bid])
    explanation = card.explain("p")
    row = explanation.impacts.iloc[0]
    assert row.written == "12 months"
    assert row.change == pytest.approx(1.0)
    assert row.reach == pytest.approx(1000 / LSF.population.count)  # type: ignore[union-attr]
    assert row.standard_effect == pytest.approx(row.change * row.reach / 2.43)
    assert row.years_current == 25 and row.years_future == 5
    assert row.effect_years_current == pytest.approx(row.discounted_current * row.standard_effect)
    assert row.weighted_current == pytest.approx(card.summary().loc["p", "current_total"])
    money = explanation.money.iloc[0]
    assert money.discount_factor == pytest.approx(1 / 1.02)
    assert money.present_value == pytest.approx(5e6 / 1.02)
    assert "p: Proposal p" in str(explanation)
    with pytest.raises(wb.UnknownIdError, match="did you mean 'p'"):
        card.explain("pp")


def test_json_export_has_a_stable_schema() -> None:
    import json

    document = json.loads(summary(proposal()).to_json())
    assert document["schema"] == "wellbeing-budget/scorecard/1"
    entry = document["proposals"][0]
    assert entry["current"]["total"] == pytest.approx(25)
    assert entry["breadth"] == {"agencies": 1, "pillars": 1, "domains": 1}
    assert entry["ce_current"] is None  # no cost
