"""Excel export: one sheet per view, units in the headers, written atomically."""

from __future__ import annotations

import importlib.util
import io
import math
import os
import re
import zipfile
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import WellbeingBudgetError
from ..io.files import write_text_atomic

if TYPE_CHECKING:
    from ..analysis.results import Scorecard

__all__ = ["EXCEL_MAX_ROWS", "excel_sheets", "write_excel"]

EXCEL_MAX_ROWS = 1_048_576
"""Rows in one Excel sheet, the header included (Excel's own limit)."""

#: A fixed time for the entries of the workbook's zip file and its document properties, so the
#: same scorecard gives the same bytes.
_EPOCH = (2000, 1, 1, 0, 0, 0)


def _with_units(frame: pd.DataFrame, currency: str) -> pd.DataFrame:
    renamed = {}
    for column in frame.columns:
        name = str(column)
        # A percentile column (benefit_npv_p95) is in its figure's unit.
        figure = re.sub(r"_p\d+$", "", name)
        if name.startswith(("current_", "future_", "combined_", "weighted_", "effect_years")):
            renamed[column] = f"{name} [effect-years]"
        elif figure.endswith("_npv"):
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


def excel_sheets(card: Scorecard) -> dict[str, pd.DataFrame]:
    """The tables of the workbook, by sheet name, units in the column headers."""
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
    for name, frame in card.decision_tables().items():
        sheets[name] = _with_units(frame, currency)
    return sheets


def write_excel(card: Scorecard, path: str | os.PathLike[str]) -> None:
    """Write the scorecard's views to an Excel workbook, streamed row by row (openpyxl's
    write-only mode: memory stays flat however many rows)."""
    if importlib.util.find_spec("openpyxl") is None:
        raise WellbeingBudgetError(
            "Excel export needs openpyxl: pip install 'wellbeing-budget[excel]'"
        )
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    sheets = excel_sheets(card)
    for name, frame in sheets.items():
        if len(frame) + 1 > EXCEL_MAX_ROWS:
            raise WellbeingBudgetError(
                f"sheet {name!r} would have {len(frame) + 1:,} rows; Excel holds at most "
                f"{EXCEL_MAX_ROWS:,}. Write the tables as CSV instead (Scorecard.to_csv, or "
                "impacts_frame().to_csv) or score fewer proposals per workbook"
            )
    book = Workbook(write_only=True)
    for name, frame in sheets.items():
        sheet = book.create_sheet(name)
        sheet.freeze_panes = "B2"
        header = [str(c) for c in frame.columns]
        columns = [frame[c].tolist() for c in frame.columns]
        for k, (title, values) in enumerate(zip(header, columns, strict=True)):
            width = max([len(title), *(len(str(_plain(v) or "")) for v in values[:199])])
            sheet.column_dimensions[get_column_letter(k + 1)].width = min(60, width + 2)
        sheet.append(header)
        for record in zip(*columns, strict=True):
            row: list[Any] = []
            for value in record:
                plain = _plain(value)
                if isinstance(plain, str) and plain.startswith("="):
                    # Stored as text: a string starting with "=" would otherwise be written
                    # as a live formula (a title "=HYPERLINK(...)" would run when opened).
                    cell = WriteOnlyCell(sheet, value=plain)
                    cell.data_type = "s"
                    row.append(cell)
                else:
                    row.append(plain)
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    write_text_atomic(path, _normalise(buffer.getvalue()))


def _plain(value: Any) -> Any:
    """A cell's value as openpyxl writes it: blank for a missing number."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value
