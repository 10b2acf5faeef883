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
