"""Two nightly runs for one store at the same moment, in two real processes: only one writes."""

import subprocess
import time

import pytest
from dateutil.relativedelta import relativedelta
from django.db import transaction

from reactivation.models import AssignmentChange, SegmentRun
from tests.factories import CustomerFactory
from tests.processes import ROOT, manage, process_env, waiting_on_locks

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_runs_for_one_store_never_both_write(store, beautician_a, beautician_b, front_desk):
    today = store.today()
    for months in range(1, 41):
        CustomerFactory(store=store, last_visit_on=today - relativedelta(months=months % 6, days=2))
    run = SegmentRun.objects.create(store=store, run_date=today)
    command = manage("segment_customers", "--store", store.code, "--date", today.isoformat())

    # Hold the run's row so that both processes are surely inside their transaction, waiting, at once.
    with transaction.atomic():
        SegmentRun.objects.select_for_update().get(pk=run.pk)
        processes = [
            subprocess.Popen(
                command, cwd=ROOT, env=process_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            )
            for _ in range(2)
        ]
        deadline = time.monotonic() + 60
        while waiting_on_locks() < 2:
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                for p in processes:
                    p.kill()
                pytest.fail(f"the two runs never reached the lock: {[p.communicate()[0][-2000:] for p in processes]}")
            time.sleep(0.1)
    outputs = [p.communicate(timeout=120)[0] for p in processes]

    assert [p.returncode for p in processes] == [0, 0], outputs
    assert sum("customers changed" in o or "位顾客有变化" in o for o in outputs) == 1, outputs
    assert sum("already classified" in o or "已分类" in o for o in outputs) == 1, outputs
    dormant = store.customers.exclude(bucket="active").count()
    assert AssignmentChange.objects.filter(customer__store=store).count() == dormant
    assert SegmentRun.objects.get(pk=run.pk).status == "done"
