"""Excel export: one sheet per view, units in the headers, written atomically."""

from __future__ import annotations

import io
import math
import os
import re
import zipfile
from collections.abc import Iterator
from html import escape
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import WellbeingBudgetError
from ..io.files import write_text_atomic

if TYPE_CHECKING:
    from ..analysis.results import Scorecard

__all__ = ["EXCEL_MAX_ROWS", "excel_sheets", "write_excel", "write_sheets"]

EXCEL_MAX_ROWS = 1_048_576
"""Rows in one Excel sheet, the header included (Excel's own limit)."""


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
    """Write the scorecard's views to an Excel workbook (Office Open XML), atomically.

    The sheets are written straight as SpreadsheetML, a column at a time: no spreadsheet
    library is needed, and a text cell is always an inline string (never a formula, whatever
    it starts with). The same scorecard gives the same bytes.
    """
    write_sheets(excel_sheets(card), path)


def write_sheets(sheets: dict[str, pd.DataFrame], path: str | os.PathLike[str]) -> None:
    """Write tables to an Excel workbook, a sheet each (named by the keys), atomically; the
    same tables give the same bytes. Refused when a sheet would exceed Excel's row limit."""
    for name, frame in sheets.items():
        if len(frame) + 1 > EXCEL_MAX_ROWS:
            raise WellbeingBudgetError(
                f"sheet {name!r} would have {len(frame) + 1:,} rows; Excel holds at most "
                f"{EXCEL_MAX_ROWS:,}. Write the tables as CSV instead (Scorecard.to_csv, or "
                "impacts_frame().to_csv) or score fewer proposals per workbook"
            )
    buffer = io.BytesIO()
    # Level 1: the sheets are repetitive XML, so the fastest deflate is nearly as small.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:

        def put(name: str, text: str) -> None:
            book.writestr(_entry(name), text.encode("utf-8"))

        names = list(sheets)
        put("[Content_Types].xml", _content_types(len(names)))
        put("_rels/.rels", _ROOT_RELS)
        put("xl/workbook.xml", _workbook(names))
        put("xl/_rels/workbook.xml.rels", _workbook_rels(len(names)))
        put("xl/styles.xml", _STYLES)
        for n, frame in enumerate(sheets.values(), start=1):
            cells = len(frame) * max(1, len(frame.columns))
            with book.open(
                _entry(f"xl/worksheets/sheet{n}.xml"), "w", force_zip64=cells > 2**24
            ) as out:
                for part in _sheet_xml(frame):
                    out.write(part.encode("utf-8"))
    write_text_atomic(path, buffer.getvalue())


#: A fixed time for the entries of the workbook's zip file, so the same scorecard gives the
#: same bytes.
_EPOCH = (2000, 1, 1, 0, 0, 0)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_ML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ROOT_RELS = (
    f'{_HEAD}<Relationships xmlns="{_PACKAGE_REL}"><Relationship Id="rId1" '
    f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}"><fonts count="1"><font><sz val="11"/>'
    '<name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill '
    'patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
    'xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
    'builtinId="0"/></cellStyles></styleSheet>'
)
#: Characters XML 1.0 cannot hold, and text that reads as Excel's own escape (``_x0041_``
#: is "A" to Excel): both are written as ``_xHHHH_``.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_ROWS_PER_PART = 4096
_KEEP = 'xml:space="preserve"'


def _entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=_EPOCH)
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


def _content_types(sheets: int) -> str:
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_ML}.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_ML}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_ML}.styles+xml"/>'
        f"{overrides}</Types>"
    )


def _workbook(names: list[str]) -> str:
    sheets = "".join(
        f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>'
        for n, name in enumerate(names, start=1)
    )
    return f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{sheets}</sheets></workbook>'


def _workbook_rels(sheets: int) -> str:
    links = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    styles = f'<Relationship Id="rId{sheets + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
    return f'{_HEAD}<Relationships xmlns="{_PACKAGE_REL}">{links}{styles}</Relationships>'


def _column_letter(k: int) -> str:
    letters = ""
    k += 1
    while k:
        k, rest = divmod(k - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    if _UNSAFE.search(value):
        value = _UNSAFE.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
    return escape(value, quote=False)


def _cells(values: list[Any], letter: str, first_row: int) -> list[str]:
    """One column's cells as SpreadsheetML: numbers as numbers, anything else as an inline
    string, a blank (None or NaN) as no cell at all."""
    out = []
    for row, value in enumerate(values, start=first_row):
        if value is None or isinstance(value, bool):
            cell = "" if value is None else f'<c r="{letter}{row}" t="b"><v>{int(value)}</v></c>'
        elif isinstance(value, int | float):
            if math.isfinite(value):
                cell = f'<c r="{letter}{row}"><v>{value!r}</v></c>'
            elif math.isnan(value):
                cell = ""
            else:  # Excel has no infinity: say it in words rather than drop it
                cell = f'<c r="{letter}{row}" t="inlineStr"><is><t>{value!r}</t></is></c>'
        else:
            text = _text(str(value))
            cell = f'<c r="{letter}{row}" t="inlineStr"><is><t {_KEEP}>{text}</t></is></c>'
        out.append(cell)
    return out


def _sheet_xml(frame: pd.DataFrame) -> Iterator[str]:
    """A worksheet, in parts of a few thousand rows: header frozen, columns sized to fit."""
    header = [str(c) for c in frame.columns]
    columns = [frame[c].tolist() for c in frame.columns]
    letters = [_column_letter(k) for k in range(len(header))]
    sizes = [
        min(60, 2 + max([len(title), *(len("" if _blank(v) else str(v)) for v in values[:199])]))
        for title, values in zip(header, columns, strict=True)
    ]
    widths = "".join(
        f'<col min="{k}" max="{k}" width="{size}" customWidth="1"/>'
        for k, size in enumerate(sizes, start=1)
    )
    yield (
        f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetViews><sheetView '
        'workbookViewId="0"><pane xSplit="1" ySplit="1" topLeftCell="B2" activePane='
        '"bottomRight" state="frozen"/></sheetView></sheetViews>'
        + (f"<cols>{widths}</cols>" if widths else "")
        + '<sheetData><row r="1">'
        + "".join(_cells(header[k : k + 1], letter, 1)[0] for k, letter in enumerate(letters))
        + "</row>"
    )
    for start in range(0, len(frame), _ROWS_PER_PART):
        stop = min(start + _ROWS_PER_PART, len(frame))
        parts = [
            _cells(values[start:stop], letter, start + 2)
            for values, letter in zip(columns, letters, strict=True)
        ]
        yield "".join(
            f'<row r="{row}">{"".join(cells)}</row>'
            for row, cells in enumerate(zip(*parts, strict=True), start=start + 2)
        )
    yield "</sheetData></worksheet>"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
