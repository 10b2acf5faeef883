"""Colours: a diverging scale centred on zero and pillar colours, both colour-blind safe.

The diverging scale is ColorBrewer's RdBu (red for harm, blue for gain), which ColorBrewer marks
as safe for colour-blind readers; pillars use the Okabe-Ito qualitative palette.
"""

from __future__ import annotations

import math

__all__ = ["PILLAR_COLOURS", "diverging", "text_on"]

#: ColorBrewer RdBu, 7 classes, from most negative to most positive.
_RDBU = ["#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac"]

#: Okabe-Ito colours for the four pillars.
PILLAR_COLOURS = {
    "people": "#0072B2",
    "society": "#E69F00",
    "environment": "#009E73",
    "public_finances": "#CC79A7",
}


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def diverging(value: float, limit: float) -> str:
    """The colour of ``value`` on a scale from ``-limit`` (red) through 0 (white) to ``+limit``
    (blue); values beyond the limit take the end colours."""
    if not math.isfinite(value) or limit <= 0:
        return _RDBU[3]
    position = (max(-1.0, min(1.0, value / limit)) + 1) / 2 * (len(_RDBU) - 1)
    low = min(int(position), len(_RDBU) - 2)
    fraction = position - low
    a, b = _rgb(_RDBU[low]), _rgb(_RDBU[low + 1])
    mixed = (round(x + (y - x) * fraction) for x, y in zip(a, b, strict=True))
    return "#{:02x}{:02x}{:02x}".format(*mixed)


def text_on(background: str) -> str:
    """Black or white text, whichever reads better on ``background``."""
    r, g, b = _rgb(background)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if luminance > 140 else "#ffffff"
