"""Properties over arbitrary files: a file with any bad row never saves anything, and a clean
file is saved whole and can be imported again without changing anything."""

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from customers.imports import runner
from customers.models import Customer, ImportBatch, Visit
from customers.services.imports import import_from_path
from tests.factories import CustomerFactory, StoreFactory

from .files import csv_bytes

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
good_customer = st.builds(
    lambda n, name, gender: ["MAIN", f"138{n:08d}", name or "顾客", gender, "2020/1/1"],
    st.integers(0, 40),
    st.text(alphabet="王李张丽娜敏 ", max_size=6).map(str.strip),
    st.sampled_from(["", "女", "男", "F", "M"]),
)
good_visit = st.builds(
    lambda day, service, amount: ["MAIN", "13800000001", f"2025-01-{day:02d}", service, f"¥{amount:,}"],
    st.integers(1, 28),
    st.sampled_from(["", "面部护理", "肩颈按摩"]),
    st.integers(0, 5000),
)
arbitrary_row = st.lists(text, min_size=0, max_size=7)


def import_file(kind: str, rows: list[list[str]], encoding: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{kind}.csv"
        path.write_bytes(csv_bytes(rows, encoding=encoding))
        return import_from_path(kind=kind, path=path)


def outcome(report) -> str:
    if report.file_problem:
        return f"file refused: {report.file_problem.msgid[:30]}"
    return "saved" if report.saved else "bad rows"


class TestAnyBadRowSavesNothing(TestCase):
    def setUp(self):
        self.addCleanup(setattr, runner, "BATCH_ROWS", runner.BATCH_ROWS)
        runner.BATCH_ROWS = 4  # several batches per file: good rows are written before a later row fails

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        rows=st.lists(st.one_of(good_customer, good_customer, arbitrary_row), max_size=14),
        encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
    )
    def test_customers(self, rows, encoding):
        StoreFactory(code="MAIN")
        report = import_file("customers", [["门店编码", "手机号", "姓名", "性别", "建档日期"], *rows], encoding)
        event(outcome(report))
        if report.ok:
            assert report.saved
            assert Customer.objects.count() == report.added
            again = import_file("customers", [["门店编码", "手机号", "姓名", "性别", "建档日期"], *rows], encoding)
            assert (again.added, again.updated) == (0, 0)
        else:
            assert not report.saved
            assert report.errors or report.file_problem
            assert Customer.objects.count() == 0
            assert ImportBatch.objects.get().status == "rejected"

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(rows=st.lists(st.one_of(good_visit, good_visit, arbitrary_row), max_size=14))
    def test_visits(self, rows):
        customer = CustomerFactory(store=StoreFactory(code="MAIN"), phone="13800000001", joined_on=dt.date(2020, 1, 1))
        report = import_file("visits", [["门店编码", "手机号", "到店日期", "项目", "消费金额"], *rows], "utf-8")
        event(outcome(report))
        customer.refresh_from_db()
        if report.ok:
            assert Visit.objects.count() == report.added
            assert customer.last_visit_on == max(Visit.objects.values_list("visited_on", flat=True), default=None)
        else:
            assert Visit.objects.count() == 0
            assert customer.last_visit_on is None
