"""Spreadsheets a manager downloads (reward sheets, call lists): text cells that a spreadsheet
program would run as a formula are neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# A text cell starting with one of these is a formula to Excel, LibreOffice or WPS (CSV/XLSX injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Numbers, dates and Decimals stay as they are; text that could run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_bytes(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """A workbook of (title, header, rows) sheets; every text cell passes through `safe_cell`."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.worksheets[0])
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(str(title)[:31])
        sheet.append([safe_cell(str(h)) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
        for position in range(1, len(header) + 1):
            sheet.column_dimensions[get_column_letter(position)].width = 16
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a BOM (Excel opens it in Chinese), every text cell through `safe_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(str(h)) for h in header])
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")
