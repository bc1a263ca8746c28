"""The nightly job: classify one store's customers for one date and give every dormant one a person.

One transaction per store. The store's `SegmentRun` row for the date is locked first and
marked done in the same transaction as the work, so a rerun for the same date — or a second
worker running at the same moment — waits, finds the run done, and changes nothing. Only
customers whose state changes are written, with set-based SQL (see `customer_states`).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from customers.models import Appointment, Customer, Staff, Store

from ..assignment import Staffing
from ..classification import CustomerFacts, CustomerState, NightPlan, plan_night
from ..models import AssignmentChange, SegmentCount, SegmentRun
from ..segmentation import is_contactable
from .customer_states import write_customer_states

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SegmentResult:
    store: Store
    run_date: dt.date
    status: str  # "done", "skipped" (already done for this date) or "failed"
    run: SegmentRun | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status != "failed"


def segment_store(*, store: Store, today: dt.date) -> SegmentResult:
    """Run the nightly classification and assignment of `store` for `today` (the store's local date)."""
    run_id = _run_row(store, today)
    try:
        with transaction.atomic():
            run = SegmentRun.objects.select_for_update().get(pk=run_id)
            if run.status == SegmentRun.Status.DONE:
                return SegmentResult(store, today, "skipped", run)
            plan = plan_night(
                _facts(store, today),
                staffing=_staffing(store),
                beautician_buckets=store.beautician_buckets,
                today=today,
            )
            _write(store, today, run, plan)
    except Exception as error:
        logger.exception("segmentation of store %s for %s failed", store.code, today)
        SegmentRun.objects.filter(pk=run_id).exclude(status=SegmentRun.Status.DONE).update(
            status=SegmentRun.Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now()
        )
        raise
    logger.info(
        "segmented store %s for %s: %d customers changed, %d assignees changed",
        store.code,
        today,
        run.customers_changed,
        run.assignees_changed,
    )
    return SegmentResult(store, today, "done", run)


def segment_stores(*, stores, today: dt.date | None = None) -> list[SegmentResult]:
    """Every store in turn, each in its own transaction; one failing store does not stop the others."""
    results = []
    for store in stores:
        day = today or store.today()
        try:
            results.append(segment_store(store=store, today=day))
        except Exception as error:
            results.append(SegmentResult(store, day, "failed", error=f"{type(error).__name__}: {error}"))
    return results


def _run_row(store: Store, today: dt.date) -> int:
    """The id of the store's run row for the date, created if missing (a racing creator is fine)."""
    try:
        with transaction.atomic():
            run, _created = SegmentRun.objects.get_or_create(store=store, run_date=today)
    except IntegrityError:
        run = SegmentRun.objects.get(store=store, run_date=today)
    return run.pk


def _staffing(store: Store) -> Staffing:
    by_role: dict[str, list[int]] = {}
    people = Staff.objects.filter(store=store, is_active=True).order_by("pk").values_list("pk", "role")
    for pk, role in people:
        by_role.setdefault(role, []).append(pk)
    return Staffing(
        beauticians=tuple(by_role.get(Staff.Role.BEAUTICIAN, ())),
        front_desk=tuple(by_role.get(Staff.Role.FRONT_DESK, ())),
        managers=tuple(by_role.get(Staff.Role.MANAGER, ())),
    )


def _facts(store: Store, today: dt.date):
    """Plain facts about every customer of the store, streamed from one query."""
    start_of_day = dt.datetime.combine(today, dt.time.min, store.tzinfo)
    booked_ahead = set(
        Appointment.objects.filter(
            store=store, status=Appointment.Status.BOOKED, starts_at__gte=start_of_day
        ).values_list("customer_id", flat=True)
    )
    rows = Customer.objects.filter(store=store).values_list(
        "pk", "last_visit_on", "joined_on", "bucket", "months_away", "assignee_id", "dormant_since",
        "last_beautician_id", "do_not_contact", "is_archived",
    )  # fmt: skip
    for pk, last_visit, joined, bucket, months, assignee, spell, served_by, dnc, archived in rows.iterator(5000):
        yield CustomerFacts(
            customer_id=pk,
            last_seen_on=last_visit or joined,
            contactable=is_contactable(do_not_contact=dnc, archived=archived, has_future_booking=pk in booked_ahead),
            last_served_by=served_by,
            state=CustomerState(bucket, months, assignee, spell),
        )


def _write(store: Store, today: dt.date, run: SegmentRun, plan: NightPlan) -> None:
    write_customer_states(plan.changes)
    AssignmentChange.objects.bulk_create(
        [
            AssignmentChange(
                store=store,
                customer_id=change.customer_id,
                changed_on=today,
                from_staff_id=change.before.assignee,
                to_staff_id=change.after.assignee,
                cause=change.cause,
                run=run,
            )
            for change in plan.assignee_changes
        ],
        batch_size=2000,
    )
    SegmentCount.objects.bulk_create(
        [
            SegmentCount(run=run, bucket=b, assignee_id=a, customers=n)
            for (b, a), n in sorted(plan.counts.items(), key=str)
        ]
    )
    run.status = SegmentRun.Status.DONE
    run.customers_changed = len(plan.changes)
    run.assignees_changed = len(plan.assignee_changes)
    run.unassigned = plan.unassigned
    run.finished_at = timezone.now()
    run.error = ""
    run.save()
