"""The base of every model: frozen, unknown keys refused, no NaN or infinity; ids, texts and
sources as every file writes them."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from ..errors import UnitError
from ..units import parse_unit

__all__ = ["ID_PATTERN", "Id", "NotEmpty", "Source", "Text", "UnitText"]

ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=100)]
Text = Annotated[str, Field(min_length=1)]


def _known_unit(unit: str) -> str:
    try:
        parse_unit(unit)
    except UnitError as exc:
        raise ValueError(str(exc)) from None
    return unit


UnitText = Annotated[str, AfterValidator(_known_unit)]
"""A unit as written (``percent``, ``tCO2e / person``), refused unless pint knows it."""


def _not_empty(value: Any) -> Any:
    # Checked before the items: a length constraint checked after them would add a second,
    # misleading error ("at least 1 item") whenever an item is invalid.
    if isinstance(value, list | tuple) and not value:
        raise ValueError("must list at least one item")
    return value


NotEmpty = BeforeValidator(_not_empty)


class _Model(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        use_enum_values=False,
        validate_default=False,
        populate_by_name=True,
    )


class Source(_Model):
    """Where a fact comes from. Every built-in framework, indicator and rate carries one."""

    title: Text
    publisher: str | None = None
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    year: int | None = Field(default=None, ge=1800, le=2100)
    note: str | None = None
