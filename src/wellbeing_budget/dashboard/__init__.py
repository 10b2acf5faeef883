"""Views of scores and frameworks: notebook tables, plots, the HTML report, exports.

Views read results and frameworks; nothing below them imports this package (the results and
the framework reach it through methods that import it when called).
"""

from __future__ import annotations

__all__: list[str] = []
