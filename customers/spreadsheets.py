"""Writing cells that a spreadsheet shows and never runs: the one rule every CSV and XLSX we write follows.

Excel, WPS and LibreOffice treat a cell starting with `=`, `+`, `-` or `@` (and, through some import
paths, a tab or a carriage return) as a formula: a customer named `=HYPERLINK(…)` would become a
link in the manager's export, `+cmd|…` an attempt to run a program. As OWASP's CSV-injection advice
says, such text gets a leading apostrophe, which spreadsheets read as "this is text". Numbers
(int, Decimal, float) stay numbers, so a negative amount is still a number in a workbook; dates stay
dates. Customers' own data is never trusted, so every writer passes every cell through here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> Any:
    """`value`, made safe to write into a spreadsheet cell."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_row(values: Iterable[Any]) -> list[Any]:
    return [spreadsheet_cell(value) for value in values]


class SafeCsvWriter:
    """`csv.writer` whose every cell goes through `spreadsheet_cell`."""

    def __init__(self, handle, **options) -> None:
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(spreadsheet_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def xlsx_append(sheet, row: Iterable[Any]) -> None:
    """Append `row` to an openpyxl worksheet, every cell made safe."""
    sheet.append(spreadsheet_row(row))


def csv_bytes(header: Sequence[Any], rows: Iterable[Iterable[Any]]) -> bytes:
    """A whole CSV download: UTF-8 with a BOM (Excel then opens it in Chinese), every cell made safe."""
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\r\n")
    writer.writerow([str(h) for h in header])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(sheets: Iterable[tuple[str, Sequence[Any], Iterable[Iterable[Any]]]]) -> bytes:
    """A whole XLSX download of (title, header, rows) sheets, every cell made safe."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.worksheets[0])
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(str(title)[:31])
        xlsx_append(sheet, [str(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            xlsx_append(sheet, row)
        for position in range(1, len(header) + 1):
            sheet.column_dimensions[get_column_letter(position)].width = 16
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
