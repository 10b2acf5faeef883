"""How sure an effect is: each evidence level's expected-value adjustment and spread, and the
uncertainty of judgement scales, domain weights and costs.

A framework declares these under ``uncertainty:``; without it the library's defaults apply
(:data:`DEFAULT_UNCERTAINTY`). The defaults are the **library's judgement**, marked as such:
the New Zealand Treasury's CBAx records a success rate per impact, but the percentages it
applies by strength of evidence could not be confirmed, so by default every adjustment is 1
(the deterministic score is unchanged) and only the spread grows as evidence weakens.

The deterministic score multiplies each effect by its level's ``adjustment`` (its expected
value); a simulation draws a factor around 1 for it: log-normal with mean 1 (``spread`` is the
standard deviation of the log), or normal with standard deviation ``spread`` truncated at 0
unless ``may_reverse`` says the evidence allows the sign to flip.

>>> from wellbeing_budget.model.uncertainty import DEFAULT_UNCERTAINTY
>>> DEFAULT_UNCERTAINTY.level("low").adjustment, DEFAULT_UNCERTAINTY.level("low").spread
(1.0, 0.6)
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, field_validator, model_validator

from ..errors import UnitError
from ..units import Quantity
from .base import Source, _Model

__all__ = ["DEFAULT_UNCERTAINTY", "CostOverrun", "EvidenceUncertainty", "Uncertainty"]

EVIDENCE = ("high", "medium", "low")


class EvidenceUncertainty(_Model):
    """One evidence level: the expected-value adjustment (a success rate, as CBAx records one
    per impact) and the spread of the effect around it."""

    adjustment: float = Field(gt=0, le=1)
    spread: float = Field(ge=0, le=3)
    distribution: Literal["lognormal", "normal"] = "lognormal"
    may_reverse: bool = False
    basis: Literal["cited", "judgement"]
    note: str | None = None
    source: Source | None = None

    @model_validator(mode="after")
    def _cited_has_source(self) -> EvidenceUncertainty:
        if self.basis == "cited" and self.source is None:
            raise ValueError("a cited adjustment needs its source")
        if self.may_reverse and self.distribution != "normal":
            raise ValueError("only a normal spread may reverse an effect's sign")
        return self


def _fraction(value: Quantity) -> float:
    try:
        fraction = value.magnitude if value.unit == "" else value.to("dimensionless")
    except UnitError:
        raise ValueError(
            f"an overrun is a share such as '24 percent', got {str(value)!r}"
        ) from None
    if not (math.isfinite(fraction) and 0 <= fraction <= 5):
        raise ValueError(f"an overrun must be between 0% and 500%, got {str(value)!r}")
    return float(fraction)


class CostOverrun(_Model):
    """A range of cost overruns (an optimism-bias uplift): each proposal's costs are
    multiplied by ``1 + u`` with ``u`` drawn uniformly between ``low`` and ``high``."""

    low: Quantity
    high: Quantity
    note: str | None = None
    source: Source

    @field_validator("low", "high")
    @classmethod
    def _share(cls, value: Quantity) -> Quantity:
        _fraction(value)
        return value

    @model_validator(mode="after")
    def _ordered(self) -> CostOverrun:
        if self.low_fraction > self.high_fraction:
            raise ValueError(f"low ({self.low}) is above high ({self.high})")
        return self

    @property
    def low_fraction(self) -> float:
        """The low overrun as a fraction."""
        return _fraction(self.low)

    @property
    def high_fraction(self) -> float:
        """The high overrun as a fraction."""
        return _fraction(self.high)


class Uncertainty(_Model):
    """A framework's uncertainty settings (``uncertainty:`` in its YAML)."""

    evidence: dict[Literal["high", "medium", "low"], EvidenceUncertainty]
    judgement_scale_spread: float = Field(default=0.5, ge=0, le=3)
    weight_spread: float = Field(default=0.25, ge=0, le=3)
    cost_overrun: CostOverrun | None = None
    basis: Literal["cited", "judgement"] = "judgement"
    note: str | None = None

    @field_validator("evidence")
    @classmethod
    def _every_level(cls, levels: dict[str, EvidenceUncertainty]) -> dict[str, EvidenceUncertainty]:
        missing = [level for level in EVIDENCE if level not in levels]
        if missing:
            raise ValueError(f"give every evidence level; missing: {', '.join(missing)}")
        return levels

    def level(self, name: str) -> EvidenceUncertainty:
        """The settings of one evidence level (``high``, ``medium``, ``low``)."""
        return self.evidence[name]  # type: ignore[index]

    @property
    def adjustments(self) -> dict[str, float]:
        """Evidence level -> expected-value adjustment."""
        return {level: self.level(level).adjustment for level in EVIDENCE}


_JUDGEMENT = (
    "The library's judgement, not a cited figure: CBAx's success rates by evidence strength "
    "could not be confirmed, so the expected value is left as written and only the spread "
    "widens as evidence weakens."
)

DEFAULT_UNCERTAINTY = Uncertainty(
    evidence={
        "high": EvidenceUncertainty(adjustment=1.0, spread=0.1, basis="judgement", note=_JUDGEMENT),
        "medium": EvidenceUncertainty(
            adjustment=1.0, spread=0.3, basis="judgement", note=_JUDGEMENT
        ),
        "low": EvidenceUncertainty(adjustment=1.0, spread=0.6, basis="judgement", note=_JUDGEMENT),
    },
    judgement_scale_spread=0.5,
    weight_spread=0.25,
    basis="judgement",
    note=_JUDGEMENT,
)
"""Used when a framework declares no ``uncertainty:``."""
