"""A first visits or customers import builds the table's large indexes once, after its rows; a later
one, or one into a table someone else is using, writes them row by row (PostgreSQL)."""

import threading
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, connection, connections, transaction

from customers.imports import indexes
from customers.imports.kinds import customers as customers_kind
from customers.imports.kinds import visits as visits_kind
from customers.models import Customer, Visit
from tests.factories import CustomerFactory, VisitFactory

from .files import import_rows, problems

HEADER = ["门店编码", "手机号", "到店日期", "美容师", "项目", "消费金额"]
CUSTOMERS_HEADER = ["门店编码", "手机号", "姓名"]
pytestmark = pytest.mark.postgres


def _index_definitions(model=Visit) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s ORDER BY indexname", [model._meta.db_table]
        )
        return [definition for (definition,) in cursor.fetchall()]


def _rows(phones: list[str]) -> list[list[str]]:
    return [
        HEADER,
        *(["MAIN", phone, f"2026-02-{day:02d}", "", "面部护理", "100"] for phone in phones for day in (1, 2)),
    ]


def _spy(monkeypatch, kind=visits_kind, model=None) -> list[bool]:
    """Whether each block of `kind` that writes `model` (the kind's own: Visit, Customer) built its indexes after."""
    model = model or {visits_kind: Visit, customers_kind: Customer}[kind]
    built = []
    real = indexes.indexes_built_after

    def spied(written, *args, **kwargs):
        with real(written, *args, **kwargs) as after:
            if written is model:
                built.append(after)
            yield after

    monkeypatch.setattr(kind, "indexes_built_after", contextmanager(spied))
    return built


def test_a_first_import_builds_the_indexes_after_its_rows_and_they_are_as_before(store, tmp_path, monkeypatch):
    before = _index_definitions()
    built = _spy(monkeypatch)
    phones = [f"1381234{i:04d}" for i in range(5)]
    for phone in phones:
        CustomerFactory(store=store, phone=phone)
    report = import_rows(tmp_path, "visits", _rows(phones))
    assert report.saved and report.added == 10
    assert built == [True]
    assert _index_definitions() == before
    again = import_rows(tmp_path, "visits", _rows(phones))
    assert (again.added, again.unchanged) == (0, 10)


def test_a_table_holding_more_visits_than_the_file_keeps_its_indexes_as_it_writes(store, tmp_path, monkeypatch):
    built = _spy(monkeypatch)
    customer = CustomerFactory(store=store, phone="13812340000")
    for day in range(1, 4):
        VisitFactory(customer=customer, visited_on=f"2025-01-{day:02d}")
    assert import_rows(tmp_path, "visits", _rows(["13812340000"])).saved
    assert built == [False]


@pytest.mark.django_db(transaction=True)
def test_a_table_someone_is_reading_keeps_its_indexes_and_nobody_waits_long(store, tmp_path, monkeypatch):
    monkeypatch.setattr(indexes, "LOCK_WAIT", "100ms")
    built = _spy(monkeypatch)
    CustomerFactory(store=store, phone="13812340000")
    reading, done = threading.Event(), threading.Event()

    def reader():
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute(f"SELECT count(*) FROM {Visit._meta.db_table}")
                reading.set()
                done.wait(10)
                cursor.execute("ROLLBACK")
        finally:
            other.close()

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        reading.wait(10)
        report = import_rows(tmp_path, "visits", _rows(["13812340000"]))
    finally:
        done.set()
        thread.join()
    assert problems(report) == [] and report.saved
    assert built == [False]
    assert Visit.objects.count() == 2


def _customers(phones: list[str]) -> list[list[str]]:
    return [CUSTOMERS_HEADER, *(["MAIN", phone, f"顾客{phone[-4:]}"] for phone in phones)]


def test_a_first_customers_import_builds_the_indexes_after_its_rows_and_they_still_hold(store, tmp_path, monkeypatch):
    before = _index_definitions(Customer)
    built = _spy(monkeypatch, customers_kind)
    phones = [f"1381234{i:04d}" for i in range(5)]
    report = import_rows(tmp_path, "customers", _customers(phones))
    assert problems(report) == [] and report.added == 5
    assert built == [True]
    assert _index_definitions(Customer) == before
    with pytest.raises(IntegrityError), transaction.atomic():  # one customer per store and phone, as before
        Customer.objects.create(store=store, phone=phones[0], name="重复", joined_on="2026-01-01")
    again = import_rows(tmp_path, "customers", _customers(phones))
    assert (again.added, again.unchanged) == (0, 5)


def test_a_table_holding_more_customers_than_the_file_keeps_its_indexes_as_it_writes(store, tmp_path, monkeypatch):
    built = _spy(monkeypatch, customers_kind)
    for i in range(3):
        CustomerFactory(store=store, phone=f"1391234{i:04d}")
    assert import_rows(tmp_path, "customers", _customers(["13812340000"])).saved
    assert built == [False]


def _visits(phones: list[str], day: str) -> list[list[str]]:
    return [HEADER, *(["MAIN", phone, day, "", "面部护理", "100"] for phone in phones)]


def test_a_file_bringing_most_customers_a_new_last_visit_builds_their_indexes_after(
    store, beautician_a, tmp_path, monkeypatch
):
    before = _index_definitions(Customer)
    phones = [f"1381234{i:04d}" for i in range(5)]
    for phone in phones:
        CustomerFactory(store=store, phone=phone, assignee=beautician_a, bucket="m1", months_away=1)
    assert import_rows(tmp_path, "visits", _visits(phones, "2026-01-05")).saved
    built = _spy(monkeypatch, visits_kind, Customer)
    report = import_rows(tmp_path, "visits", _visits(phones[:3], "2026-02-05"))  # more than half of them
    assert problems(report) == [] and report.added == 3
    assert built == [True]
    assert _index_definitions(Customer) == before
    last = dict(Customer.objects.values_list("phone", "last_visit_on"))
    assert [str(last[phone]) for phone in phones] == ["2026-02-05"] * 3 + ["2026-01-05"] * 2
    with pytest.raises(IntegrityError), transaction.atomic():  # one customer per store and phone, as before
        Customer.objects.create(store=store, phone=phones[0], name="重复", joined_on="2026-01-01")


def test_a_file_bringing_fewer_customers_a_new_last_visit_writes_their_indexes_as_it_goes(store, tmp_path, monkeypatch):
    phones = [f"1381234{i:04d}" for i in range(5)]
    for phone in phones:
        CustomerFactory(store=store, phone=phone)
    built = _spy(monkeypatch, visits_kind, Customer)
    assert import_rows(tmp_path, "visits", _visits(phones[:2], "2026-02-05")).saved  # fewer than half
    assert built == [False]
    assert Customer.objects.filter(last_visit_on="2026-02-05").count() == 2
