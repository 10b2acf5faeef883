"""The report's own words in English and Danish, and numbers written for people.

Names of frameworks, domains and indicators come from the framework (see
:mod:`wellbeing_budget.model.text`); these are the words around them. A language without a
word here gets the English word: the library writes no translation it cannot stand behind, so
te reo Māori (``mi``) reports show the framework's te reo names where it has them, and English
for the rest.

>>> from wellbeing_budget.views.i18n import format_number
>>> format_number(1.24e-05), format_number(1234567.8), format_number(0.012345)
('< 0.001', '1,230,000', '0.0123')
>>> format_number(1234.7, language="da"), format_number(-0.00002)
('1.230', '> \u22120.001')
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ..model.text import PRIMARY, LocalText

__all__ = [
    "LANGUAGES",
    "TINY",
    "format_number",
    "language_name",
    "page_language",
    "translator",
    "written_in",
]

TINY = 0.001
"""Magnitudes below this are written ``< 0.001``: more digits would claim a precision the
inputs do not have, and scientific notation is not for readers of a budget report."""

LANGUAGES = ("en", "da")
"""Languages the report's own words exist in."""

# Names of languages, as a report in that language writes them; a code missing here is shown
# as the code.
_LANGUAGE_NAMES: dict[str, dict[str, str]] = {
    "en": {"en": "English", "da": "Danish", "mi": "te reo Māori"},
    "da": {"en": "engelsk", "da": "dansk", "mi": "te reo Māori"},
}

_WORDS: dict[str, dict[str, str]] = {
    "da": {
        "Wellbeing scorecard": "Trivselsregnskab",
        "Framework": "Ramme",
        "version": "version",
        "source": "kilde",
        "Base year": "Basisår",
        "money in": "beløb i",
        "Note": "Bemærk",
        "Proposals": "Forslag",
        "Proposal": "Forslag",
        "Current generation": "Nuværende generation",
        "Future generations": "Fremtidige generationer",
        "Net cost NPV": "Nettoomkostning (nutidsværdi)",
        "Agencies involved": "Involverede myndigheder",
        "Ranking": "Rangordning",
        "Pillars": "Søjler",
        "effect-years": "effektår",
        "Effect-years": "Effektår",
        "current": "nu",
        "future": "senere",
        "Current": "Nu",
        "Future": "Senere",
        "m": "mio.",
        "EY per m": "Effektår pr. mio.",
        "Breadth": "Bredde",
        "agency": "myndighed",
        "agencies": "myndigheder",
        "pillar": "søjle",
        "pillars": "søjler",
        "domain": "domæne",
        "domains": "domæner",
        "by pillar": "pr. søjle",
        "Figures": "Figurer",
        "Assumptions": "Forudsætninger",
        "Re-weight": "Vægt om",
        "Reset to the framework's weights": "Nulstil til rammens vægte",
        "Future-generation weight": "Vægt på fremtidige generationer",
        "Wellbeing discounting": "Diskontering af trivsel",
        "Money discounting": "Diskontering af penge",
        "Domain weights": "Domænevægte",
        "Pillar weights": "Søjlevægte",
        "Ranked by": "Rangordnet efter",
        "People": "Mennesker",
        "Society": "Samfund",
        "Environment": "Miljø",
        "Public finances": "Offentlige finanser",
        "Indicator": "Indikator",
        "Change": "Ændring",
        "People reached": "Personer nået",
        "Group": "Gruppe",
        "Timing": "Tidsforløb",
        "Evidence": "Evidens",
        "Std. effect / yr": "Std.-effekt / år",
        "EY now": "Effektår nu",
        "EY later": "Effektår senere",
        "lead": "ansvarlig",
        "partners": "partnere",
        "none": "ingen",
        "groups": "grupper",
        "priorities": "prioriteter",
        "Money": "Penge",
        "cost": "omkostning",
        "saving": "besparelse",
        "revenue": "indtægt",
        "costs": "omkostninger",
        "fiscal effects": "finansielle effekter",
        "Source": "Kilde",
        "Generations": "Generationer",
        "Population": "Befolkning",
        "Currency and prices": "Valuta og priser",
        "Future weight": "Vægt på fremtiden",
        "inherited from": "arvet fra",
        "set by this framework": "fastsat af denne ramme",
        "set for this scoring": "valgt til denne beregning",
        "Benefit NPV": "Gevinst (nutidsværdi)",
        "Net present social value": "Samfundsøkonomisk nettonutidsværdi",
        "BCR": "Gevinst/omkostning",
        "Monetised share": "Andel i kroner",
        "Judgement share": "Andel skønnet",
        "the framework's own": "rammens egen",
        "pays for itself": "betaler sig selv",
        "Value set": "Værdisæt",
        "Deflator": "Deflator",
        "Marginal cost of public funds": "Skatteforvridningsfaktor",
        "Language": "Sprog",
        "the framework gives no {language} name for {items}": (
            "rammen giver intet navn på {language} for {items}"
        ),
        "{n} of {total} domains": "{n} af {total} domæner",
        "{n} of {total} indicators": "{n} af {total} indikatorer",
        "{n} of {total} population groups": "{n} af {total} befolkningsgrupper",
        "its own name": "sit eget navn",
        "and": "og",
        "these are shown in {language}": "de vises på {language}",
        "these are shown as written": "de vises som skrevet",
        "nothing is translated by this library": "biblioteket oversætter intet selv",
        "Domains": "Domæner",
        "Indicators": "Indikatorer",
        "Population groups": "Befolkningsgrupper",
        "Names shown as written": "Navne vist som skrevet",
    },
}


