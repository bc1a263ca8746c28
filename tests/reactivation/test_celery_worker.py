"""Celery's real path: a worker process consuming from Redis segments a store."""

import datetime as dt
import subprocess
import sys
import time
import uuid

import pytest
from celery import Celery
from dateutil.relativedelta import relativedelta

from reactivation.models import SegmentRun
from tests.conftest import needs
from tests.factories import CustomerFactory
from tests.processes import ROOT, process_env

BROKER = "redis://127.0.0.1:6379/15"

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_up():
    import redis

    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        needs(f"Redis at {BROKER}")


@pytest.fixture
def worker(redis_up):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "salon_crm", "worker", "--pool=solo", "--queues", queue,
         "--loglevel=INFO", "--without-gossip", "--without-mingle"],
        cwd=ROOT,
        env=process_env(CELERY_BROKER_URL=BROKER, CELERY_TASK_ALWAYS_EAGER="False"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    yield queue
    process.terminate()
    output, _ = process.communicate(timeout=30)
    print(output[-3000:])


def test_a_worker_consuming_from_redis_segments_a_store(worker, store, beautician_a):
    today = dt.date(2026, 11, 23)
    customer = CustomerFactory(store=store, last_visit_on=today - relativedelta(months=1, days=2))
    sender = Celery(broker=BROKER)
    sender.send_task("reactivation.tasks.segment_store_task", args=[store.pk, today.isoformat()], queue=worker)

    deadline = time.monotonic() + 60
    while not SegmentRun.objects.filter(store=store, run_date=today, status="done").exists():
        assert time.monotonic() < deadline, "the worker did not segment the store within 60 s"
        time.sleep(0.3)
    customer.refresh_from_db()
    assert (customer.bucket, customer.assignee) == ("m1", beautician_a)
