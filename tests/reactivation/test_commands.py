"""`segment_customers` and `export_call_lists` as DESIGN §5.1 and §5.3 describe them."""

import csv
import datetime as dt
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import CommandError, call_command

from customers.models import AuditEvent
from customers.services.cards import card_open
from reactivation.models import SegmentRun
from tests.factories import AppointmentFactory, CustomerFactory, StaffFactory

TODAY = dt.date(2026, 11, 23)
COLUMNS = "store,phone,name,bucket,months,last_visit_on,assignee,assignee_role,card_balance,sessions_left"


def away(store, months, **fields):
    return CustomerFactory(store=store, last_visit_on=TODAY - relativedelta(months=months, days=3), **fields)


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def read(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_segment_customers_classifies_every_store_for_the_given_date(store, other_store, beautician_a):
    away(store, 1)
    away(other_store, 5)
    output = run("segment_customers", "--date", "2026-11-23")
    assert "MAIN 2026-11-23" in output and "OTHER 2026-11-23" in output
    assert SegmentRun.objects.filter(run_date=TODAY, status="done").count() == 2
    assert "MAIN 2026-11-23" in run("segment_customers", "--date", "2026-11-23", "--store", "MAIN")


def test_an_unknown_store_code_is_an_error(db):
    with pytest.raises(CommandError, match="NOPE"):
        run("segment_customers", "--store", "NOPE")


def test_the_export_lists_every_contactable_customer_with_an_assignee(tmp_path, store, beautician_a, front_desk):
    one = away(store, 1, phone="13812345678", name="王丽")
    card_open(customer=one, name="金卡", balance=Decimal("1234.5"))
    card_open(customer=one, name="次卡", kind="sessions", sessions=4)
    lost = away(store, 7)
    away(store, 0)  # active: nobody calls her
    away(store, 2, do_not_contact=True)
    booked = away(store, 1)
    AppointmentFactory(customer=booked, starts_at=dt.datetime(2099, 1, 1, 10, tzinfo=dt.UTC))
    run("segment_customers", "--date", "2026-11-23")
    out = tmp_path / "calls.csv"
    run("export_call_lists", "--out", str(out))
    assert out.read_text(encoding="utf-8").splitlines()[0] == COLUMNS
    rows = {row["phone"]: row for row in read(out)}
    assert set(rows) == {"13812345678", lost.phone}
    assert rows["13812345678"] == {
        "store": "MAIN", "phone": "13812345678", "name": "王丽", "bucket": "m1", "months": "1",
        "last_visit_on": one.last_visit_on.isoformat(), "assignee": "beautician_a", "assignee_role": "beautician",
        "card_balance": "1234.50", "sessions_left": "4",
    }  # fmt: skip
    assert rows[lost.phone]["assignee"] == "front_desk" and rows[lost.phone]["card_balance"] == "0.00"


def test_every_export_is_audited_per_store(tmp_path, store, other_store, beautician_a):
    StaffFactory(store=other_store)
    away(store, 1)
    away(other_store, 1)
    away(other_store, 2)
    run("segment_customers", "--date", "2026-11-23")
    run("export_call_lists", "--out", str(tmp_path / "all.csv"))
    audited = dict(AuditEvent.objects.filter(action="export").values_list("store__code", "detail__rows"))
    assert audited == {"MAIN": 1, "OTHER": 2}
    run("export_call_lists", "--out", str(tmp_path / "main.csv"), "--store", "MAIN")
    assert len(read(tmp_path / "main.csv")) == 1
    assert AuditEvent.objects.filter(action="export").count() == 3
