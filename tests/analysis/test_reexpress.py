"""Crosswalks between frameworks, re-expressed scorecards, framework comparison."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wellbeing_budget as wb
from wellbeing_budget.analysis.reexpress import reexpress
from wellbeing_budget.io.crosswalks import find_crosswalk
from wellbeing_budget.model.crosswalk import pillar_crosswalk

from ..conftest import ROOT
from ..test_cli import run

EXAMPLE = ROOT / "examples" / "nz-wellbeing-budget-2019" / "proposals.yaml"
CARD = wb.score(wb.load_framework("nz-wellbeing-budget-2019"), wb.load_proposals(EXAMPLE))


@pytest.mark.parametrize("name", wb.list_crosswalks())
def test_built_in_crosswalks_are_complete(name: str) -> None:
    crosswalk = wb.load_crosswalk(name)
    source = wb.load_framework(crosswalk.from_framework)
    target = wb.load_framework(crosswalk.to_framework)
    weights = crosswalk.matrix(source, target)
    unmapped = {u.domain for u in crosswalk.unmapped_from}
    for n, domain in enumerate(source.domains):
        expected = 0.0 if domain.id in unmapped else 1.0
        assert weights[n].sum() == pytest.approx(expected), domain.id
    assert all(link.note for link in crosswalk.links)


def test_reexpression_conserves_effects() -> None:
    again = CARD.to_framework("oecd-hows-life")
    summary = CARD.summary()
    moved = again.summary()
    for generation in ("current", "future"):
        total = moved[f"{generation}_total"] + moved[f"{generation}_unmapped"]
        assert np.allclose(total, summary[f"{generation}_total"])
    frame = again.to_frame()
    assert set(frame.domain) - {"(unmapped)"} <= {d.id for d in again.target.domains}


def test_unmapped_domains_are_reported_not_dropped() -> None:
    bid = wb.Proposal.model_validate(
        {
            "id": "trust",
            "title": "Trust",
            "lead_agency": "A",
            "impacts": [
                {
                    "indicator": "nz.trust-in-government",
                    "change": "0.5 point",
                    "evidence": "low",
                    "timing": {"start": 2019, "duration": "1 year"},
                }
            ],
        }
    )
    card = wb.score(wb.load_framework("nz-wellbeing-budget-2019"), [bid], wellbeing_discount="none")
    wales = card.to_framework("wales-wellbeing-future-generations").summary()
    assert wales.loc["trust", "current_total"] == 0
    assert wales.loc["trust", "current_unmapped"] == pytest.approx(1.0)


def test_lineage_finds_the_crosswalk_of_the_parent_framework() -> None:
    b19 = wb.load_framework("nz-wellbeing-budget-2019")
    crosswalk = find_crosswalk(b19, wb.load_framework("oecd-hows-life"))
    assert crosswalk.id == "nz-lsf-2021--oecd-hows-life"


def test_pillar_crosswalk_is_always_available() -> None:
    # The ONS framework has no crosswalk file from the LSF (the HDI has one since issue 15,
    # Scotland's NPF since issue 12)
    lsf, hdi = wb.load_framework("nz-lsf-2021"), wb.load_framework("uk-ons-national-wellbeing")
    crosswalk = pillar_crosswalk(lsf, hdi)
    assert crosswalk.basis == "pillar"
    unmapped = {u.domain for u in crosswalk.unmapped_from}
    assert "health" not in unmapped
    again = reexpress(CARD, hdi)
    assert again.crosswalk.basis == "pillar"
    assert (again.summary().current_unmapped >= 0).all()


def test_compare_frameworks_lists_coverage_both_ways() -> None:
    table = wb.compare_frameworks("nz-lsf-2021", "wales-wellbeing-future-generations")
    lsf = table[table.framework == "nz-lsf-2021"].set_index("domain")
    wales = table[table.framework == "wales-wellbeing-future-generations"].set_index("domain")
    assert not lsf.loc["institutions-and-governance", "covered"]
    assert "ways of working" in lsf.loc["institutions-and-governance", "note"]
    assert "health" in wales.loc["healthier", "counterparts"]
    assert wales.covered.all()
    # indicator level: what a proposal scored under the other framework can be seen by
    oecd = wb.compare_frameworks("nz-lsf-2021", "oecd-hows-life")
    lsf = oecd[oecd.framework == "nz-lsf-2021"].set_index("domain")
    assert lsf.loc["health", "indicators_measured"] == "3 of 6"
    assert lsf.loc["income-consumption-and-wealth", "indicators_measured"] == "0 of 4"


BAD = """\
id: bad
from: nz-lsf-2021
to: oecd-hows-life
basis: judgement
source: {title: Test}
links:
  - {source: helth, target: health}
  - {source: housing, target: housing, weight: 0.5}
