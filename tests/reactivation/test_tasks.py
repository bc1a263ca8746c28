"""The beat dispatcher: each store once its own night has come, once per local date."""

import datetime as dt
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from reactivation.models import SegmentRun
from reactivation.tasks import dispatch_nightly, segment_store_task
from tests.factories import CustomerFactory, StaffFactory, StoreFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_store_is_classified_once_its_local_time_passes_two_in_the_morning(
    store, beautician_a, django_capture_on_commit_callbacks
):
    customer = CustomerFactory(store=store, last_visit_on=dt.date(2026, 10, 1))
    assert dispatch_nightly(now=dt.datetime(2026, 11, 23, 1, 59, tzinfo=SHANGHAI)) == 0
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert dispatch_nightly(now=dt.datetime(2026, 11, 23, 2, 0, tzinfo=SHANGHAI)) == 1
    assert len(queued) == 1, "the task is queued only once the run row is committed"
    run = SegmentRun.objects.get(store=store)
    assert (run.run_date, run.status) == (dt.date(2026, 11, 23), "done")  # eager: ran in-process
    customer.refresh_from_db()
    assert (customer.bucket, customer.assignee) == ("m1", beautician_a)


def test_later_dispatches_the_same_night_queue_nothing(store):
    first = dt.datetime(2026, 11, 23, 2, 5, tzinfo=SHANGHAI)
    dispatch_nightly(now=first)
    assert dispatch_nightly(now=first + dt.timedelta(minutes=15)) == 0
    assert dispatch_nightly(now=first + dt.timedelta(hours=20)) == 0
    assert SegmentRun.objects.count() == 1


def test_each_time_zone_gets_its_own_night(store):
    london = StoreFactory(code="LDN", timezone="Europe/London")
    now = dt.datetime(2026, 11, 23, 1, 30, tzinfo=dt.UTC)  # 09:30 on the 23rd in Shanghai, 01:30 in London
    assert dispatch_nightly(now=now) == 1
    assert not SegmentRun.objects.filter(store=london, run_date=dt.date(2026, 11, 23)).exists()
    assert dispatch_nightly(now=now + dt.timedelta(minutes=30)) == 1  # 02:00 in London
    assert SegmentRun.objects.filter(store=london).get().run_date == dt.date(2026, 11, 23)


def test_a_missed_night_is_caught_up_later_the_same_day(store):
    assert dispatch_nightly(now=dt.datetime(2026, 11, 23, 18, 0, tzinfo=SHANGHAI)) == 1
    assert SegmentRun.objects.get().run_date == dt.date(2026, 11, 23)


def test_a_closed_store_is_not_classified(store):
    store.is_active = False
    store.save()
    assert dispatch_nightly(now=dt.datetime(2026, 11, 23, 3, 0, tzinfo=SHANGHAI)) == 0


def test_the_task_calls_the_same_service_as_the_command(store):
    StaffFactory(store=store)
    CustomerFactory(store=store, last_visit_on=dt.date(2026, 11, 23) - relativedelta(months=2))
    assert segment_store_task.delay(store.pk, "2026-11-23").get() == "done"
    assert segment_store_task.delay(store.pk, "2026-11-23").get() == "skipped"
