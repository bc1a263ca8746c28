"""Celery's real path: a worker process consuming from Redis segments a store."""

import datetime as dt
import time

import pytest
from celery import Celery
from dateutil.relativedelta import relativedelta

from reactivation.models import SegmentRun
from tests.conftest import BROKER
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_a_worker_consuming_from_redis_segments_a_store(worker, store, beautician_a):
    today = dt.date(2026, 11, 23)
    customer = CustomerFactory(store=store, last_visit_on=today - relativedelta(months=1, days=2))
    sender = Celery(broker=BROKER, set_as_current=False)  # the app under test stays the current one
    sender.send_task("reactivation.tasks.segment_store_task", args=[store.pk, today.isoformat()], queue=worker)

    deadline = time.monotonic() + 60
    while not SegmentRun.objects.filter(store=store, run_date=today, status="done").exists():
        assert time.monotonic() < deadline, "the worker did not segment the store within 60 s"
        time.sleep(0.3)
    customer.refresh_from_db()
    assert (customer.bucket, customer.assignee) == ("m1", beautician_a)
