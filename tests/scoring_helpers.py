"""Helpers to build proposals in tests."""

from __future__ import annotations

from typing import Any

import wellbeing_budget as wb


def proposal(
    pid: str = "p",
    impacts: list[dict[str, Any]] | None = None,
    costs: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> wb.Proposal:
    data: dict[str, Any] = {
        "id": pid,
        "title": f"Proposal {pid}",
        "lead_agency": "Ministry A",
        "impacts": impacts or [impact()],
        "costs": costs or [],
        **extra,
    }
    return wb.Proposal.model_validate(data)


def impact(
    indicator: str = "nz.life-expectancy",
    change: str | None = "2.43 year",
    start: int = 2021,
    duration: str = "40 years",
    **extra: Any,
) -> dict[str, Any]:
    timing = {"start": start, "duration": duration}
    timing.update(extra.pop("timing", {}))
    data: dict[str, Any] = {"indicator": indicator, "timing": timing, "evidence": "high", **extra}
    if change is not None:
        data["change"] = change
    return data
