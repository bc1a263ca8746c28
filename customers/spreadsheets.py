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
from collections.abc import Iterable
from typing import Any

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
