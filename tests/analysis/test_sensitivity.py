"""One input at a time: settings reproduce a fresh score, switch points really swap."""

from __future__ import annotations

import numpy as np
import pytest

import wellbeing_budget as wb

from ..conftest import ROOT

NZ = ROOT / "examples" / "nz-wellbeing-budget-2019" / "proposals.yaml"


@pytest.fixture(scope="module")
def nz() -> wb.Scorecard:
    return wb.score(wb.load_framework("nz-wellbeing-budget-2019"), wb.load_proposals(NZ))


def _reweighted(domain_id: str, factor: float) -> wb.Scorecard:
    framework = wb.load_framework("nz-wellbeing-budget-2019")
    domains = tuple(
        d.model_copy(update={"weight": d.weight * factor}) if d.id == domain_id else d
        for d in framework.domains
    )
    return wb.score(framework.model_copy(update={"domains": domains}), wb.load_proposals(NZ))


def test_eight_percent_test_equals_scoring_with_that_schedule(nz: wb.Scorecard) -> None:
    sens = nz.sensitivity(discount=["nz-treasury-2024-commercial"])
    runs = sens.runs().set_index("input")
    row = runs.loc["discount: nz-treasury-2024-commercial"]
    fresh = wb.score(
        nz.framework,
        nz.proposals,
        wellbeing_discount="nz-treasury-2024-commercial",
        money_discount="nz-treasury-2024-commercial",
    ).summary()
    for pid in fresh.index:
        assert row[pid] == pytest.approx(fresh.loc[pid, "current_total"], rel=1e-12)


def test_weight_setting_equals_a_reweighted_framework(nz: wb.Scorecard) -> None:
    runs = nz.sensitivity(factors=(0.5, 2.0)).runs()
    row = runs[(runs["input"] == "weight: health") & (runs["setting"] == "high")].iloc[0]
    fresh = _reweighted("health", 2.0).summary()
    for pid in fresh.index:
        assert row[pid] == pytest.approx(fresh.loc[pid, "current_total"], rel=1e-12)


def test_switch_point_swaps_the_two_proposals(nz: wb.Scorecard) -> None:
    a, b = "kiwirail", "mh-access-choice"
    points = nz.sensitivity().switch_points(a, b).set_index("input")
    m = points.loc["weight: health", "multiplier"]
    assert np.isfinite(m) and m > 0
    before = _reweighted("health", m * 0.99).summary()["current_total"]
    after = _reweighted("health", m * 1.01).summary()["current_total"]
    assert (before[a] > before[b]) != (after[a] > after[b])


def test_tornado_is_sorted_by_swing(nz: wb.Scorecard) -> None:
    table = nz.sensitivity().tornado("kiwirail")
    assert list(table["swing"]) == sorted(table["swing"], reverse=True)
    assert table.iloc[0]["swing"] > 0


def test_package_changes_are_reported(nz: wb.Scorecard) -> None:
    sens = nz.sensitivity(limits="1 billion NZD")
    assert "package_changes" in sens.runs().columns
    assert sens.tornado("package")["base"].iloc[0] == pytest.approx(sens.base_package.objective)


def test_bad_options_are_our_errors(nz: wb.Scorecard) -> None:
    with pytest.raises(wb.WellbeingBudgetError, match="metric"):
        nz.sensitivity(metric="total")
    with pytest.raises(wb.WellbeingBudgetError, match="factors"):
        nz.sensitivity(factors=(2, 3))
    with pytest.raises(wb.UnknownIdError, match="did you mean 'kiwirail'"):
        nz.sensitivity().tornado("kiwirial")


def test_framework_adjustments_set_the_expected_value(nz: wb.Scorecard) -> None:
    framework = wb.load_framework("nz-wellbeing-budget-2019")
    settings = framework.uncertainty_settings
    evidence = {
        k: v.model_copy(update={"adjustment": 0.5 if k == "low" else 1.0})
        for k, v in settings.evidence.items()
    }
    adjusted = framework.model_copy(
        update={"uncertainty": settings.model_copy(update={"evidence": evidence})}
    )
    card = wb.score(adjusted, nz.proposals)
    same = wb.score(framework, nz.proposals, evidence_weights={"low": 0.5})
    assert np.array_equal(card.summary()["current_total"], same.summary()["current_total"])
    assert card.evidence_weights == {"high": 1.0, "medium": 1.0, "low": 0.5}
