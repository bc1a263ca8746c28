"""The nightly run killed in the middle of a store (a power cut, an OOM kill), then run again: the store is
either wholly classified or not at all, and the rerun finishes it as if nothing had happened."""

import signal
import subprocess
import time

import pytest
from dateutil.relativedelta import relativedelta
from django.db import transaction

from customers.models import Customer, Staff
from reactivation.models import AssignmentChange, SegmentCount, SegmentRun
from tests.factories import CustomerFactory, StaffFactory
from tests.processes import ROOT, manage, process_env, waiting_on_locks

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def chain_of_two(store, other_store, today):
    for shop in (store, other_store):
        for n in range(2):
            StaffFactory(username=f"{shop.code}_b{n}", role=Staff.Role.BEAUTICIAN, store=shop)
        StaffFactory(username=f"{shop.code}_fd", role=Staff.Role.FRONT_DESK, store=shop)
        for months in range(40):
            CustomerFactory(store=shop, last_visit_on=today - relativedelta(months=months % 7, days=2))


def state_of(shop):
    return sorted(Customer.objects.filter(store=shop).values_list("pk", "bucket", "months_away", "assignee_id"))


def test_a_run_killed_in_the_middle_of_a_store_leaves_it_untouched_and_the_rerun_completes_it(store, other_store):
    today = store.today()
    chain_of_two(store, other_store, today)
    before = state_of(other_store)
    command = manage("segment_customers", "--date", today.isoformat())

    # MAIN runs first and commits; OTHER's run then waits on a customer it has to write, mid-transaction.
    last = Customer.objects.filter(store=other_store).order_by("-pk").first()
    with transaction.atomic():
        Customer.objects.select_for_update().get(pk=last.pk)
        process = subprocess.Popen(
            command, cwd=ROOT, env=process_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        deadline = time.monotonic() + 90
        while waiting_on_locks() < 1:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail(f"the run never reached the locked customer: {process.communicate()[0][-3000:]}")
            time.sleep(0.1)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    assert SegmentRun.objects.get(store=store, run_date=today).status == "done", "the first store was committed"
    assert state_of(other_store) == before, "nothing of the killed store's run was written"
    assert not AssignmentChange.objects.filter(customer__store=other_store).exists()
    assert not SegmentCount.objects.filter(run__store=other_store).exists()
    assert not SegmentRun.objects.filter(store=other_store, status="done").exists()

    rerun = subprocess.run(command, cwd=ROOT, env=process_env(), capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert "MAIN" in rerun.stdout and ("already classified" in rerun.stdout or "已分类" in rerun.stdout)
    dormant = Customer.objects.filter(store=other_store).exclude(bucket="active")
    assert dormant.count() > 0 and not dormant.filter(assignee__isnull=True).exists()
    assert AssignmentChange.objects.filter(customer__store=other_store).count() == dormant.count()
    run = SegmentRun.objects.get(store=other_store, run_date=today)
    assert run.status == "done"
    assert sum(SegmentCount.objects.filter(run=run).values_list("customers", flat=True)) == 40
