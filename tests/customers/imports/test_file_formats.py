"""Real-world files: every format quirk gets a file built here, imported end to end."""

import codecs
import datetime as dt
import io
import zipfile

import pytest

from customers.imports import problems as p
from customers.models import Customer, Visit
from customers.services.imports import import_from_path
from tests.factories import CustomerFactory

from .files import csv_bytes, write, xlsx_bytes

HEADER = ["门店编码", "手机号", "姓名", "性别", "生日"]
ROWS = [["MAIN", "138 1234 5678", "王丽", "女", "1985/3/5"], ["MAIN", "+86 139-0000-1111", "李娜", "F", "1990年1月2日"]]


def imported_customers():
    return sorted(Customer.objects.values_list("phone", "name", "gender", "birthday"))


EXPECTED = [
    ("13812345678", "王丽", "F", dt.date(1985, 3, 5)),
    ("13900001111", "李娜", "F", dt.date(1990, 1, 2)),
]


@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"],
    ids=["utf-8", "utf-8 with BOM", "GB18030", "GBK", "UTF-16 (Excel unicode text)"],
)
def test_csv_in_every_encoding_excel_writes_imports_the_same(store, tmp_path, encoding):
    delimiter = "\t" if encoding == "utf-16" else ","
    path = write(tmp_path, "顾客.csv", csv_bytes([HEADER, *ROWS], encoding=encoding, delimiter=delimiter))
    report = import_from_path(kind="customers", path=path)
    assert report.saved, report.errors or report.file_problem
    assert imported_customers() == EXPECTED


def test_a_gbk_file_is_really_gbk_not_utf8(tmp_path):
    content = csv_bytes([HEADER, *ROWS], encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    assert not content.startswith(codecs.BOM_UTF8)


def test_an_xlsx_with_real_date_cells_and_numeric_phones_imports(store, tmp_path):
    rows = [
        HEADER,
        ["MAIN", 13812345678, "王丽", "女", dt.datetime(1985, 3, 5)],
        ["MAIN", "+86 139-0000-1111", "李娜", "F", 32875],  # an Excel serial in a cell without a date format
    ]
    path = write(tmp_path, "顾客.xlsx", xlsx_bytes(rows, number_formats={4: "yyyy-mm-dd"}))
    report = import_from_path(kind="customers", path=path)
    assert report.saved, report.errors
    assert imported_customers() == EXPECTED


def test_excel_rows_are_numbered_as_excel_shows_them_blank_rows_included(store, tmp_path):
    rows = [HEADER, ROWS[0], [], [], ["MAIN", "12345", "坏号码", "女", ""]]
    report = import_from_path(kind="customers", path=write(tmp_path, "c.xlsx", xlsx_bytes(rows)))
    assert [(e.row, e.column, e.letter, e.value) for e in report.errors] == [(5, "手机号", "B", "12345")]


def test_a_quoted_cell_with_line_breaks_is_one_row_as_in_excel(store, tmp_path):
    rows = [[*HEADER, "备注"], [*ROWS[0], "喜欢安静\n不要推销"], ["MAIN", "1", "李娜", "", "", ""]]
    report = import_from_path(kind="customers", path=write(tmp_path, "c.csv", csv_bytes(rows)))
    assert [e.row for e in report.errors] == [3]


def test_the_file_is_judged_by_its_content_not_its_name(store, tmp_path):
    report = import_from_path(kind="customers", path=write(tmp_path, "顾客.csv", xlsx_bytes([HEADER, *ROWS])))
    assert report.saved
    assert len(imported_customers()) == 2


@pytest.mark.parametrize(
    ("content", "msgid"),
    [
        (b"", p.FILE_EMPTY),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), p.FILE_OLD_EXCEL),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", p.FILE_NOT_TEXT),
        (b"PK\x03\x04 not really a zip", p.FILE_BROKEN_EXCEL),
    ],
    ids=["empty", "old .xls", "a picture", "damaged zip"],
)
def test_a_file_that_is_not_a_table_is_refused_with_its_reason(store, tmp_path, content, msgid):
    report = import_from_path(kind="customers", path=write(tmp_path, "顾客.xlsx", content))
    assert report.file_problem.msgid == msgid
    assert not report.saved


