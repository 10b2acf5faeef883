"""Views of results and frameworks: notebook tables, plots, the offline HTML report, exports.

Views read results and know no YAML; lower floors reach them only through notebook conveniences.
"""

from __future__ import annotations

__all__: list[str] = []
