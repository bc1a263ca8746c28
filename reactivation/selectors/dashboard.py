"""The store manager's picture: who is dormant, who is calling them, why they left, who came back."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Sum

from customers.buckets import DORMANT_BUCKETS, Bucket
from customers.models import Customer, Staff, Store

from ..models import CustomerReturn, FollowUpReason, SegmentCount, SegmentRun
from ..reasons import Reason
from ..segmentation import run_is_stale

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass
class AssigneeRow:
    staff: Staff | None
    by_bucket: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_bucket.values())

    def cells(self) -> list[int]:
        return [self.by_bucket.get(b, 0) for b in DORMANT_BUCKETS]


@dataclass
class Dashboard:
    store: Store
    today: dt.date
    run: SegmentRun | None
    run_is_stale: bool
    buckets: dict[str, int]
    rows: list[AssigneeRow]
    unassigned: int
    escalated: int
    top_reasons: list[tuple[StrOrPromise, int]]  # (label, customers)
    returns_this_month: int
    trend: dict

    @property
    def dormant(self) -> int:
        return sum(self.buckets.get(b, 0) for b in DORMANT_BUCKETS)


def store_dashboard(store: Store, today: dt.date) -> Dashboard:
    run = SegmentRun.objects.filter(store=store).order_by("-run_date").first()
    last_done = run if run is not None and run.status == SegmentRun.Status.DONE else _last_done(store)
    buckets, rows = _current_lists(store)
    return Dashboard(
        store=store,
        today=today,
        run=run,
        run_is_stale=run_is_stale(last_done.run_date if last_done else None, today),
        buckets=buckets,
        rows=rows,
        unassigned=run.unassigned if run is not None and run.status == SegmentRun.Status.DONE else 0,
        escalated=Customer.objects.filter(store=store, escalated_on__isnull=False).count(),
        top_reasons=_top_reasons(store, since=today - dt.timedelta(days=90)),
        returns_this_month=CustomerReturn.objects.filter(store=store, returned_on__gte=today.replace(day=1)).count(),
        trend=_trend(store, since=today - dt.timedelta(days=60)),
    )


def _last_done(store: Store) -> SegmentRun | None:
    return SegmentRun.objects.filter(store=store, status=SegmentRun.Status.DONE).order_by("-run_date").first()


def _current_lists(store: Store) -> tuple[dict[str, int], list[AssigneeRow]]:
    """Customers per bucket, and the dormant ones per assignee (one GROUP BY on the store's index).

    The last row (no staff) holds the dormant customers nobody calls: do-not-contact,
    booked already, or nobody available."""
    counts = Customer.objects.filter(store=store).values_list("bucket", "assignee").annotate(n=Count("*")).order_by()
    buckets: dict[str, int] = defaultdict(int)
    per_staff: dict[int | None, dict[str, int]] = defaultdict(dict)
    for bucket, assignee, n in counts:
        buckets[bucket] += n
        if bucket != Bucket.ACTIVE:
            per_staff[assignee][bucket] = n
    callers = Staff.objects.filter(store=store, is_active=True, role__in=[Staff.Role.BEAUTICIAN, Staff.Role.FRONT_DESK])
    holders = Staff.objects.filter(pk__in=[pk for pk in per_staff if pk is not None])
    people = {person.pk: person for person in callers | holders}
    ordered = sorted(people.values(), key=lambda p: (p.role != Staff.Role.BEAUTICIAN, p.role, p.username))
    rows = [AssigneeRow(person, per_staff.get(person.pk, {})) for person in ordered]
    if per_staff.get(None):
        rows.append(AssigneeRow(None, per_staff[None]))
    return dict(buckets), rows


def _top_reasons(store: Store, since: dt.date, limit: int = 5) -> list[tuple[StrOrPromise, int]]:
    """The five reasons heard most in the last three months: the staff meeting's agenda."""
    rows = (
        FollowUpReason.objects.filter(store=store, follow_up__contacted_at__date__gte=since)
        .values_list("reason")
        .annotate(n=Count("*"))
        .order_by("-n", "reason")[:limit]
    )
    return [(Reason(reason).label, n) for reason, n in rows]


def _trend(store: Store, since: dt.date) -> dict:
    """Dormant customers per bucket after each nightly run since `since`: the chart's data, as plain JSON."""
    rows = (
        SegmentCount.objects.filter(run__store=store, run__run_date__gte=since, run__status=SegmentRun.Status.DONE)
        .values_list("run__run_date", "bucket")
        .annotate(total=Sum("customers"))
        .order_by("run__run_date")
    )
    per_day: dict[str, dict[str, int]] = defaultdict(dict)
    for day, bucket, total in rows:
        per_day[day.isoformat()][bucket] = total
    days = sorted(per_day)
    return {
        "days": days,
        "series": [
            {"bucket": b, "label": str(Bucket(b).label), "values": [per_day[d].get(b, 0) for d in days]}
            for b in DORMANT_BUCKETS
        ],
    }
