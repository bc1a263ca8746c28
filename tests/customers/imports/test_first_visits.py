"""Visits imported: for a customer who had none before, her last visit, who served her last and her spend are
taken from the file's rows instead of being read back from the table, and must be exactly what reading them back
gives; customers who had visits before (read back) come out the same way."""

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from customers.models import Customer
from customers.services import last_visits
from customers.services.imports import import_from_path
from customers.services.last_visits import customers_refresh_last_visits
from tests.factories import CustomerFactory, StaffFactory, StoreFactory, VisitFactory

from .files import csv_bytes

HEADER = ["门店编码", "手机号", "到店日期", "美容师", "项目", "消费金额"]
PHONES = [f"1380000000{n}" for n in range(4)]
FIRST_DAY = dt.date(2024, 1, 1)

visit_row = st.builds(
    lambda phone, day, beautician, service, amount: [
        "MAIN",
        phone,
        (FIRST_DAY + dt.timedelta(days=day)).isoformat(),
        beautician,
        service,
        f"{amount}.50",
    ],
    st.sampled_from(PHONES),
    st.integers(0, 800),  # more than a year: some visits fall outside the twelve months up to the last one
    st.sampled_from(["", "amy", "bea"]),
    st.sampled_from(["", "面部护理", "肩颈按摩"]),
    st.integers(0, 3000),
)
# Visits saved before the file, per customer: (days after 2023-01-01, served by amy or nobody).
earlier_visits = st.lists(st.lists(st.tuples(st.integers(0, 900), st.booleans()), max_size=3), min_size=4, max_size=4)


def remembered(customers):
    return [(c.last_visit_on, c.last_beautician_id, c.spend_12m) for c in customers]


class TestNewVisitsFromTheFile(TestCase):
    def setUp(self):
        self.addCleanup(setattr, last_visits, "FIRST_VISITS_CHUNK", last_visits.FIRST_VISITS_CHUNK)
        last_visits.FIRST_VISITS_CHUNK = 2  # several statements per file: none loses a customer

    @settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(rows=st.lists(visit_row, min_size=1, max_size=25), earlier=earlier_visits)
    def test_the_import_remembers_what_her_visits_say(self, rows, earlier):
        store = StoreFactory(code="MAIN")
        amy = StaffFactory(username="amy", store=store)
        StaffFactory(username="bea", store=store)
        customers = [CustomerFactory(store=store, phone=phone, joined_on=dt.date(2020, 1, 1)) for phone in PHONES]
        for customer, visits in zip(customers, earlier, strict=True):
            for day, served in {day: served for day, served in visits}.items():
                on = dt.date(2023, 1, 1) + dt.timedelta(days=day)
                VisitFactory(customer=customer, visited_on=on, beautician=amy if served else None, service=None)
        customers_refresh_last_visits(customer_ids=[c.pk for c in customers])
        keys = {(row[1], row[2], row[4]): row for row in rows}  # one row per key
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "visits.csv"
            path.write_bytes(csv_bytes([HEADER, *keys.values()]))
            report = import_from_path(kind="visits", path=path)
        assert report.saved, report.errors
        imported = remembered(Customer.objects.order_by("pk"))
        customers_refresh_last_visits(customer_ids=[c.pk for c in customers])
        assert imported == remembered(Customer.objects.order_by("pk"))
        assert any(last_visit for last_visit, _by, _spend in imported)