def translator(language: str | None) -> Callable[[str], str]:
    """A function giving the report's word in ``language`` (English when it has none)."""
    words = _WORDS.get(language or "en", {})

    def word(text: str) -> str:
        return words.get(text, text)

    return word


def page_language(language: str | None) -> str:
    """The language a report in ``language`` is mostly written in: ``language`` when the
    report's own words exist in it, else English (a ``mi`` report is English around the
    framework's te reo names)."""
    return language if language in LANGUAGES else PRIMARY


def language_name(code: str, language: str | None = None) -> str:
    """The name of language ``code`` as a report in ``language`` writes it.

    >>> language_name("mi"), language_name("en", "da"), language_name("xx")
    ('te reo Māori', 'engelsk', 'xx')
    """
    return _LANGUAGE_NAMES[page_language(language)].get(code, code)


def written_in(text: str | None, language: str) -> bool:
    """Whether the framework gives ``text`` in ``language`` itself. A plain name counts as
    English, the language frameworks here are written in; a translated name has exactly the
    languages it lists.

    >>> written_in(LocalText.from_mapping({"en": "Health", "mi": "x"}), "mi")
    True
    >>> written_in("Health", "mi"), written_in("Health", "en")
    (False, True)
    """
    if isinstance(text, LocalText):
        return language in text.translations
    return text is not None and language == PRIMARY


def format_number(value: float | None, digits: int = 3, language: str | None = None) -> str:
    """``value`` for people: ``digits`` significant figures, thousands separators, no
    scientific notation; ``< 0.001`` for tiny magnitudes; an en dash for no value. Danish writes
    ``1.234,5``."""
    if value is None or not math.isfinite(value):
        return "–"
    if value == 0:
        return "0"
    if abs(value) < TINY:
        text = f"< {TINY:g}" if value > 0 else f"> −{TINY:g}"
        return text.replace(".", ",") if language == "da" else text
    # round to the significant figures first, so 0.09999 gives 0.1, not 0.1000
    value = float(f"{value:.{digits - 1}e}")
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, digits - 1 - magnitude)
    text = f"{abs(value):,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if value < 0:
        text = "−" + text
    if language == "da":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text
