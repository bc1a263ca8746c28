"""The nightly job reads only customers whose state may change: its SQL must agree with the pure rules.

The months, the dormant spell's start and the settled test are SQL (`selectors.night`); the rules
are Python (`segmentation`, `classification`). Both run here on the same random data, on whichever
database the suite runs on (SQLite and PostgreSQL in CI).
"""

import datetime as dt
from calendar import monthrange
from collections import Counter

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection, transaction
from django.db.models import F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customers.models import Appointment, Customer, Staff
from reactivation.assignment import Staffing
from reactivation.classification import CustomerFacts, CustomerState, plan_night
from reactivation.models import SegmentRun
from reactivation.segmentation import bookings_hold_from, is_contactable, months_since
from reactivation.selectors.night import month_later_sql, months_since_sql, tonight
from reactivation.services.segment import segment_store
from tests.factories import AppointmentFactory

D = dt.date
DB_EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

month_ends = st.builds(lambda y, m: D(y, m, monthrange(y, m)[1]), st.integers(2023, 2028), st.integers(1, 12))
days = st.one_of(
    st.dates(min_value=D(2023, 1, 1), max_value=D(2028, 12, 31)),
    month_ends,
    st.sampled_from([D(2024, 2, 29), D(2028, 2, 29), D(2024, 2, 28), D(2025, 2, 28), D(2025, 3, 1)]),
)


class _RolledBack(Exception):
    pass


def each_example(work):
    """Run `work` in a savepoint rolled back afterwards: examples do not see each other's rows."""
    try:
        with transaction.atomic():
            work()
            raise _RolledBack
    except _RolledBack:
        pass


def customer(store, n, **fields):
    fields.setdefault("joined_on", D(2022, 1, 1))
    return Customer(store=store, name=f"顾客{n}", phone=f"139{n:08d}", **fields)


@pytest.mark.parametrize(
    ("last", "today"),
    [
        (D(2026, 1, 31), D(2026, 2, 28)),
        (D(2026, 1, 31), D(2026, 3, 30)),
        (D(2026, 10, 23), D(2026, 11, 22)),
        (D(2024, 1, 31), D(2024, 2, 29)),
        (D(2024, 2, 29), D(2025, 2, 28)),
        (D(2025, 12, 31), D(2026, 1, 1)),
        (D(2026, 11, 24), D(2026, 11, 23)),
    ],
)
def test_sql_counts_the_month_ends_as_the_rule_does(store, last, today):
    Customer.objects.bulk_create([customer(store, 1, last_visit_on=last)])
    assert _in_sql(store, today) == [(last, months_since(last, today), last + relativedelta(months=1))]


@DB_EXAMPLES
@given(today=days, lasts=st.lists(days, min_size=1, max_size=40))
def test_sql_counts_months_and_spells_as_the_rules_do(store, today, lasts):
    def work():
        Customer.objects.bulk_create([customer(store, n, last_visit_on=last) for n, last in enumerate(lasts)])
        for last, months, later in _in_sql(store, today):
            assert (months, later) == (months_since(last, today), last + relativedelta(months=1)), last

    each_example(work)


def _in_sql(store, today):
    sql = (
        f"SELECT last_visit_on, {months_since_sql('seen', today)}, {month_later_sql('seen')} FROM "
        "(SELECT last_visit_on, coalesce(last_visit_on, joined_on) AS seen FROM customers_customer "
        "WHERE store_id = %s) AS t"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [store.pk])
        rows = cursor.fetchall()
    return [(_day(last), months, _day(later)) for last, months, later in rows]


