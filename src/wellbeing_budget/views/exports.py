"""Excel export: one sheet per view, units in the headers, written atomically."""

from __future__ import annotations

import importlib.util
import io
import os
import zipfile
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import WellbeingBudgetError
from ..io.files import write_text_atomic

if TYPE_CHECKING:
    from ..analysis.results import Scorecard

__all__ = ["write_excel"]

#: A fixed time for the entries of the workbook's zip file and its document properties, so the
#: same scorecard gives the same bytes.
_EPOCH = (2000, 1, 1, 0, 0, 0)


def _with_units(frame: pd.DataFrame, currency: str) -> pd.DataFrame:
    renamed = {}
    for column in frame.columns:
        name = str(column)
        if name.startswith(("current_", "future_", "combined_", "weighted_", "effect_years")):
            renamed[column] = f"{name} [effect-years]"
        elif name.endswith("_npv"):
            renamed[column] = f"{name} [{currency}]"
        elif name.startswith("ce_"):
            renamed[column] = f"{name} [effect-years per million {currency}]"
    return frame.rename(columns=renamed)


def _assumptions(card: Scorecard) -> pd.DataFrame:
    c = card.compiled
    framework = card.framework
    rows = [
        ("framework", f"{framework.name} ({framework.id} {framework.version})"),
        ("framework source", framework.source.url or framework.source.title),
        ("base year", str(card.base_year)),
        ("current generation", f"years 0-{c.current_years - 1}"),
        ("future generations", f"years {c.current_years}-{c.assessment_years - 1}"),
        ("wellbeing discounting", c.wellbeing_discount.name or c.wellbeing_discount.kind),
        ("money discounting", c.money_discount.name or c.money_discount.kind),
        ("currency", f"{card.currency} ({framework.price_year} prices)"),
        ("future weight", "none" if card.future_weight is None else f"{card.future_weight:g}"),
    ]
    return pd.DataFrame(rows, columns=["assumption", "value"])


def _normalise(data: bytes) -> bytes:
    """Rewrite the zip with fixed entry times and fixed document dates."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                for tag in ("dcterms:created", "dcterms:modified"):
                    start = text.find(f"<{tag}")
                    if start >= 0:
                        close = text.find(">", start) + 1
                        end = text.find(f"</{tag}>", close)
                        text = text[:close] + "2000-01-01T00:00:00Z" + text[end:]
                content = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return out.getvalue()


def _as_text(sheet: Any) -> None:
    """Store every text cell as text: openpyxl writes a string starting with ``=`` as a live
    formula (a proposal titled ``=HYPERLINK(...)`` would run when the workbook is opened)."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.data_type != "s":
                cell.data_type = "s"


def write_excel(card: Scorecard, path: str | os.PathLike[str]) -> None:
    """Write the scorecard's views to an Excel workbook."""
    if importlib.util.find_spec("openpyxl") is None:
        raise WellbeingBudgetError(
            "Excel export needs openpyxl: pip install 'wellbeing-budget[excel]'"
        )
    currency = card.currency
    sheets = {
        "summary": _with_units(card.summary(), currency).reset_index(),
        "tidy": _with_units(card.to_frame(), currency),
        "groups": card.by_group().rename(
            columns={"current": "current [effect-years]", "future": "future [effect-years]"}
        ),
        "impacts": _with_units(card.impacts_frame(), currency),
        "assumptions": _assumptions(card),
    }
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            _as_text(sheet)
            sheet.freeze_panes = "B2"
            for column in sheet.columns:
                width = max(len(str(cell.value or "")) for cell in column[:200])
                sheet.column_dimensions[column[0].column_letter].width = min(60, width + 2)
    write_text_atomic(path, _normalise(buffer.getvalue()))
