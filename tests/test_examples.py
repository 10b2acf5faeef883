"""The bundled examples load, validate and score."""

from __future__ import annotations

import pytest

import wellbeing_budget as wb

from .conftest import ROOT

EXAMPLES = ROOT / "examples"


def test_nz_2019_example_covers_the_five_priorities() -> None:
    framework = wb.load_framework("nz-wellbeing-budget-2019")
    bids = wb.load_proposals(EXAMPLES / "nz-wellbeing-budget-2019" / "proposals.yaml")
    assert len(bids) >= 10
    served = {p for bid in bids for p in bid.priorities}
    assert served == {p.id for p in framework.priorities}
    assert all(bid.impacts and bid.source for bid in bids)
    card = wb.score(framework, bids)
    summary = card.summary()
    assert (summary.cost_npv > 0).all()
    assert summary.loc["mh-access-choice", "current_people"] > 0
    assert summary.loc["kiwirail", "future_environment"] > 0
    # the published allocation, undiscounted: $455m for the new frontline service
    undiscounted = wb.score(framework, bids, money_discount="none").summary()
    assert undiscounted.loc["mh-access-choice", "cost_npv"] == pytest.approx(455e6)
    assert undiscounted.loc["breaking-the-cycle", "cost_npv"] == pytest.approx(1100e6 + 187e6)


def test_danish_example_scores_in_kroner() -> None:
    framework = wb.load_framework(EXAMPLES / "dk-trivsel" / "framework.yaml")
    assert framework.currency == "DKK"
    assert framework.based_on == ("default",)
    bids = wb.load_proposals(EXAMPLES / "dk-trivsel" / "proposals.yaml")
    assert {b.id for b in bids} == {
        "tag-styring",
        "godt-igennem-uddannelse",
        "sammen-om-trivsel",
        "mit-potentiale",
        "family-by-family",
        "maaltidsvaerter",
        "dkk-50000-model",
    }
    card = wb.score(framework, bids, money_discount="none")
    summary = card.summary()
    # DKK 19.561 million granted for the two coping programmes together
    joint = summary.loc[["tag-styring", "godt-igennem-uddannelse"], "cost_npv"].sum()
    assert joint == pytest.approx(19.561e6)
    assert summary.loc["dkk-50000-model", "cost_npv"] >= 50_000 * 400
    assert (summary.current_total > 0).all()


def test_nz_example_is_refused_under_the_danish_framework() -> None:
    framework = wb.load_framework(EXAMPLES / "dk-trivsel" / "framework.yaml")
    bids = wb.load_proposals(EXAMPLES / "nz-wellbeing-budget-2019" / "proposals.yaml")
    with pytest.raises(wb.ValidationError) as info:
        wb.score(framework, bids)
    # One clear message, not one per money line and unknown indicator (66 before).
    assert len(info.value.problems) == 1
    message = info.value.problems[0].message
    assert "the proposals count money in NZD" in message and "counts money in DKK" in message
