"""Names and descriptions in several languages.

A name may be written as plain text or as a mapping of language codes to text::

    name: Health                                   # one language
    name: {en: Mental wellbeing, da: Mental trivsel}

Either way the model holds a ``str``: the English text if there is one, else the first
language written, so code that only wants a name never needs to know about languages. A
translated name is a :class:`LocalText`, a ``str`` that also carries its translations; ask it
for a language with :func:`in_language` (a language it lacks gives the primary text, never an
invented one). Written back to YAML, a translated name is the mapping again.

>>> from wellbeing_budget.model.text import LocalText, in_language
>>> name = LocalText.from_mapping({"en": "Mental wellbeing", "da": "Mental trivsel"})
>>> name, in_language(name, "da"), in_language(name, "mi")
('Mental wellbeing', 'Mental trivsel', 'Mental wellbeing')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Field, PlainSerializer, ValidatorFunctionWrapHandler, WrapValidator

__all__ = ["LANGUAGE_PATTERN", "LocalText", "LocalisedText", "in_language", "language_of"]

LANGUAGE_PATTERN = r"^[a-z]{2,3}$"
"""An ISO 639 language code: ``en``, ``da``, ``mi``..."""

_LANGUAGE = re.compile(LANGUAGE_PATTERN)
PRIMARY = "en"


class LocalText(str):
    """A text with translations: the ``str`` itself is the primary text (English if given)."""

    translations: dict[str, str]
    language: str

    def __new__(cls, text: str, translations: Mapping[str, str], language: str) -> LocalText:
        self = super().__new__(cls, text)
        self.translations = dict(translations)
        self.language = language
        return self

    @classmethod
    def from_mapping(cls, texts: Mapping[str, str]) -> LocalText:
        """From ``{language: text}``; the primary is English if given, else the first."""
        if not texts:
            raise ValueError("a text in several languages needs at least one language")
        language = PRIMARY if PRIMARY in texts else next(iter(texts))
        return cls(texts[language], texts, language)

    def __reduce__(self) -> tuple[Any, ...]:
        return (LocalText, (str(self), self.translations, self.language))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LocalText):
            return str(self) == str(other) and self.translations == other.translations
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = str.__hash__

    def to_data(self) -> dict[str, str]:
        """The ``{language: text}`` mapping, as written in YAML."""
        return dict(self.translations)


def in_language(text: str | None, language: str | None) -> str:
    """``text`` in ``language`` when it has that translation, else as written."""
    if text is None:
        return ""
    if language and isinstance(text, LocalText):
        return text.translations.get(language, str(text))
    return str(text)


def language_of(text: str | None, language: str | None) -> str | None:
    """The language :func:`in_language` gives for ``text``: ``language`` when translated,
    else the text's own language (None when unknown), so a page can mark a fallback."""
    if isinstance(text, LocalText):
        return language if language in text.translations else text.language
    return None


def _validate(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    if isinstance(value, LocalText):
        return value
    if isinstance(value, Mapping):
        texts: dict[str, str] = {}
        for key, text in value.items():
            if not isinstance(key, str) or not _LANGUAGE.match(key):
                raise ValueError(
                    f"{key!r} is not a language code (two or three lower-case letters, "
                    "such as en, da or mi)"
                )
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"the {key} text must be non-empty text")
            texts[key] = text
        return LocalText.from_mapping(texts)
    return handler(value)


def _serialise(value: str) -> Any:
    return value.to_data() if isinstance(value, LocalText) else str(value)


LocalisedText = Annotated[
    str,
    Field(min_length=1),
    WrapValidator(_validate),
    PlainSerializer(_serialise, return_type=Any),
]
"""A field type: plain text, or ``{language: text}`` held as a :class:`LocalText`."""
