"""The built-in national frameworks agree with the counts their sources state."""

from __future__ import annotations

import pytest

import wellbeing_budget as wb

from .test_cli import run

NATIONAL = [
    "oecd-hows-life",
    "oecd-better-life-index",
    "wales-wellbeing-future-generations",
    "scotland-npf",
    "australia-measuring-what-matters",
    "canada-quality-of-life",
    "uk-ons-national-wellbeing",
    "undp-hdi",
    "nz-lsf-2021",
    "nz-wellbeing-budget-2019",
]

# What each source states, checked against the YAML's own `counts` (sources in the YAML).
STATED = {
    "oecd-hows-life": (15, 82),
    "oecd-better-life-index": (11, 24),
    "wales-wellbeing-future-generations": (7, 50),
    "scotland-npf": (11, 81),
    "australia-measuring-what-matters": (5, 50),
    "canada-quality-of-life": (5, 91),
    "uk-ons-national-wellbeing": (10, 60),
    "undp-hdi": (3, 4),
    "nz-lsf-2021": (12, None),
}


def test_at_least_the_ten_frameworks_are_built_in() -> None:
    assert set(NATIONAL) <= set(wb.list_frameworks())


@pytest.mark.parametrize("framework_id", sorted(STATED))
def test_counts_match_the_source(framework_id: str) -> None:
    framework = wb.load_framework(framework_id)
    counts = framework.counts
    assert counts is not None and counts.source is not None
    domains, indicators = STATED[framework_id]
    assert (counts.domains, counts.indicators) == (domains, indicators)
    level = counts.domain_level
    encoded_domains = [d for d in framework.domains if level is None or d.level == level]
    assert len(encoded_domains) == counts.domains
    if counts.indicators is not None:
        assert len(framework.indicators) <= counts.indicators
        assert framework.coverage == pytest.approx(len(framework.indicators) / indicators)


def test_complete_frameworks_encode_every_stated_indicator() -> None:
    for framework_id in ("oecd-better-life-index", "undp-hdi"):
        assert wb.load_framework(framework_id).coverage == 1.0


@pytest.mark.parametrize("framework_id", NATIONAL)
def test_every_domain_is_in_a_pillar_and_every_indicator_has_a_status(framework_id: str) -> None:
    framework = wb.load_framework(framework_id)
    for domain in framework.domains:
        assert domain.pillar in wb.Pillar
        if not domain.indicators:
            assert domain.note, f"{domain.id}: say why no indicator is encoded"
    for indicator in framework.indicators:
        assert indicator.status in {"primary", "secondary", "unconfirmed"}


def test_frameworks_command_shows_coverage() -> None:
    status, text = run("frameworks")
    assert status == 0
    assert "41/50 (82%)" in text  # Wales
    assert "24/24 (100%)" in text  # Better Life Index
    assert "coverage" in text


def test_validate_all_built_in_yaml_is_clean() -> None:
    from .conftest import ROOT

    status, text = run("validate", str(ROOT / "frameworks"), str(ROOT / "indicators"))
    assert status == 0, text
    assert "(crosswalk)" in text


@pytest.mark.parametrize("framework_id", NATIONAL)
def test_at_most_a_tenth_of_a_framework_is_unconfirmed(framework_id: str) -> None:
    indicators = wb.load_framework(framework_id).indicators
    unconfirmed = [i.id for i in indicators if i.status == "unconfirmed"]
    assert len(unconfirmed) <= 0.1 * len(indicators), unconfirmed
    for indicator in indicators:
        assert indicator.source.url, f"{indicator.id}: cite the page it is listed on"
        if indicator.status == "unconfirmed":
            assert indicator.note, f"{indicator.id}: say what is unconfirmed"


def test_indicators_command_finds_ids_without_reading_yaml() -> None:
    status, text = run("indicators", "--search", "life expectancy")
    assert status == 0
    assert "nz.life-expectancy" in text and "undp.life-expectancy" in text
    assert "unemployment" not in text
    status, text = run("indicators", "--framework", "scotland-npf", "--search", "poverty")
    assert status == 0
    assert "scot.relative-poverty" in text and "of 78 indicators of framework scotland-npf" in text
    assert "nz." not in text
    status, text = run("indicators", "--search", "no such words anywhere")
    assert status == 1 and "matches" in text


# Treasury's site answers on these alias domains too; the URL kept is the one read.
_MWM_PUBLISHER_HOSTS = {
    "abs.gov.au",
    "www.abs.gov.au",
    "treasury.gov.au",
    "fairtax.gov.au",
    "bettertax.gov.au",
    "yoursuper.gov.au",
}


def test_australia_primary_indicators_cite_the_publishers_own_page() -> None:
    from urllib.parse import urlparse

    framework = wb.load_framework("australia-measuring-what-matters")
    statuses = [indicator.status for indicator in framework.indicators]
    assert statuses.count("unconfirmed") <= 0.1 * len(statuses)
    for indicator in framework.indicators:
        if indicator.status != "primary":
            continue
        url = urlparse(str(indicator.source.url))
        assert url.hostname in _MWM_PUBLISHER_HOSTS, indicator.id
        assert "measuring-what-matters" in url.path, indicator.id
