"""wellbeing-budget: decide a budget on wellbeing.

Load a wellbeing framework (New Zealand's Living Standards Framework, the OECD's How's Life,
or your own YAML), and see its domains, pillars and indicators:

>>> import wellbeing_budget as wb
>>> lsf = wb.load_framework("nz-lsf-2021")
>>> sorted({d.pillar.value for d in lsf.domains})
['environment', 'people', 'public_finances', 'society']
"""

from __future__ import annotations

from .errors import (
    FrameworkNotFoundError,
    Problem,
    UnitError,
    UnknownIdError,
    ValidationError,
    WellbeingBudgetError,
    YAMLError,
)
from .framework import (
    Direction,
    DiscountSpec,
    Domain,
    Framework,
    Indicator,
    IndicatorCatalogue,
    Pillar,
    Source,
)
from .loading import list_frameworks, load_catalogue, load_framework
from .units import Quantity, ureg

__version__ = "0.1.0"

__all__ = [
    "Direction",
    "DiscountSpec",
    "Domain",
    "Framework",
    "FrameworkNotFoundError",
    "Indicator",
    "IndicatorCatalogue",
    "Pillar",
    "Problem",
    "Quantity",
    "Source",
    "UnitError",
    "UnknownIdError",
    "ValidationError",
    "WellbeingBudgetError",
    "YAMLError",
    "__version__",
    "list_frameworks",
    "load_catalogue",
    "load_framework",
    "ureg",
]
