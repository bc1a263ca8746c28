"""The nightly service on a real database: states written, history kept, reruns harmless."""

import datetime as dt
from collections import Counter

import pytest
from dateutil.relativedelta import relativedelta

from customers.models import Customer, Staff
from reactivation.assignment import Staffing
from reactivation.classification import CustomerFacts, CustomerState, plan_night
from reactivation.models import AssignmentChange, SegmentRun
from reactivation.services.segment import segment_store, segment_stores
from tests.factories import AppointmentFactory, CustomerFactory, StaffFactory, StoreFactory

TODAY = dt.date(2026, 11, 23)


def away(store, months, **fields):
    """A customer last seen `months` whole months ago (a few days more, so month ends do not matter)."""
    return CustomerFactory(store=store, last_visit_on=TODAY - relativedelta(months=months, days=3), **fields)


def state(customer):
    customer.refresh_from_db()
    return customer.bucket, customer.months_away, customer.assignee_id


@pytest.fixture
def team(store, beautician_a, beautician_b, front_desk, manager):
    return store


def test_each_customer_gets_her_bucket_and_the_right_person(team, beautician_a, beautician_b, front_desk):
    regular, one, two, three, lost = (away(team, m) for m in (0, 1, 2, 3, 9))
    segment_store(store=team, today=TODAY)
    assert state(regular) == ("active", 0, None)
    assert state(one)[:2] == ("m1", 1) and one.assignee in (beautician_a, beautician_b)
    assert state(two)[:2] == ("m2", 2) and two.assignee in (beautician_a, beautician_b)
    assert one.assignee != two.assignee, "two beautician customers are split between the two beauticians"
    assert state(three) == ("m3", 3, front_desk.pk)
    assert state(lost) == ("m3plus", 9, front_desk.pk)
    assert lost.dormant_since == lost.last_visit_on + relativedelta(months=1)


def test_a_customer_who_never_came_is_counted_from_her_joining_day(team, front_desk):
    never = CustomerFactory(store=team, last_visit_on=None, joined_on=TODAY - relativedelta(months=5))
    segment_store(store=team, today=TODAY)
    assert state(never) == ("m3plus", 5, front_desk.pk)


def test_customers_not_to_be_called_get_nobody(team):
    quiet = away(team, 1, do_not_contact=True)
    archived = away(team, 2, is_archived=True)
    booked = away(team, 1)
    AppointmentFactory(customer=booked, starts_at=dt.datetime(2026, 11, 25, 10, tzinfo=team.tzinfo))
    missed = away(team, 1)
    AppointmentFactory(customer=missed, starts_at=dt.datetime(2026, 11, 20, 10, tzinfo=team.tzinfo))
    segment_store(store=team, today=TODAY)
    assert [state(c)[2] for c in (quiet, archived, booked)] == [None, None, None]
    assert state(quiet)[0] == "m1", "she is still counted as dormant"
    assert state(missed)[2] is not None, "a booking in the past does not protect her"


def test_the_database_ends_up_exactly_as_the_rules_say(team, beautician_a, beautician_b, front_desk):
    customers = [away(team, m % 7, last_beautician=[beautician_a, beautician_b][m % 2]) for m in range(60)]
    facts = [CustomerFacts(c.pk, c.last_visit_on, True, c.last_beautician_id, CustomerState()) for c in customers]
    staffing = Staffing(beauticians=(beautician_a.pk, beautician_b.pk), front_desk=(front_desk.pk,))
    expected = {
        c.customer_id: c.after
        for c in plan_night(facts, staffing=staffing, beautician_buckets=["m1", "m2"], today=TODAY).changes
    }
    segment_store(store=team, today=TODAY)
    for customer in Customer.objects.filter(store=team):
        want = expected.get(customer.pk, CustomerState())
        assert (customer.bucket, customer.months_away, customer.assignee_id, customer.dormant_since) == (
            want.bucket, want.months, want.assignee, want.dormant_since,
        )  # fmt: skip


