"""Names and descriptions in several languages."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

import pytest

import wellbeing_budget as wb
from wellbeing_budget.model.text import LocalText, in_language, language_of

from ..conftest import ROOT

DK = ROOT / "examples" / "dk-trivsel" / "framework.yaml"


def test_a_translated_name_is_its_english_text_and_keeps_the_others() -> None:
    framework = wb.load_framework(DK)
    domain = framework.domain("mental-wellbeing")
    assert domain.name == "Mental wellbeing"
    assert isinstance(domain.name, LocalText)
    assert in_language(domain.name, "da") == "Mental trivsel"
    # a language the name lacks gives the name as written, never an invented translation
    assert in_language(domain.name, "mi") == "Mental wellbeing"
    assert language_of(domain.name, "mi") == "en"
    assert language_of(domain.name, "da") == "da"


def test_plain_names_stay_plain() -> None:
    lsf = wb.load_framework("nz-lsf-2021")
    assert type(lsf.domain("health").name) is str
    assert in_language(lsf.domain("health").name, "da") == "Health"


def test_without_english_the_first_language_is_primary() -> None:
    text = LocalText.from_mapping({"da": "Sundhed", "mi": "x"})
    assert text == "Sundhed" and text.language == "da"


def test_translations_round_trip_through_yaml(tmp_path: Path) -> None:
    framework = wb.load_framework(DK)
    path = tmp_path / "again.yaml"
    framework.to_yaml(str(path))
    assert "da: Mental trivsel" in path.read_text(encoding="utf-8")
    again = wb.load_framework(path)
    assert again == framework
    assert in_language(again.domain("work-and-self-support").name, "da") == (
        "Arbejde og selvforsørgelse"
    )


def test_translations_take_part_in_equality_and_survive_copies() -> None:
    a = LocalText.from_mapping({"en": "Health", "da": "Sundhed"})
    b = LocalText.from_mapping({"en": "Health", "da": "Helbred"})
    assert a == "Health" and a != b
    assert hash(a) == hash("Health")
    for copied in (copy.deepcopy(a), pickle.loads(pickle.dumps(a))):
        assert copied == a and in_language(copied, "da") == "Sundhed"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("{english: Health}", "'english' is not a language code"),
        ("{en: ''}", "the en text must be non-empty text"),
        ("{}", "at least one language"),
    ],
)
def test_bad_translations_are_located(tmp_path: Path, name: str, message: str) -> None:
    path = tmp_path / "framework.yaml"
    path.write_text(
        "extends: default\nid: mine\ndomains:\n  - id: people\n    name: " + name + "\n",
        encoding="utf-8",
    )
    with pytest.raises(wb.ValidationError) as caught:
        wb.load_framework(path)
    problem = caught.value.problems[0]
    assert message in str(problem)
    assert problem.line == 5
    assert problem.path[:3] == ("domains", 0, "name")
