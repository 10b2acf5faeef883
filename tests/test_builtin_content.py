"""Code health of the built-in YAML: every fact cited, every scale reproducible."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

import wellbeing_budget as wb
from wellbeing_budget.io.loading import builtin_catalogue, data_dir, load_catalogue

from .conftest import DATA, ROOT

FRAMEWORKS = wb.list_frameworks()
CATALOGUE = builtin_catalogue()


@pytest.mark.parametrize("framework_id", FRAMEWORKS)
def test_framework_facts_carry_sources(framework_id: str) -> None:
    framework = wb.load_framework(framework_id)
    assert framework.source.title and framework.source.url
    for spec in (framework.discounting.money, framework.discounting.wellbeing):
        assert spec.source is not None and spec.source.url, spec
    assert framework.generations.source is not None
    if framework.population is not None:
        assert framework.population.source.url


@pytest.mark.parametrize("indicator_id", sorted(CATALOGUE))
def test_indicators_carry_source_status_and_scale_basis(indicator_id: str) -> None:
    indicator = CATALOGUE[indicator_id]
    assert indicator.source.title and indicator.source.url
    assert indicator.status in {"primary", "secondary", "unconfirmed"}
    assert indicator.scale_note, "the basis of a scale must be explained"
    if indicator.baseline is not None:
        assert indicator.baseline.source.url


def test_catalogue_files_are_named_by_their_id() -> None:
    for path in sorted((data_dir() / "indicators").glob("*.yaml")):
        assert load_catalogue(path).id == path.stem
    for framework_id in FRAMEWORKS:
        assert wb.load_framework(framework_id).id == framework_id


def _bli_sd() -> pd.Series:
    """Standard deviation across the 34 OECD member countries, OECD BLI 2015.

    Source: OECD Better Life Index, 2015 edition, OECD.Stat export (tests/data/oecd_bli_2015.csv).
    """
    data = pd.read_csv(DATA / "oecd_bli_2015.csv", encoding="utf-8-sig")
    members = data[(data.INEQUALITY == "TOT") & ~data.LOCATION.isin(["OECD", "BRA", "RUS"])]
    assert members.LOCATION.nunique() == 34
    return members.groupby("INDICATOR").Value.std(ddof=1)


def test_cross_country_scales_reproduce_the_oecd_data() -> None:
    sd = _bli_sd()
    checked = 0
    for indicator in CATALOGUE.values():
        if indicator.scale_basis != "cross_country_sd":
            continue
        code = indicator.scale_note.rstrip(").").rsplit("(", 1)[1] if indicator.scale_note else ""
        assert code in sd.index, f"{indicator.id}: scale_note must name the BLI code"
        assert indicator.scale.magnitude == pytest.approx(sd[code], rel=5e-3), indicator.id
        checked += 1
    assert checked >= 49


def test_bli_catalogue_has_the_24_indicators_of_the_2015_edition() -> None:
    bli = [i for i in CATALOGUE if i.startswith("oecd.bli.")]
    assert len(bli) == 24


def test_scale_bases_are_counted_as_the_docs_say() -> None:
    counts = Counter(indicator.scale_basis for indicator in CATALOGUE.values())
    assert len(CATALOGUE) == 434
    assert counts == {"cross_country_sd": 49, "minimal_important_difference": 2, "judgement": 383}
    text = " ".join((ROOT / "docs" / "proposals.md").read_text(encoding="utf-8").split())
    assert (
        f"Of the {len(CATALOGUE)} built-in indicators, {counts['cross_country_sd']} take as scale"
        in text
    )
    assert f"{counts['minimal_important_difference']} a published minimal important" in text
    assert f"the other {counts['judgement']} a judgement" in text
