"""Proposals checked against a framework: every bad input is a located error, all at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import wellbeing_budget as wb

LSF = wb.load_framework("nz-lsf-2021")

BAD = """\
proposals:
  - id: bad
    title: Everything wrong
    lead_agency: Ministry A
    costs:
      - {year: 2021, amount: 5 million AUD}
      - {year: 2019, amount: 5 million NZD}
    impacts:
      - indicator: nz.life-expectncy
        change: 1 year
        timing: {start: 2022, duration: 5 years}
        evidence: high
      - indicator: nz.life-expectancy
        change: 1 hectare
        timing: {start: 2022, duration: 5 years}
        evidence: high
      - indicator: nz.loneliness
        change: -5 percent
        timing: {start: 2022, duration: 5 years}
        evidence: high
      - indicator: nz.suicide-rate
        change: -1 percentage_point
        timing: {start: 2020, duration: 5 years}
        evidence: high
      - indicator: nz.trust-in-others
        relative_change: 5 percent
        timing: {start: 2022, duration: 5 years}
        evidence: high
"""


def test_every_mismatch_with_the_framework_is_reported_at_once(
    write_yaml: Callable[..., Path],
) -> None:
    bids = wb.load_proposals(write_yaml(BAD, "bad.yaml"))
    with pytest.raises(wb.ValidationError) as info:
        wb.score(LSF, bids, base_year=2021)  # by default the base year is the earliest year
    rendered = [str(p).removeprefix(f"{p.file}:") for p in info.value.problems]
    expected = [
        "6:30: proposals[0].costs[0].amount: amount '5 million AUD' is in AUD; framework 'nz-lsf-2021' "
        "counts money in NZD",
        "7:16: proposals[0].costs[1].year: year 2019 is before the base year 2021",
        "9:20: proposals[0].impacts[0].indicator: framework 'nz-lsf-2021' has no indicator "
        "'nz.life-expectncy'; did you mean 'nz.life-expectancy'?",
        "14:17: proposals[0].impacts[1].change: change does not fit indicator 'nz.life-expectancy': "
        "'hectare' ([length] ** 2) cannot be converted to 'year' ([time])",
        "18:17: proposals[0].impacts[2].change: change '-5 percent' is ambiguous",
        "22:17: proposals[0].impacts[3].change: change '-1 percentage_point' is in percentage points, but "
        "'nz.suicide-rate' is measured in 'per_100k'",
        "26:26: proposals[0].impacts[4].relative_change: relative_change needs a baseline for "
        "'nz.trust-in-others'",
    ]
    assert len(rendered) == len(expected), rendered
    for got, want in zip(rendered, expected, strict=True):
        assert got.startswith(want), (got, want)


@pytest.mark.parametrize(
    ("timing", "message"),
    [
        ("{start: 2019, duration: 5 years}", "before the base year 2021"),
        ("{start: 2022, duration: -5 years}", "duration cannot be negative"),
        ("{start: 2022, duration: 0 years}", "longer than zero"),
        ("{start: 2022, duration: 5}", "needs a unit of time"),
        ("{start: 2022, duration: 5 years, persistence: 1.5}", "less than 1"),
        ("{start: 2022, duration: .nan years}", "number followed by a unit"),
        ("{start: 2022, duration: 5 years, persistence: .inf}", "finite"),
    ],
)
def test_bad_timings(write_yaml: Callable[..., Path], timing: str, message: str) -> None:
    text = f"""\
    proposals:
      - id: t
        title: T
        lead_agency: A
        impacts:
          - {{indicator: nz.life-expectancy, change: 1 year, evidence: high, timing: {timing}}}
    """
    with pytest.raises(wb.ValidationError, match=message) as info:
        wb.score(LSF, wb.load_proposals(write_yaml(text, "t.yaml")), base_year=2021)
    assert info.value.problems[0].line == 6


def test_duplicate_proposal_ids_are_located(write_yaml: Callable[..., Path]) -> None:
    text = """\
    proposals:
      - {id: same, title: A, lead_agency: X, impacts: [{indicator: i, change: 1, evidence: high, timing: {start: 2022, duration: 1 year}}]}
      - {id: same, title: B, lead_agency: X, impacts: [{indicator: i, change: 1, evidence: high, timing: {start: 2022, duration: 1 year}}]}
    """
    with pytest.raises(wb.ValidationError, match=r"3:10: proposals\[1\]\.id: proposal id 'same'"):
        wb.load_proposals(write_yaml(text, "dup.yaml"))


def test_unknown_priority_suggests(write_yaml: Callable[..., Path]) -> None:
    b19 = wb.load_framework("nz-wellbeing-budget-2019")
    text = """\
    proposals:
      - id: p
        title: P
        lead_agency: A
        priorities: [mental-helth]
        impacts: [{indicator: nz.suicide-rate, change: -1 per_100k, evidence: low, timing: {start: 2020, duration: 1 year}}]
    """
    with pytest.raises(wb.ValidationError, match="did you mean 'mental-health'"):
        wb.score(b19, wb.load_proposals(write_yaml(text, "p.yaml")))


def test_change_or_relative_change_not_both(write_yaml: Callable[..., Path]) -> None:
    text = """\
    proposals:
      - id: p
        title: P
        lead_agency: A
        impacts: [{indicator: nz.loneliness, change: -1 pp, relative_change: -5 percent, evidence: low, timing: {start: 2022, duration: 1 year}}]
    """
    with pytest.raises(wb.ValidationError, match="either change"):
        wb.load_proposals(write_yaml(text, "p.yaml"))


def test_per_person_change_needs_a_population(write_yaml: Callable[..., Path]) -> None:
    default = wb.load_framework("default")
    text = """\
    proposals:
      - id: p
        title: P
        lead_agency: A
        impacts: [{indicator: oecd.bli.life-expectancy, change: 1 year, people: 100, evidence: low, timing: {start: 2015, duration: 1 year}}]
    """
    with pytest.raises(wb.ValidationError, match="whose size the framework does not give"):
        wb.score(default, wb.load_proposals(write_yaml(text, "p.yaml")))


# -- refused rather than scored wrongly (issue 10) ---------------------------------------------


def bid(*impacts: str, costs: str = "") -> str:
    body = "".join(
        f"      - indicator: nz.life-expectancy\n        evidence: high\n{i}" for i in impacts
    )
    return (
        "proposals:\n  - id: p\n    title: T\n    lead_agency: A\n"
        + (f"    costs: [{costs}]\n" if costs else "")
        + "    impacts:\n"
        + body
    )


ONE = "        change: 0.1 year\n        timing: {start: 2022, duration: 5 years}\n"


def refusal(write_yaml: Callable[..., Path], text: str, **options: object) -> str:
    path = write_yaml(text, name="bids.yaml")
    with pytest.raises(wb.ValidationError) as info:
        wb.score(LSF, wb.load_proposals(path), **options)  # type: ignore[arg-type]
    return str(info.value)


def test_identical_impacts_are_refused(write_yaml: Callable[..., Path]) -> None:
    assert "impacts[1]: impact 1 is identical to impact 0" in refusal(write_yaml, bid(ONE, ONE))


def test_a_ramp_longer_than_the_duration_is_refused(write_yaml: Callable[..., Path]) -> None:
    text = bid(
        "        change: 0.1 year\n        timing: {start: 2022, ramp_up: 8 years, "
        "duration: 5 years}\n"
    )
    message = refusal(write_yaml, text)
    assert "bids.yaml:" in message and "ramp_up (8 years) is longer than duration" in message


def test_a_start_after_the_horizon_is_refused(write_yaml: Callable[..., Path]) -> None:
    text = bid("        change: 0.1 year\n        timing: {start: 2290, duration: 5 years}\n")
    assert "after the assessment horizon" in refusal(write_yaml, text, base_year=2021)


def test_a_figure_that_overflows_is_refused(write_yaml: Callable[..., Path]) -> None:
    tiny = tuple(
        i.model_copy(update={"scale": wb.Quantity(1e-320, "year")})
        if i.id == "nz.life-expectancy"
        else i
        for i in LSF.indicators
    )
    framework = LSF.model_copy(update={"indicators": tiny})
    path = write_yaml(bid(ONE.replace("0.1 year", "1e12 year")), name="bids.yaml")
    with pytest.raises(wb.ValidationError, match="the effect is not a finite number"):
        wb.score(framework, wb.load_proposals(path))
    with pytest.raises(wb.ValidationError, match="at most 1e\\+15"):
        wb.load_proposals(write_yaml(bid(ONE.replace("0.1 year", "1e308 year")), name="b.yaml"))


def test_base_year_and_horizon_are_bounded(write_yaml: Callable[..., Path]) -> None:
    assert "base year 99999 is outside 1800-2300" in refusal(write_yaml, bid(ONE), base_year=99999)
    far = LSF.model_copy(
        update={
            "generations": LSF.generations.model_copy(
                update={"assessment_horizon": wb.Quantity(1e10, "years")}
            )
        }
    )
    with pytest.raises(wb.ValidationError, match="at most 1000 are scored"):
        wb.score(far, [])


def test_all_weights_zero_is_refused() -> None:
    zero = LSF.model_copy(
        update={"domains": tuple(d.model_copy(update={"weight": 0.0}) for d in LSF.domains)}
    )
    with pytest.raises(wb.ValidationError, match="every indicator or domain weight is 0"):
        wb.score(zero, [])


@pytest.mark.parametrize(
    "weights", [{"high": -1.0}, {"low": float("nan")}, {"high": 0.0, "medium": 0.0, "low": 0.0}]
)
def test_evidence_weights_are_finite_non_negative_and_not_all_zero(
    weights: dict[str, float],
) -> None:
    with pytest.raises(wb.WellbeingBudgetError, match="evidence weights"):
        wb.score(LSF, [], evidence_weights=weights)