unmapped_from:
  - {domain: safety, note: not mapped}
"""


def test_a_crosswalk_that_drops_domains_is_refused(write_yaml: Callable[..., Path]) -> None:
    with pytest.raises(wb.ValidationError) as info:
        wb.load_crosswalk(write_yaml(BAD, "bad.yaml"))
    messages = [str(p) for p in info.value.problems]
    assert any("7:" in m and "has no domain 'helth'; did you mean 'health'" in m for m in messages)
    assert any("weights of 'housing' add up to 0.5" in m for m in messages)
    assert any(
        "neither linked nor listed in unmapped_from" in m and "knowledge-and-skills" in m
        for m in messages
    )
    assert any("neither linked nor listed in unmapped_to" in m for m in messages)


def test_compare_command_ranks_the_nz_budget_under_three_frameworks() -> None:
    status, text = run(
        "compare",
        str(EXAMPLE),
        "--framework",
        "nz-wellbeing-budget-2019",
        "--framework",
        "oecd-hows-life",
        "--framework",
        "wales-wellbeing-future-generations",
    )
    assert status == 0
    assert "rank under oecd-hows-life" in text and "rank under wales-wellbeing" in text
    assert "Rank agreement (Spearman)" in text
    assert "nz-lsf-2021--wales-wellbeing-future-generations" in text
    assert "blind 100%" in text


def test_compare_shows_where_rankings_disagree() -> None:
    status, text = run(
        "compare",
        str(EXAMPLE),
        "--framework",
        "nz-wellbeing-budget-2019",
        "--framework",
        "undp-hdi",
    )
    assert status == 0
    assert "Where they disagree" in text and "sustainable-land-use" in text
    assert "undp-hdi: indicator links of nz-lsf-2021--undp-hdi (1 link)" in text
    assert "undp-hdi: people 100%" in text  # pillar balance
    assert "Why ranks differ" in text


def _unweighted_totals(card: wb.Scorecard) -> tuple[np.ndarray, np.ndarray]:
    """Effect-years per proposal before any weight (evidence counts fully by default)."""
    c, r, n = card.compiled, card.result, len(card.proposals)
    now = np.bincount(c.impact_proposal, r.current, minlength=n)
    return now, np.bincount(c.impact_proposal, r.future, minlength=n)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.sampled_from([0.0, 0.5, 1.0, 3.0]), min_size=17, max_size=17).filter(
        any  # all weights 0 is refused: every score would be 0
    )
)
def test_reexpression_conserves_effects_whatever_the_source_weights(weights: list[float]) -> None:
    """A zero-weight source domain used to lose its effects on re-expression."""
    b19 = wb.load_framework("nz-wellbeing-budget-2019")
    domains = tuple(
        d.model_copy(update={"weight": w}) for d, w in zip(b19.domains, weights, strict=True)
    )
    custom = b19.model_copy(update={"domains": domains})
    card = wb.score(custom, wb.load_proposals(EXAMPLE))
    now, later = _unweighted_totals(card)
    for target in ("oecd-hows-life", "undp-hdi"):
        moved = reexpress(card, target).summary()
        assert np.allclose(moved.current_total + moved.current_unmapped, now)
        assert np.allclose(moved.future_total + moved.future_unmapped, later)


# -- scoring under another framework on what it measures (issue 15) ---------------------------

FOUR = ["oecd-hows-life", "wales-wellbeing-future-generations", "undp-hdi"]


def test_four_frameworks_rank_the_nz_bids_differently_and_show_blind_spots() -> None:
    """Re-expression through domains ranked every pair identically (Spearman 1.000)."""
    result = wb.compare(CARD, FOUR)
    rho = result.spearman()
    ids = result.frameworks
    assert len(ids) == 4
    assert all(rho.loc[a, b] < 0.9 for a in ids for b in ids if a != b)
    blind = result.blind_spots()
    # the HDI measures life expectancy, not mental health: the bid is invisible to it
    assert blind.loc["mh-access-choice", "undp-hdi"] == 1.0
    assert result.totals().loc["mh-access-choice", "undp-hdi"] == 0.0
    assert blind.loc["mh-access-choice", "oecd-hows-life"] == 0.0  # depressive symptoms
    assert (blind["nz-wellbeing-budget-2019"] == 0).all()  # its own framework sees all
    assert result.pillar_balance().loc["undp-hdi", "people"] == 1.0
    assert any("cannot see" in line for line in result.reading())


def test_under_its_own_framework_the_score_is_the_scorecard() -> None:
    own = wb.score_under(CARD, CARD.framework).summary()
    assert np.allclose(own["total"], CARD.summary()["current_total"])


def test_a_shared_indicator_counts_with_the_target_scale_and_weight() -> None:
    """Life expectancy: the 2019 framework's scale is 2.43 years, the HDI's 2.425 years
    (frameworks/*.yaml), one domain of weight 1 each side."""
    hdi = wb.score_under(CARD, "undp-hdi").summary()
    own = CARD.summary()
    assert hdi.loc["rheumatic-fever", "total"] == pytest.approx(
        own.loc["rheumatic-fever", "current_total"] * 2.43 / 2.425
    )


def test_custom_domain_weights_of_the_target_are_honoured() -> None:
    oecd = wb.load_framework("oecd-hows-life")
    domains = tuple(
        d.model_copy(update={"weight": 0.0 if d.id == "health" else d.weight}) for d in oecd.domains
    )
    custom = oecd.model_copy(update={"domains": domains})
    default = wb.score_under(CARD, oecd).summary()
    weighted = wb.score_under(CARD, custom).summary()
    # mental-health effects count under health (depressive symptoms), life satisfaction not
    health = wb.score_under(CARD, oecd).links
    assert "oecd.hl.depressive-symptoms" in set(health.target_indicator)
    assert 0 < weighted.loc["mh-access-choice", "total"] < default.loc["mh-access-choice", "total"]
    assert weighted.loc["mh-access-choice", "blind_share"] == 0  # seen, only weighted less


def test_pillar_credit_is_an_explicit_option() -> None:
    plain = wb.score_under(CARD, "undp-hdi").summary()
    credited = wb.score_under(CARD, "undp-hdi", pillar_credit=True).summary()
    assert plain.loc["mh-access-choice", "total"] == 0
    assert credited.loc["mh-access-choice", "total"] > 0


def test_an_indicator_link_to_an_unknown_indicator_is_refused(
    write_yaml: Callable[..., Path],
) -> None:
    text = (ROOT / "frameworks" / "crosswalks" / "nz-lsf-2021--undp-hdi.yaml").read_text()
    text = text.replace("target: undp.life-expectancy", "target: undp.life-expectancyy")
    with pytest.raises(wb.ValidationError, match=r"undp-hdi has no indicator 'undp.life-exp"):
        wb.load_crosswalk(write_yaml(text, "walk.yaml"))


@pytest.mark.parametrize(
    ("factor", "message"),
    [
        ("1", "the factor must be negative (mirror measures), got 1"),
        ("0", "a factor of 0 links nothing"),
    ],
)
def test_an_indicator_link_against_the_directions_is_refused(
    write_yaml: Callable[..., Path], factor: str, message: str
) -> None:
    """Unemployment down is employment up: a positive factor between them would score a
    fall in unemployment as a loss of wellbeing; a factor of 0 would hide the change."""
    builtin = ROOT / "frameworks" / "crosswalks" / "nz-lsf-2021--oecd-hows-life.yaml"
    text = builtin.read_text(encoding="utf-8").rstrip("\n") + (
        "\n  - {source: nz.unemployment-rate, target: oecd.hl.employment-rate, "
        f"factor: {factor}, note: mirror measures}}\n"
    )
    last = len(wb.load_crosswalk("nz-lsf-2021--oecd-hows-life").indicators)
    with pytest.raises(wb.ValidationError) as info:
        wb.load_crosswalk(write_yaml(text, "mirror.yaml"))
    (problem,) = info.value.problems
    assert message in problem.message
    assert problem.line == text.count("\n") and problem.path[:2] == ("indicators", last)