def test_a_rerun_for_the_same_date_changes_nothing(team):
    customers = [away(team, m % 5) for m in range(20)]
    first = segment_store(store=team, today=TODAY)
    before = [state(c) for c in customers], AssignmentChange.objects.count()
    second = segment_store(store=team, today=TODAY)
    assert (first.status, second.status) == ("done", "skipped")
    assert ([state(c) for c in customers], AssignmentChange.objects.count()) == before
    assert SegmentRun.objects.filter(store=team, run_date=TODAY).count() == 1


def test_the_next_night_only_changes_what_time_changed(team, front_desk):
    stays = away(team, 1)
    crosses = CustomerFactory(store=team, last_visit_on=dt.date(2026, 8, 24))  # 2 months today, 3 tomorrow
    segment_store(store=team, today=TODAY)
    run = segment_store(store=team, today=TODAY + dt.timedelta(days=1)).run
    assert run.customers_changed == 1
    assert state(crosses) == ("m3", 3, front_desk.pk)
    assert (
        AssignmentChange.objects.filter(customer=crosses, changed_on=TODAY + dt.timedelta(days=1)).get().cause
        == "moved_group"
    )
    assert state(stays)[0] == "m1"


def test_every_change_of_assignee_is_recorded_with_its_cause(team, beautician_a, beautician_b):
    customers = [away(team, 1) for _ in range(6)]
    segment_store(store=team, today=TODAY)
    assert AssignmentChange.objects.filter(cause="newly_dormant").count() == 6
    beautician_a.is_active = False
    beautician_a.save()
    segment_store(store=team, today=TODAY + dt.timedelta(days=1))
    left = AssignmentChange.objects.filter(changed_on=TODAY + dt.timedelta(days=1))
    assert set(left.values_list("cause", "from_staff", "to_staff")) == {
        ("staff_left", beautician_a.pk, beautician_b.pk)
    }
    assert left.count() == 3
    assert all(state(c)[2] == beautician_b.pk for c in customers)


def test_the_snapshot_counts_every_customer_once(team):
    for m in (0, 0, 1, 2, 3, 4, 8):
        away(team, m)
    run = segment_store(store=team, today=TODAY).run
    by_bucket = Counter()
    for row in run.counts.all():
        by_bucket[row.bucket] += row.customers
    assert by_bucket == {"active": 2, "m1": 1, "m2": 1, "m3": 1, "m3plus": 2}


def test_a_store_with_nobody_to_call_says_so(store):
    away(store, 2)
    run = segment_store(store=store, today=TODAY).run
    assert run.unassigned == 1


def test_the_manager_calls_when_the_store_has_no_one_else(store, manager):
    customer = away(store, 4)
    segment_store(store=store, today=TODAY)
    assert state(customer)[2] == manager.pk


def test_a_failing_store_does_not_stop_the_others(team, other_store):
    StaffFactory(store=other_store, role=Staff.Role.BEAUTICIAN)
    healthy = away(other_store, 1)
    away(team, 1)
    type(team).objects.filter(pk=team.pk).update(beautician_buckets=5)  # corrupt settings: this store fails
    team.refresh_from_db()
    results = segment_stores(stores=[team, other_store], today=TODAY)
    assert [r.status for r in results] == ["failed", "done"]
    assert state(healthy)[0] == "m1"
    failed = SegmentRun.objects.get(store=team)
    assert failed.status == "failed" and "TypeError" in failed.error
    assert not Customer.objects.filter(store=team).exclude(bucket="active").exists(), "nothing half-saved"


def test_a_failed_run_can_be_run_again_once_fixed(team):
    customer = away(team, 1)
    type(team).objects.filter(pk=team.pk).update(beautician_buckets=5)
    team.refresh_from_db()
    with pytest.raises(TypeError):
        segment_store(store=team, today=TODAY)
    type(team).objects.filter(pk=team.pk).update(beautician_buckets=["m1", "m2"])
    team.refresh_from_db()
    assert segment_store(store=team, today=TODAY).status == "done"
    assert state(customer)[0] == "m1"