def _day(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


# --- whole nights -----------------------------------------------------------------------------

START = D(2026, 1, 28)
recent = st.dates(min_value=D(2025, 6, 1), max_value=D(2026, 4, 30))
people = st.sampled_from(["beautician_a", "beautician_b", "front_desk", "manager", None])
a_customer = st.fixed_dictionaries(
    {
        "last_visit_on": st.one_of(st.none(), recent, st.sampled_from([D(2025, 12, 31), D(2025, 10, 31)])),
        "do_not_contact": st.sampled_from([False, False, False, True]),
        "is_archived": st.sampled_from([False, False, False, False, True]),
        "booked": st.sampled_from([False, False, False, True]),
        "served_by": people,
        # A state left by something else than the night (the manager's hand, an older rule).
        "assignee": st.sampled_from([None, None, None, "beautician_a", "beautician_a", "front_desk"]),
        "bucket": st.sampled_from(["active", "active", "m1", "m3plus"]),
    }
)
a_change = st.one_of(
    st.tuples(st.just("visit"), st.integers(0, 39), recent),
    st.tuples(st.just("quiet"), st.integers(0, 39), st.booleans()),
    st.tuples(st.just("reassign"), st.integers(0, 39), people),
    st.tuples(st.just("earlier"), st.integers(0, 39), st.integers(1, 3)),
    st.tuples(st.just("pile_on"), st.integers(0, 39), st.sampled_from(["beautician_a", "front_desk"])),
    st.tuples(st.just("staff"), st.sampled_from(["beautician_a", "beautician_b", "front_desk"]), st.booleans()),
)


@pytest.fixture
def crew(store, beautician_a, beautician_b, front_desk, manager):
    return {s.username: s for s in (beautician_a, beautician_b, front_desk, manager)}


@DB_EXAMPLES
@given(
    customers=st.lists(a_customer, max_size=40),
    nights=st.lists(st.tuples(st.integers(1, 45), st.lists(a_change, max_size=6)), min_size=1, max_size=3),
)
def test_every_night_ends_as_the_rules_say_for_the_whole_store(store, crew, customers, nights):
    """Night after night, with visits, do-not-contact, a manager's reassignment and staff leaving in
    between: reading only the unsettled customers gives what the rules give reading everyone."""

    def work():
        rows = _customers(store, crew, customers)
        today = START
        for gap, changes in nights:
            for change in changes:
                _apply(change, rows, crew)
            today += dt.timedelta(days=gap)
            before, expected = _states(store), _plan_for_everyone(store, today)
            run = segment_store(store=store, today=today).run
            assert _states(store) == {**before, **{c.customer_id: c.after for c in expected.changes}}
            assert Counter({k: v for k, v in expected.counts.items() if v}) == Counter(
                {(c.bucket, c.assignee_id): c.customers for c in run.counts.all()}
            )
            assert (run.unassigned, run.away_6_plus, run.away_12_plus, run.customers_changed) == (
                expected.unassigned, expected.away_6_plus, expected.away_12_plus, len(expected.changes),
            )  # fmt: skip

    each_example(work)


def _customers(store, crew, customers):
    made = Customer.objects.bulk_create(
        [
            customer(
                store, n, last_visit_on=c["last_visit_on"], do_not_contact=c["do_not_contact"],
                is_archived=c["is_archived"], last_beautician=crew.get(c["served_by"]) if c["served_by"] else None,
                assignee=crew[c["assignee"]] if c["assignee"] else None, bucket=c["bucket"],
            )
            for n, c in enumerate(customers)
        ]
    )  # fmt: skip
    for row, c in zip(made, customers, strict=True):
        if c["booked"]:
            AppointmentFactory(customer=row, starts_at=dt.datetime(2026, 6, 1, 10, tzinfo=store.tzinfo))
    return made


def _apply(change, rows, crew):
    what, who, value = change
    if what == "staff":
        Staff.objects.filter(pk=crew[who].pk).update(is_active=value)
        return
    if not rows:
        return
    pk = rows[who % len(rows)].pk
    if what == "visit":
        Customer.objects.filter(pk=pk).update(last_visit_on=value)
    elif what == "earlier":  # a visit's date corrected
        Customer.objects.filter(pk=pk, last_visit_on__isnull=False).update(
            last_visit_on=F("last_visit_on") - dt.timedelta(days=value)
        )
    elif what == "pile_on":  # a manager hands every called customer to one person
        rows[0].store.customers.exclude(assignee=None).update(assignee=crew[value])
    elif what == "quiet":
        Customer.objects.filter(pk=pk).update(do_not_contact=value)
    else:
        Customer.objects.filter(pk=pk).update(assignee=crew[value] if value else None)


def _plan_for_everyone(store, today):
    """The rules applied to every customer of the store, read the plain way."""
    booked = set(
        Appointment.objects.filter(
            store=store, status=Appointment.Status.BOOKED, starts_at__gte=bookings_hold_from(today, store.tzinfo)
        ).values_list("customer_id", flat=True)
    )
    facts = [
        CustomerFacts(
            c.pk, c.last_seen_on,
            is_contactable(do_not_contact=c.do_not_contact, archived=c.is_archived, has_future_booking=c.pk in booked),
            c.last_beautician_id, CustomerState(c.bucket, c.months_away, c.assignee_id, c.dormant_since),
        )
        for c in Customer.objects.filter(store=store)
    ]  # fmt: skip
    active = Staff.objects.filter(store=store, is_active=True).order_by("pk")
    staffing = Staffing(
        beauticians=tuple(active.filter(role=Staff.Role.BEAUTICIAN).values_list("pk", flat=True)),
        front_desk=tuple(active.filter(role=Staff.Role.FRONT_DESK).values_list("pk", flat=True)),
        managers=tuple(active.filter(role=Staff.Role.MANAGER).values_list("pk", flat=True)),
    )
    store.refresh_from_db()
    return plan_night(facts, staffing=staffing, beautician_buckets=store.beautician_buckets, today=today)


def _states(store):
    return {
        pk: CustomerState(bucket, months, assignee, spell)
        for pk, bucket, months, assignee, spell in Customer.objects.filter(store=store).values_list(
            "pk", "bucket", "months_away", "assignee_id", "dormant_since"
        )
    }


def test_a_quiet_night_reads_only_the_customers_whose_state_changes(store, crew):
    """Two hundred settled customers and one crossing into a new month: one is read."""
    today = D(2026, 11, 23)
    Customer.objects.bulk_create(
        [customer(store, n, last_visit_on=today - dt.timedelta(days=n % 20)) for n in range(200)]
        + [customer(store, 999, last_visit_on=D(2026, 10, 24))]  # one month tomorrow
    )
    segment_store(store=store, today=today)
    assert SegmentRun.objects.get(store=store, run_date=today).customers_changed == 0
    read, tally = tonight(
        store=store,
        today=today + dt.timedelta(days=1),
        staffing=Staffing(beauticians=(crew["beautician_a"].pk, crew["beautician_b"].pk)),
        beautician_buckets=store.beautician_buckets,
    )
    assert [(f.state.bucket, f.last_seen_on) for f in read] == [("active", D(2026, 10, 24))]
    assert tally == {("active", None, 0): 201}, "everyone is counted all the same"


def test_a_corrected_visit_date_moves_the_start_of_her_spell(store, crew):
    her = Customer.objects.create(store=store, name="王丽", phone="13812345678", joined_on=D(2025, 1, 1),
                                  last_visit_on=D(2026, 3, 5))  # fmt: skip
    segment_store(store=store, today=D(2026, 6, 10))
    Customer.objects.filter(pk=her.pk).update(last_visit_on=D(2026, 3, 3))  # still three months
    segment_store(store=store, today=D(2026, 6, 11))
    her.refresh_from_db()
    assert (her.months_away, her.dormant_since) == (3, D(2026, 4, 3))


def test_someone_holding_more_than_her_share_gives_back_only_the_excess(store, crew):
    a, b = crew["beautician_a"], crew["beautician_b"]
    Customer.objects.bulk_create([customer(store, n, last_visit_on=D(2026, 10, 1)) for n in range(6)])
    segment_store(store=store, today=D(2026, 11, 23))
    store.customers.update(assignee=a)  # every one of them settled, all with one beautician
    segment_store(store=store, today=D(2026, 11, 24))
    kept = store.customers.order_by("pk").values_list("assignee_id", flat=True)
    assert list(kept) == [a.pk] * 3 + [b.pk] * 3
