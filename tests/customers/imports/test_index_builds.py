"""A first visits import builds the visits table's large indexes once, after its rows; a later one,
or one into a table someone else is using, writes them row by row (PostgreSQL)."""

import threading
from contextlib import contextmanager

import pytest
from django.db import connection, connections

from customers.imports import indexes
from customers.imports.kinds import visits as visits_kind
from customers.models import Visit
from tests.factories import CustomerFactory, VisitFactory

from .files import import_rows, problems

HEADER = ["门店编码", "手机号", "到店日期", "美容师", "项目", "消费金额"]
pytestmark = pytest.mark.postgres


def _index_definitions() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s ORDER BY indexname", [Visit._meta.db_table]
        )
        return [definition for (definition,) in cursor.fetchall()]


def _rows(phones: list[str]) -> list[list[str]]:
    return [
        HEADER,
        *(["MAIN", phone, f"2026-02-{day:02d}", "", "面部护理", "100"] for phone in phones for day in (1, 2)),
    ]


def _spy(monkeypatch) -> list[bool]:
    built = []
    real = indexes.indexes_built_after

    def spied(*args, **kwargs):
        with real(*args, **kwargs) as after:
            built.append(after)
            yield after

    monkeypatch.setattr(visits_kind, "indexes_built_after", contextmanager(spied))
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