def test_stores_in_other_time_zones_use_their_own_today(db):
    store = StoreFactory(code="NY", timezone="America/New_York")
    assert store.today() <= dt.date.today() + dt.timedelta(days=1)
    results = segment_stores(stores=[store])
    assert results[0].run_date == store.today()


def test_the_nightly_run_keeps_an_escalation_while_she_stays_away(team):
    customer = away(team, 1, escalated_on=TODAY)
    segment_store(store=team, today=TODAY)
    customer.refresh_from_db()
    assert customer.escalated_on == TODAY


def test_visits_saved_behind_the_products_back_still_count(team, beautician_a):
    from tests.factories import VisitFactory

    customer = away(team, 2)
    Customer.objects.filter(pk=customer.pk).update(last_visit_on=None)  # as if imported by hand
    VisitFactory(customer=customer, visited_on=customer.last_visit_on)
    segment_store(store=team, today=TODAY)
    assert state(customer)[0] == "m2", "the first night reads her visits"

    # A later visit written straight into the table (no service called) ends her spell the next night.
    VisitFactory(customer=customer, visited_on=TODAY)
    run = segment_store(store=team, today=TODAY + dt.timedelta(days=1)).run
    assert state(customer) == ("active", 0, None)
    assert customer.returns.get().returned_on == TODAY
    assert run.visits_up_to == customer.visits.order_by("-pk").first().pk


def test_the_night_after_an_import_does_not_read_the_visits_it_recorded(team, tmp_path):
    """The import brought its customers' last visits up to date and kept its visits' ids: the first
    night reads only visits written some other way."""
    from customers.services.imports import import_from_path
    from tests.customers.imports.files import csv_bytes, write
    from tests.factories import VisitFactory

    imported, by_hand = away(team, 5, phone="13812345678"), away(team, 5, phone="13900001111")
    rows = [["门店编码", "手机号", "到店日期"], *(["MAIN", imported.phone, f"2026-0{m}-10"] for m in (6, 7, 8))]
    import_from_path(kind="visits", path=write(tmp_path, "visits.csv", csv_bytes(rows)))
    imported.refresh_from_db()
    assert imported.last_visit_on == dt.date(2026, 8, 10), "the import kept her last visit"
    VisitFactory(customer=by_hand, visited_on=dt.date(2026, 10, 1))  # written straight into the table
    # Had the night read the imported visits again, it would put this back; it does not read them.
    Customer.objects.filter(pk=imported.pk).update(last_visit_on=dt.date(2026, 6, 10))

    run = segment_store(store=team, today=TODAY).run
    assert state(imported)[:2] == ("m3plus", 5)
    assert state(by_hand)[:2] == ("m1", 1), "the visit written some other way was caught up"
    assert run.visits_up_to == by_hand.visits.get().pk


def test_a_manager_can_replan_today_after_changing_the_bucket_split(team, beautician_a, beautician_b, front_desk):
    from customers.services.store_settings import store_settings_change

    two = away(team, 2)
    segment_store(store=team, today=TODAY)
    assert state(two)[2] in (beautician_a.pk, beautician_b.pk)
    store_settings_change(by=None, store=team, values={"beautician_buckets": ["m1"]})
    assert segment_store(store=team, today=TODAY).status == "skipped", "an ordinary rerun changes nothing"
    assert state(two)[2] in (beautician_a.pk, beautician_b.pk)
    assert segment_store(store=team, today=TODAY, replan=True).status == "done"
    assert state(two)[2] == front_desk.pk
    counts = SegmentRun.objects.get(store=team, run_date=TODAY).counts
    assert counts.filter(bucket="m2", assignee=front_desk).get().customers == 1


def test_the_snapshot_splits_more_than_three_months_into_six_and_twelve(team):
    for months in (4, 5, 6, 7, 11, 12, 30):
        away(team, months)
    segment_store(store=team, today=TODAY)
    run = SegmentRun.objects.get(store=team, run_date=TODAY)
    assert (run.away_6_plus, run.away_12_plus) == (5, 2)
