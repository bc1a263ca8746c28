"""What the nightly job reads: the customers whose state may change tonight, and a tally of the rest.

A night on which little changed must not read every customer of the store into Python. The rules
stay pure functions (`segmentation`, `assignment`); one query asks the database, customer by
customer, whether her stored state is still what they give for tonight — the whole months since
she was last seen (DESIGN §4.1, `months_since` written out in SQL), the bucket of those months,
the day her dormant spell began, and an assignee the store's split would keep (someone of the pool
now calling her bucket, and only if she is to be called). A customer for whom any of it fails is
*unsettled* and goes to Python with her facts; everyone else keeps her state and is only counted.
The SQL may call too many unsettled (Python then finds nothing to change), never too few; the
tests check it against the pure functions on random dates, month ends and Feb 29 included.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear, Greatest, Least
from django.db.models.lookups import GreaterThan

from customers.buckets import DORMANT_BUCKETS, Bucket, BucketGroup
from customers.models import Appointment, Customer, Store

from ..assignment import Staffing
from ..classification import CustomerFacts, CustomerState
from ..segmentation import bookings_hold_from, bucket_for, owner_group

# (bucket, assignee, months) → customers: what the snapshot and the loads need of everyone.
Tally = Counter[tuple[str, int | None, int]]

_FACTS = ("pk", "seen", "contactable", "last_beautician_id", "bucket", "months_away", "assignee_id", "dormant_since")


class MonthLater(Func):
    """The same day one month later, clamped to the end of a shorter month (`relativedelta(months=1)`)."""

    output_field = DateField()
    template = "CAST((%(expressions)s + interval '1 month') AS date)"  # PostgreSQL clamps by itself

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite's '+1 month' rolls Jan 31 over into March: the earlier of that and next month's end.
        sql, params = compiler.compile(self.source_expressions[0])
        clamped = f"min(date({sql}, '+1 month'), date({sql}, 'start of month', '+2 months', '-1 day'))"
        return clamped, [*params, *params]


def months_since_sql(last: Any, today: dt.date) -> Func:
    """`segmentation.months_since(last, today)` as an SQL expression of the date column `last`.

    Months between the two calendar months, one fewer when her day (clamped to the length of
    today's month) is not reached yet; a `last` after today counts as 0."""
    year, month, day = ExtractYear(last), ExtractMonth(last), ExtractDay(last)
    length = monthrange(today.year, today.month)[1]
    between = Value(today.year * 12 + today.month) - (year * Value(12) + month)
    not_yet = Case(
        When(GreaterThan(Least(day, Value(length)), Value(today.day)), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return Greatest(between - not_yet, Value(0), output_field=IntegerField())


def with_tonight(customers: QuerySet[Customer], today: dt.date, zone: dt.tzinfo) -> QuerySet[Customer]:
    """`customers` with `seen` (the day counted from) and `contactable` (DESIGN §4.3) annotated."""
    booked_ahead = Appointment.objects.filter(
        customer=OuterRef("pk"), status=Appointment.Status.BOOKED, starts_at__gte=bookings_hold_from(today, zone)
    )
    contactable = Q(do_not_contact=False, is_archived=False) & ~Exists(booked_ahead)
    return customers.order_by().annotate(
        seen=Coalesce(F("last_visit_on"), F("joined_on"), output_field=DateField()),
        contactable=ExpressionWrapper(contactable, output_field=BooleanField()),
    )


def settled(today: dt.date, staffing: Staffing, beautician_buckets: Collection[str]) -> Q:
    """Her stored state is tonight's (on a queryset `with_tonight`): nothing the night could change."""
    months = Q(months_away=months_since_sql(F("seen"), today))
    bucket = Q(months_away=0, bucket=bucket_for(0))
    for n in (1, 2, 3):
        bucket |= Q(months_away=n, bucket=bucket_for(n))
    bucket |= Q(months_away__gte=4, bucket=bucket_for(4))
    spell = Q(months_away=0, dormant_since__isnull=True) | Q(months_away__gt=0, dormant_since=MonthLater(F("seen")))
    assignee = Q(assignee__isnull=True) & (Q(bucket=Bucket.ACTIVE) | Q(contactable=False))
    for group in BucketGroup:
        # With nobody to call a group's buckets, its customers' night is worked out in Python.
        pool = staffing.pool(group)
        buckets = [b for b in DORMANT_BUCKETS if owner_group(b, beautician_buckets) == group]
        if pool and buckets:
            assignee |= Q(bucket__in=buckets, contactable=True, assignee__in=pool)
    return months & bucket & spell & assignee


def unsettled_facts(
    *, store: Store, today: dt.date, staffing: Staffing, beautician_buckets: Collection[str]
) -> Iterator[CustomerFacts]:
    """The facts of every customer of `store` whose state tonight may differ from the stored one."""
    rule = settled(today, staffing, beautician_buckets)
    customers = with_tonight(Customer.objects.filter(store=store), today, store.tzinfo).annotate(
        is_settled=Case(When(rule, then=Value(True)), default=Value(False), output_field=BooleanField())
    )
    return _facts(customers.filter(is_settled=False))


def assignees_facts(*, store: Store, today: dt.date, staff_ids: Iterable[int]) -> Iterator[CustomerFacts]:
    """The facts of every customer assigned to one of `staff_ids`."""
    customers = Customer.objects.filter(store=store, assignee_id__in=list(staff_ids))
    return _facts(with_tonight(customers, today, store.tzinfo))


def _facts(customers: QuerySet[Customer]) -> Iterator[CustomerFacts]:
    rows = customers.values_list(*_FACTS).iterator(chunk_size=5000)
    for pk, seen, contactable, served_by, bucket, months, assignee, spell in rows:
        yield CustomerFacts(pk, seen, bool(contactable), served_by, CustomerState(bucket, months, assignee, spell))


def store_tally(*, store: Store) -> Tally:
    """Every customer of `store` counted by her stored bucket, assignee and months."""
    rows = (
        Customer.objects.filter(store=store)
        .order_by()
        .values_list("bucket", "assignee_id", "months_away")
        .annotate(n=Count("*"))
    )
    return Counter({(bucket, assignee, months): n for bucket, assignee, months, n in rows})


def tally_key(state: CustomerState) -> tuple[str, int | None, int]:
    return state.bucket, state.assignee, state.months
