"""Money limits a package of proposals must stay within: an allowance for one year (or every
year), for operating or capital spending or both together.

>>> from wellbeing_budget.model.limits import MoneyLimit
>>> MoneyLimit(amount="1.9 billion NZD").label
'total, every year'
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, field_validator

from ..units import Quantity, currency_of
from .base import _Model

__all__ = ["MoneyLimit"]


class MoneyLimit(_Model):
    """At most ``amount`` of costs of ``kind`` in ``year`` (``None``: in each year)."""

    amount: Quantity
    year: int | None = Field(default=None, ge=1800, le=2300)
    kind: Literal["operating", "capital", "total"] = "total"

    @field_validator("amount")
    @classmethod
    def _money(cls, value: Quantity) -> Quantity:
        currency = currency_of(value.unit) if value.unit else None
        if currency is None:
            raise ValueError(
                f"a limit is money with its currency (e.g. '1.9 billion NZD'), got {str(value)!r}"
            )
        amount = value.to(currency)
        if not (math.isfinite(amount) and amount >= 0):
            raise ValueError(f"a limit must be 0 or more, got {str(value)!r}")
        return value

    @property
    def currency(self) -> str:
        """The limit's currency."""
        code = currency_of(self.amount.unit)
        assert code is not None
        return code

    @property
    def label(self) -> str:
        """``operating 2024`` or ``total, every year``."""
        return f"{self.kind} {self.year}" if self.year is not None else f"{self.kind}, every year"
