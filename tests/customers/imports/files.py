"""Import files built by the tests themselves: CSV in any encoding, real Excel workbooks."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import openpyxl

from customers.imports.report import ImportReport
from customers.services.imports import import_from_path


def csv_bytes(rows: Sequence[Sequence[object]], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[object]], *, number_formats: dict[int, str] | None = None) -> bytes:
    """A workbook whose first sheet holds `rows`; `number_formats` maps a column index to an Excel format."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for index, number_format in (number_formats or {}).items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
            cell.number_format = number_format
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def import_rows(folder: Path, kind: str, rows: Sequence[Sequence[object]], **options) -> ImportReport:
    """Import `rows` (header first) as a UTF-8 CSV through the service the command line uses."""
    return import_from_path(kind=kind, path=write(folder, f"{kind}.csv", csv_bytes(rows)), **options)


def problems(report: ImportReport) -> list[tuple[int, str, str]]:
    """(row, column, msgid) of every bad row: what a test asserts on, whatever the language."""
    return [(error.row, error.column, error.msgid) for error in report.errors]