def test_a_word_document_is_not_taken_for_a_workbook(store, tmp_path):
    document = io.BytesIO()
    with zipfile.ZipFile(document, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    report = import_from_path(kind="customers", path=write(tmp_path, "顾客.xlsx", document.getvalue()))
    assert report.file_problem.msgid == p.FILE_ZIP_NOT_EXCEL


def test_english_headers_in_any_order_with_stray_spaces_and_unknown_columns(store, tmp_path):
    rows = [[" Name ", "wechat", "PHONE*", "store"], ["王丽", "wl123", "13812345678", "MAIN"]]
    report = import_from_path(kind="customers", path=write(tmp_path, "c.csv", csv_bytes(rows)))
    assert report.saved
    assert list(Customer.objects.values_list("name", "phone")) == [("王丽", "13812345678")]


def test_two_columns_meaning_the_same_thing_are_refused(store, tmp_path):
    rows = [["门店编码", "手机号", "phone", "姓名"], ["MAIN", "13812345678", "13812345678", "王丽"]]
    report = import_from_path(kind="customers", path=write(tmp_path, "c.csv", csv_bytes(rows)))
    assert report.file_problem.msgid == p.FILE_DUPLICATE_COLUMN


def test_visit_dates_in_every_written_form_import(store, tmp_path):
    customer = CustomerFactory(store=store, phone="13812345678", joined_on=dt.date(2020, 1, 1))
    dates = ["2026-03-05", "2026/3/6", "2026年3月7日", "20260308", "46090"]  # 46090: Excel's number for 9 March
    rows = [["门店编码", "手机号", "到店日期"], *(["MAIN", customer.phone, d] for d in dates)]
    report = import_from_path(kind="visits", path=write(tmp_path, "v.csv", csv_bytes(rows)))
    assert report.saved, report.errors
    days = sorted(Visit.objects.values_list("visited_on", flat=True))
    assert days == [dt.date(2026, 3, day) for day in (5, 6, 7, 8, 9)]


def test_a_filled_in_template_imports(store, tmp_path):
    """The blank workbook from /imports/, filled in as a manager would (the explanation sheet left as it is)."""
    import openpyxl

    from customers.imports.template_files import template_xlsx

    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx("customers")))
    sheet = workbook.worksheets[0]
    sheet.append(["MAIN", "138 1234 5678", "王丽", "女", dt.datetime(1985, 3, 5), "2020-01-01", "金卡会员", "否", ""])
    filled = io.BytesIO()
    workbook.save(filled)
    report = import_from_path(kind="customers", path=write(tmp_path, "顾客导入模板.xlsx", filled.getvalue()))
    assert report.saved, report.errors or report.file_problem
    assert imported_customers() == [("13812345678", "王丽", "F", dt.date(1985, 3, 5))]


def test_a_long_csv_read_in_blocks_keeps_excel_row_numbers_across_quoted_line_breaks(store, tmp_path, monkeypatch):
    """A large file is read a few megabytes at a time, cut only outside quotes: a note with line
    breaks near a cut stays one row, and every later row keeps its number."""
    from customers.imports import columnar

    monkeypatch.setattr(columnar, "CSV_BLOCK", 64)
    monkeypatch.setattr(columnar, "_python_rows", None)  # the block reader, not the fallback, reads it
    rows = [[*HEADER, "备注"]]
    rows += [["MAIN", f"1381234{i:04d}", f"顾客{i}", "女", "", '第一行\n第二行, 还有"引号"'] for i in range(40)]
    rows.append(["MAIN", "12345", "坏号码", "女", "", ""])
    report = import_from_path(kind="customers", path=write(tmp_path, "c.csv", csv_bytes(rows)))
    assert [(e.row, e.value) for e in report.errors] == [(42, "12345")]
    report = import_from_path(kind="customers", path=write(tmp_path, "c.csv", csv_bytes(rows[:-1])))
    assert report.saved and Customer.objects.count() == 40
    assert set(Customer.objects.values_list("notes", flat=True)) == {'第一行\n第二行, 还有"引号"'}
