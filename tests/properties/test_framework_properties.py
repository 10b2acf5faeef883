"""Properties of frameworks: YAML round trips, and no mutation of a file escapes our errors."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wellbeing_budget as wb
from wellbeing_budget import Framework, WellbeingBudgetError

from ..conftest import ROOT

UNITS = [
    "year",
    "percent",
    "point",
    "NZD",
    "billion DKK",
    "MtCO2e",
    "hectare",
    "per_100k",
    "microgram / meter ** 3",
    "person",
]
SCALE_UNIT = {"percent": "percentage_point"}

slug = st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True)
text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30).filter(
    lambda s: s.strip() != ""
)
positive = st.floats(min_value=1e-6, max_value=1e9, allow_nan=False, allow_infinity=False)
weight = st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False)
url = slug.map(lambda s: f"https://example.org/{s}")
source = st.builds(
    lambda title, link, year: {"title": title, "url": link, "year": year},
    text,
    url,
    st.integers(1900, 2030),
)


@st.composite
def indicators(draw: st.DrawFn, ident: str) -> dict[str, Any]:
    unit = draw(st.sampled_from(UNITS))
    scale_unit = SCALE_UNIT.get(unit, unit)
    direction: Any = draw(
        st.one_of(
            st.sampled_from(["higher_is_better", "lower_is_better"]),
            positive.map(lambda v: {"target": f"{v!r} {unit}"}),
        )
    )
    return {
        "id": ident,
        "name": draw(text),
        "unit": unit,
        "direction": direction,
        "scale": f"{draw(positive)!r} {scale_unit}",
        "scale_basis": draw(
            st.sampled_from(["cross_country_sd", "minimal_important_difference", "judgement"])
        ),
        "groups": draw(st.lists(slug, unique=True, max_size=3)),
        "status": draw(st.sampled_from(["primary", "secondary", "unconfirmed", None])),
        "source": draw(source),
    }


@st.composite
def frameworks(draw: st.DrawFn) -> Framework:
    ids = draw(st.lists(slug, min_size=1, max_size=8, unique=True))
    inds = [draw(indicators(f"t.{i}")) for i in ids]
    n_domains = draw(st.integers(1, len(inds)))
    cuts = sorted(
        draw(st.lists(st.integers(0, len(inds)), min_size=n_domains - 1, max_size=n_domains - 1))
    )
    bounds = [0, *cuts, len(inds)]
    domains = []
    for k in range(n_domains):
        members = inds[bounds[k] : bounds[k + 1]]
        domains.append(
            {
                "id": f"d{k}",
                "name": draw(text),
                "pillar": draw(st.sampled_from([p.value for p in wb.Pillar])),
                "weight": draw(weight),
                "indicators": [
                    m["id"] if draw(st.booleans()) else {"id": m["id"], "weight": draw(weight)}
                    for m in members
                ],
            }
        )
    current = draw(st.integers(1, 60))
    rate = st.floats(0, 0.2).map(lambda r: f"{r * 100!r} percent")
    data = {
        "id": draw(slug),
        "name": draw(text),
        "version": draw(text),
        "jurisdiction": draw(text),
        "source": draw(source),
        "currency": draw(st.sampled_from(["NZD", "DKK", "EUR"])),
        "price_year": draw(st.integers(1990, 2030)),
        "population": {"count": draw(positive), "year": 2020, "source": draw(source)},
        "generations": {
            "current_horizon": f"{current} years",
            "assessment_horizon": f"{draw(st.integers(current, 300))} years",
        },
        "discounting": {
            "money": {"kind": "constant", "rate": draw(rate)},
            "wellbeing": {
                "kind": "declining",
                "schedule": [
                    {"from_year": 1, "rate": draw(rate)},
                    {"from_year": 31, "rate": draw(rate)},
                ],
            },
        },
        "domains": domains,
        "indicators": inds,
    }
    return Framework.model_validate(data)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frameworks())
def test_generated_frameworks_round_trip_through_yaml(framework: Framework) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.yaml"
        framework.to_yaml(str(path))
        assert wb.load_framework(path) == framework


VALID = (ROOT / "frameworks" / "nz-wellbeing-budget-2019.yaml").read_text(encoding="utf-8")
SMALL = (ROOT / "frameworks" / "default.yaml").read_text(encoding="utf-8")
WITH_INDEX = (ROOT / "frameworks" / "undp-hdi.yaml").read_text(encoding="utf-8")

snippet = st.sampled_from(
    [
        ":",
        "- ",
        "  ",
        "\n",
        "&a ",
        "*a",
        "!!str ",
        "{",
        "}",
        "[",
        "]",
        "'",
        '"',
        "#",
        "extends: ",
        "nz.",
        "year",
        "percent",
        "-1",
        "1e999",
        ".nan",
        "~",
        "<<: ",
        "? ",
        "\t",
        "\x00",
        "é",
        "id: x\n",
        "domains: []\n",
        "../../etc/passwd.yaml",
    ]
)


@st.composite
def mutations(draw: st.DrawFn) -> str:
    source = draw(st.sampled_from([VALID, SMALL, WITH_INDEX]))
    lines = source.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "duplicate", "insert", "replace", "swap"]))
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            line = lines[i]
            pos = draw(st.integers(0, len(line)))
            piece = draw(st.one_of(snippet, st.text(max_size=5)))
            end = pos + (draw(st.integers(0, 8)) if kind == "replace" else 0)
            lines[i] = line[:pos] + piece + line[end:]
    return "".join(lines)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations())
def test_any_mutation_loads_or_raises_our_error(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mutated.yaml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            framework = wb.load_framework(path)
        except WellbeingBudgetError as exc:
            message = str(exc)
            assert message
        else:
            assert isinstance(framework, Framework)
