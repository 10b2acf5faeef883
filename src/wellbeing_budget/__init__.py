"""wellbeing-budget: decide a budget on wellbeing.

Load a wellbeing framework (New Zealand's Living Standards Framework, the OECD's How's Life,
or your own YAML), and see its domains, pillars and indicators:

>>> import wellbeing_budget as wb
>>> lsf = wb.load_framework("nz-lsf-2021")
>>> sorted({d.pillar.value for d in lsf.domains})
['environment', 'people', 'public_finances', 'society']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import (
    FrameworkNotFoundError,
    Problem,
    UnitError,
    UnknownIdError,
    ValidationError,
    WellbeingBudgetError,
    YAMLError,
)

if TYPE_CHECKING:
    from .analysis.composite import index_uncertainty
    from .analysis.portfolio import Package, Solution
    from .analysis.reexpress import Comparison, Rescored, compare, compare_frameworks, score_under
    from .analysis.results import Explanation, Scorecard, score
    from .analysis.sensitivity import Sensitivity
    from .analysis.uncertainty import Simulation
    from .io.crosswalks import list_crosswalks, load_crosswalk
    from .io.limits import load_limits
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
    from .model.limits import MoneyLimit
    from .model.proposal import (
        FiscalEffect,
        Impact,
        ImpactColumns,
        MoneyColumns,
        MoneyLine,
        Proposal,
        ProposalSet,
        Timing,
    )
    from .model.uncertainty import CostOverrun, EvidenceUncertainty, Uncertainty
    from .model.values import MoneyValue, ValueSet
    from .units import Quantity, ureg

# The rest of the API is imported when first used (PEP 562): ``import wellbeing_budget`` then
# costs no pint, pandas or matplotlib, and the command line answers ``--help`` at once.
_LAZY = {
    "Simulation": ".analysis.uncertainty",
    "Sensitivity": ".analysis.sensitivity",
    "Package": ".analysis.portfolio",
    "Solution": ".analysis.portfolio",
    "MoneyLimit": ".model.limits",
    "load_limits": ".io.limits",
    "Uncertainty": ".model.uncertainty",
    "EvidenceUncertainty": ".model.uncertainty",
    "CostOverrun": ".model.uncertainty",
    "index_uncertainty": ".analysis.composite",
    "Comparison": ".analysis.reexpress",
    "Rescored": ".analysis.reexpress",
    "compare": ".analysis.reexpress",
    "compare_frameworks": ".analysis.reexpress",
    "score_under": ".analysis.reexpress",
    "SdrData": ".io.readers",
    "read_oecd": ".io.readers",
    "read_sdr": ".io.readers",
    "read_undp": ".io.readers",
    "sdg_index_framework": ".io.readers",
    "Explanation": ".analysis.results",
    "Scorecard": ".analysis.results",
    "score": ".analysis.results",
    "list_crosswalks": ".io.crosswalks",
    "load_crosswalk": ".io.crosswalks",
    "example_path": ".io.loading",
    "list_discount_schedules": ".io.loading",
    "list_frameworks": ".io.loading",
    "list_value_sets": ".io.loading",
    "load_catalogue": ".io.loading",
    "load_discount_schedule": ".io.loading",
    "load_framework": ".io.loading",
    "load_proposals": ".io.loading",
    "load_value_set": ".io.loading",
    "Crosswalk": ".model.crosswalk",
    "Direction": ".model.framework",
    "DiscountSpec": ".model.framework",
    "Domain": ".model.framework",
    "Framework": ".model.framework",
    "Indicator": ".model.framework",
    "IndicatorCatalogue": ".model.framework",
    "Pillar": ".model.framework",
    "PopulationGroup": ".model.framework",
    "Source": ".model.framework",
    "FiscalEffect": ".model.proposal",
    "Impact": ".model.proposal",
    "ImpactColumns": ".model.proposal",
    "MoneyColumns": ".model.proposal",
    "MoneyLine": ".model.proposal",
    "Proposal": ".model.proposal",
    "ProposalSet": ".model.proposal",
    "Timing": ".model.proposal",
    "MoneyValue": ".model.values",
    "ValueSet": ".model.values",
    "Quantity": ".units",
    "ureg": ".units",
}

__all__ = [
    "Comparison",
    "CostOverrun",
    "Crosswalk",
    "Direction",
    "DiscountSpec",
    "Domain",
    "EvidenceUncertainty",
    "Explanation",
    "FiscalEffect",
    "Framework",
    "FrameworkNotFoundError",
    "Impact",
    "ImpactColumns",
    "Indicator",
    "IndicatorCatalogue",
    "MoneyColumns",
    "MoneyLimit",
    "MoneyLine",
    "MoneyValue",
    "Package",
    "Pillar",
    "PopulationGroup",
    "Problem",
    "Proposal",
    "ProposalSet",
    "Quantity",
    "Rescored",
    "Scorecard",
    "SdrData",
    "Sensitivity",
    "Simulation",
    "Solution",
    "Source",
    "Timing",
    "Uncertainty",
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
    "load_limits",
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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
