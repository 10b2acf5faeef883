"""wellbeing-budget: decide a budget on wellbeing.

Load a wellbeing framework (New Zealand's Living Standards Framework, the OECD's How's Life,
or your own YAML), and see its domains, pillars and indicators:

>>> import wellbeing_budget as wb
>>> lsf = wb.load_framework("nz-lsf-2021")
>>> sorted({d.pillar.value for d in lsf.domains})
['environment', 'people', 'public_finances', 'society']
"""

from __future__ import annotations

from ._version import __version__
from .analysis.composite import index_uncertainty
from .analysis.reexpress import Comparison, Rescored, compare, compare_frameworks, score_under
from .analysis.results import Explanation, Scorecard, score
from .errors import (
    FrameworkNotFoundError,
    Problem,
    UnitError,
    UnknownIdError,
    ValidationError,
    WellbeingBudgetError,
    YAMLError,
)
from .io.crosswalks import list_crosswalks, load_crosswalk
from .io.loading import (
    example_path,
    list_discount_schedules,
    list_frameworks,
    list_value_sets,
    load_catalogue,
    load_discount_schedule,
    load_framework,
    load_proposals,
    load_value_set,
)
from .io.readers import SdrData, read_oecd, read_sdr, read_undp, sdg_index_framework
from .model.crosswalk import Crosswalk
from .model.framework import (
    Direction,
    DiscountSpec,
    Domain,
    Framework,
    Indicator,
    IndicatorCatalogue,
    Pillar,
    PopulationGroup,
    Source,
)
from .model.proposal import FiscalEffect, Impact, MoneyLine, Proposal, ProposalSet, Timing
from .model.values import MoneyValue, ValueSet
from .units import Quantity, ureg

__all__ = [
    "Comparison",
    "Crosswalk",
    "Direction",
    "DiscountSpec",
    "Domain",
    "Explanation",
    "FiscalEffect",
    "Framework",
    "FrameworkNotFoundError",
    "Impact",
    "Indicator",
    "IndicatorCatalogue",
    "MoneyLine",
    "MoneyValue",
    "Pillar",
    "PopulationGroup",
    "Problem",
    "Proposal",
    "ProposalSet",
    "Quantity",
    "Rescored",
    "Scorecard",
    "SdrData",
    "Source",
    "Timing",
    "UnitError",
    "UnknownIdError",
    "ValidationError",
    "ValueSet",
    "WellbeingBudgetError",
    "YAMLError",
    "__version__",
    "compare",
    "compare_frameworks",
    "example_path",
    "index_uncertainty",
    "list_crosswalks",
    "list_discount_schedules",
    "list_frameworks",
    "list_value_sets",
    "load_catalogue",
    "load_crosswalk",
    "load_discount_schedule",
    "load_framework",
    "load_proposals",
    "load_value_set",
    "read_oecd",
    "read_sdr",
    "read_undp",
    "score",
    "score_under",
    "sdg_index_framework",
    "ureg",
]
