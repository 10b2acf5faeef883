"""Shared fixtures: paths into the repository and a helper to write YAML files."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
DATA = ROOT / "tests" / "data"


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write dedented YAML text to a file in a temporary folder and return its path."""

    def write(text: str, name: str = "framework.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    return write


def hdi_series() -> pd.DataFrame:
    """HDI components for NZ, DK, AU, UK and CA, 1990-2022, as indicator data keyed by the
    UNDP's own column names. Source: UNDP HDR 2023/24 complete time series
    (tests/data/README.md)."""
    raw = pd.read_csv(DATA / "hdi-components-1990-2022.csv")
    return raw.rename(columns={"country": "jurisdiction"})[
        ["jurisdiction", "indicator", "year", "value"]
    ]


def hdi_sample() -> pd.DataFrame:
    """The 2022 HDI components of 15 countries, long, keyed by the UNDP's column names."""
    wide = pd.read_csv(DATA / "hdi-2022-sample.csv")
    codes = [
        "life_expectancy_years",
        "expected_schooling_years",
        "mean_schooling_years",
        "gni_per_capita_ppp2017_usd",
    ]
    long = wide.melt(id_vars=["country", "year"], value_vars=codes, var_name="indicator")
    return long.rename(columns={"country": "jurisdiction"})
