"""`manage.py import_data KIND FILE [--dry-run]` (DESIGN §5.1): exit statuses and the report."""

import datetime as dt
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from customers.models import Customer

from .files import csv_bytes, write

ROOT = Path(__file__).resolve().parents[3]
GOOD = [["门店编码", "手机号", "姓名"], ["MAIN", "13812345678", "王丽"]]
BAD = [*GOOD, ["MAIN", "12345", "李娜"]]


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_data", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_clean_file_exits_zero_and_says_what_it_did(store, tmp_path):
    out, _err = run("customers", write(tmp_path, "c.csv", csv_bytes(GOOD)))
    assert "1" in out and Customer.objects.count() == 1


def test_a_file_with_a_bad_row_exits_one_lists_it_in_chinese_and_saves_nothing(store, tmp_path):
    err = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_data", "customers", str(write(tmp_path, "c.csv", csv_bytes(BAD))), stderr=err)
    assert failed.value.returncode == 1
    report = err.getvalue()
    assert "3" in report and "手机号" in report and "12345" in report and "不是有效的大陆手机号" in report
    assert Customer.objects.count() == 0


def test_the_report_speaks_english_on_request(store, tmp_path):
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_data", "customers", str(write(tmp_path, "c.csv", csv_bytes(BAD))), "--language", "en", stderr=err
        )
    assert "is not a valid mainland mobile number" in err.getvalue()


def test_a_file_that_cannot_be_read_exits_two(store, tmp_path):
    with pytest.raises(CommandError) as failed:
        run("customers", write(tmp_path, "c.csv", b"\x00\x01\x02 binary"))
    assert failed.value.returncode == 2


def test_missing_columns_exit_two(store, tmp_path):
    with pytest.raises(CommandError) as failed:
        run("visits", write(tmp_path, "v.csv", csv_bytes(GOOD)))
    assert failed.value.returncode == 2
    assert "到店日期" in str(failed.value)


def test_a_missing_file_exits_two(db, tmp_path):
    with pytest.raises(CommandError) as failed:
        run("customers", tmp_path / "nowhere.csv")
    assert failed.value.returncode == 2


def test_dry_run_checks_and_counts_but_saves_nothing(store, tmp_path):
    out, _err = run("customers", write(tmp_path, "c.csv", csv_bytes(GOOD)), "--dry-run")
    assert Customer.objects.count() == 0
    assert "1" in out


def test_dry_run_of_a_bad_file_still_exits_one(store, tmp_path):
    with pytest.raises(CommandError) as failed:
        run("customers", write(tmp_path, "c.csv", csv_bytes(BAD)), "--dry-run")
    assert failed.value.returncode == 1


@pytest.mark.django_db(transaction=True)
def test_the_real_command_line_exit_statuses(tmp_path):
    """As an outside check runs it: a separate process, its exit status, and its output."""
    database = tmp_path / "db.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{database}", "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": ""}
    env.pop("DJANGO_SETTINGS_MODULE")

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *map(str, args)], cwd=ROOT, env=env, capture_output=True, text=True
        )

    assert manage("migrate", "-v0").returncode == 0
    stores = write(tmp_path, "stores.csv", csv_bytes([["code", "name"], ["MAIN", "丽颜"]]))
    assert manage("import_data", "stores", stores).returncode == 0
    bad = manage("import_data", "customers", write(tmp_path, "bad.csv", csv_bytes(BAD)))
    assert bad.returncode == 1 and "12345" in bad.stderr
    assert manage("import_data", "customers", write(tmp_path, "x.csv", b"\x00garbage")).returncode == 2
    assert manage("import_data", "nonsense", stores).returncode == 2
    assert manage("import_data", "customers", write(tmp_path, "good.csv", csv_bytes(GOOD))).returncode == 0


VISITS = [["门店编码", "手机号", "到店日期"], ["NEW", "13812345678", "2026-03-05"]]


def test_a_chains_files_import_one_after_the_other_in_one_run(db, tmp_path):
    stores = write(tmp_path, "s.csv", csv_bytes([["code", "name"], ["NEW", "新店"]]))
    customers = write(tmp_path, "c.csv", csv_bytes([["门店编码", "手机号", "姓名"], ["NEW", "13812345678", "王丽"]]))
    visits = write(tmp_path, "v.csv", csv_bytes(VISITS))
    out, _err = run("stores", stores, "customers", customers, "visits", visits)
    customer = Customer.objects.get()
    assert (customer.store.code, customer.last_visit_on) == ("NEW", dt.date(2026, 3, 5))
    assert out.count("==>") == 3


def test_a_run_stops_at_the_first_file_with_a_bad_row_and_keeps_the_files_before_it(store, tmp_path):
    good, bad = write(tmp_path, "good.csv", csv_bytes(GOOD)), write(tmp_path, "bad.csv", csv_bytes(BAD))
    later = write(tmp_path, "later.csv", csv_bytes([["门店编码", "手机号", "姓名"], ["MAIN", "13912345678", "李娜"]]))
    err = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_data", "customers", str(good), str(bad), str(later), stdout=StringIO(), stderr=err)
    assert failed.value.returncode == 1
    assert list(Customer.objects.values_list("phone", flat=True)) == ["13812345678"]  # good.csv only
    assert "later.csv" in err.getvalue()


def test_a_missing_file_anywhere_in_the_run_imports_nothing(store, tmp_path):
    with pytest.raises(CommandError) as failed:
        run("customers", write(tmp_path, "c.csv", csv_bytes(GOOD)), "visits", tmp_path / "nowhere.csv")
    assert failed.value.returncode == 2
    assert Customer.objects.count() == 0


def test_a_kind_without_a_file_is_refused(store, tmp_path):
    with pytest.raises(CommandError) as failed:
        run("customers", write(tmp_path, "c.csv", csv_bytes(GOOD)), "visits")
    assert failed.value.returncode == 2
    assert Customer.objects.count() == 0
