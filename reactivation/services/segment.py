"""The nightly job: classify one store's customers for one date and give every dormant one a person.

One transaction per store. The store's `SegmentRun` row for the date is locked first and
marked done in the same transaction as the work, so a rerun for the same date — or a second
worker running at the same moment — waits, finds the run done, and changes nothing. Only
customers whose state changes are written, with set-based SQL (see `bulk_writes`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from customers.models import ImportBatch, Staff, Store, Visit
from customers.services.last_visits import customers_refresh_last_visits
from customers.visit_hooks import visits_saved

from ..assignment import Staffing
from ..classification import (
    LONG_LOST_AFTER_MONTHS,
    LOST_AFTER_MONTHS,
    NightPlan,
    crowded_staff,
    plan_night,
)
from ..models import SegmentRun
from ..selectors.night import Tally, assignees_facts, tally_key, tonight
from .bulk_writes import write_assignment_changes, write_customer_states, write_run_done

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


def segment_store(*, store: Store, today: dt.date, replan: bool = False) -> SegmentResult:
    """Run the nightly classification and assignment of `store` for `today` (the store's local date).

    A run already done for `today` is left alone, unless the manager asks to `replan` today's lists
    (after changing which buckets the beauticians call, say): then it runs again, by the same rules,
    and today's snapshot is replaced.
    """
    try:
        with transaction.atomic():
            run = _lock_run(store, today)
            if run.status == SegmentRun.Status.DONE and not replan:
                return SegmentResult(store, today, "skipped", run)
            if run.status == SegmentRun.Status.DONE:  # replanned: today's snapshot is replaced
                run.counts.all().delete()
            staffing, newest, up_to = _night_start(store)
            run.visits_up_to = _catch_up_visits(store, newest, up_to)
            plan = _plan(store, today, staffing)
            _write(store, today, run, plan)
    except Exception as error:
        logger.exception("segmentation of store %s for %s failed", store.code, today)
        _record_failure(store, today, error)
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


def _commit_without_waiting_for_disk() -> str:
    """A crash in the moments after COMMIT can only lose a run that is then simply run again,
    so a chain's hundreds of stores need not each wait for the disk (PostgreSQL only)."""
    return "SET LOCAL synchronous_commit = off; " if connection.vendor == "postgresql" else ""


def _lock_run(store: Store, today: dt.date) -> SegmentRun:
    """The store's run row for the date, created if missing and locked until this transaction ends.

    One statement: the insert that finds the row already there updates it to itself, which locks
    it. A second run inserting the same row waits for the first one's transaction (the unique
    constraint), then locks the row; by then the run is done.
    """
    table, fields = SegmentRun._meta.db_table, [f for f in SegmentRun._meta.concrete_fields if not f.primary_key]
    fresh = SegmentRun(store=store, run_date=today, started_at=timezone.now())
    values = [f.get_db_prep_save(getattr(fresh, f.attname), connection) for f in fields]
    columns = ", ".join(f.column for f in SegmentRun._meta.concrete_fields)
    sql = f"""{_commit_without_waiting_for_disk()}
              INSERT INTO {table} ({", ".join(f.column for f in fields)}) VALUES ({", ".join(["%s"] * len(fields))})
              ON CONFLICT (store_id, run_date) DO UPDATE SET status = {table}.status
              RETURNING {columns}"""
    (run,) = SegmentRun.objects.raw(sql, values)
    return run


def _record_failure(store: Store, today: dt.date, error: Exception) -> None:
    """The run rolled back; say so on its row (in a transaction of its own) for the dashboard and a retry."""
    message = f"{type(error).__name__}: {error}"[:2000]
    with transaction.atomic():
        run = _lock_run(store, today)
        if run.status != SegmentRun.Status.DONE:
            run.status, run.error, run.finished_at = SegmentRun.Status.FAILED, message, timezone.now()
            run.save(update_fields=["status", "error", "finished_at"])


def _catch_up_visits(store: Store, newest: int, up_to: int | None) -> int:
    """Make sure every visit saved since the last run has reached her last visit date.

    Visits saved through the product were announced at once (`visits_saved`); this is the safety
    net for any written another way (a script, a database console). The visits an import wrote
    were announced by the import itself, and their ids are in its history entry: they are not
    read again, however many there are. `newest` is the highest visit id, `up_to` the highest the
    store's last run took into account; returns the highest now taken into account, for the next
    run to start from.
    """
    unread = _not_imported(up_to or 0, newest) if newest > (up_to or 0) else None
    if not unread:
        return newest
    late = Visit.objects.filter(unread, store=store)
    if up_to is None:
        # The store's first night: nobody is dormant yet, so there is no return to record.
        customers_refresh_last_visits(customer_ids=sorted(set(late.values_list("customer_id", flat=True))))
    else:
        visits_saved(store=store, visits=list(late))
    return newest


def _not_imported(after: int, newest: int) -> Q | None:
    """Visit ids in (after, newest] that no finished import wrote, as ranges of ids; None when none."""
    written = ImportBatch.objects.filter(
        status=ImportBatch.Status.IMPORTED, visits_last_id__gt=after, visits_first_id__lte=newest
    ).values_list("visits_first_id", "visits_last_id")
    gaps, start = [], after + 1
    for first, last in sorted((f, w) for f, w in written if f is not None and w is not None):
        if first > start:
            gaps.append((start, first - 1))
        start = max(start, last + 1)
    if start <= newest:
        gaps.append((start, newest))
    if not gaps:
        return None
    unread = Q()
    for low, high in gaps:
        unread |= Q(pk__range=(low, high))
    return unread


def _night_start(store: Store) -> tuple[Staffing, int, int | None]:
    """The store's active staff, the highest visit id, and the highest the store's last run took
    into account: one round trip, as this runs for every store every night."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT m.newest, m.up_to, s.id, s.role
                  FROM (SELECT (SELECT max(id) FROM {Visit._meta.db_table}) AS newest,
                               (SELECT max(visits_up_to) FROM {SegmentRun._meta.db_table}
                                 WHERE store_id = %s AND status = %s) AS up_to) AS m
                  LEFT JOIN {Staff._meta.db_table} s ON s.store_id = %s AND s.is_active
                 ORDER BY s.id""",
            [store.pk, SegmentRun.Status.DONE, store.pk],
        )
        rows = cursor.fetchall()
    by_role: dict[str, list[int]] = {}
    for _newest, _up_to, pk, role in rows:
        if pk is not None:
            by_role.setdefault(role, []).append(pk)
    staffing = Staffing(
        beauticians=tuple(by_role.get(Staff.Role.BEAUTICIAN, ())),
        front_desk=tuple(by_role.get(Staff.Role.FRONT_DESK, ())),
        managers=tuple(by_role.get(Staff.Role.MANAGER, ())),
    )
    return staffing, rows[0][0] or 0, rows[0][1]


def _plan(store: Store, today: dt.date, staffing: Staffing) -> NightPlan:
    """Tonight's plan, from the facts of the customers whose state may change (`selectors.night`).

    Everyone else keeps her state: she is counted in the snapshot and in her assignee's load. Should
    someone keep more than her share, all her customers are read, for the rules to pick who moves."""
    buckets = store.beautician_buckets
    facts, tally = tonight(store=store, today=today, staffing=staffing, beautician_buckets=buckets)
    rest = tally - Counter(tally_key(f.state) for f in facts)
    crowd = crowded_staff(facts, staffing=staffing, beautician_buckets=buckets, today=today, held=_loads(rest))
    if crowd:
        read = {f.customer_id for f in facts}
        more = [f for f in assignees_facts(store=store, today=today, staff_ids=crowd) if f.customer_id not in read]
        facts += more
        rest -= Counter(tally_key(f.state) for f in more)
    plan = plan_night(facts, staffing=staffing, beautician_buckets=buckets, today=today, held=_loads(rest))
    for (bucket, assignee, months), n in rest.items():
        plan.counts[(bucket, assignee)] += n
        plan.away_6_plus += n if months >= LOST_AFTER_MONTHS else 0
        plan.away_12_plus += n if months >= LONG_LOST_AFTER_MONTHS else 0
    return plan


def _loads(tally: Tally) -> Counter[int]:
    loads: Counter[int] = Counter()
    for (_bucket, assignee, _months), n in tally.items():
        if assignee is not None:
            loads[assignee] += n
    return loads


def _write(store: Store, today: dt.date, run: SegmentRun, plan: NightPlan) -> None:
    assignee_changes = plan.assignee_changes
    write_customer_states(plan.changes)
    write_assignment_changes(assignee_changes, run=run, day=today)
    run.status = SegmentRun.Status.DONE
    run.customers_changed = len(plan.changes)
    run.assignees_changed = len(assignee_changes)
    run.unassigned = plan.unassigned
    run.away_6_plus, run.away_12_plus = plan.away_6_plus, plan.away_12_plus
    run.finished_at = timezone.now()
    run.error = ""
    write_run_done(
        run,
        counts=sorted(plan.counts.items(), key=str),
        fields=[
            "status", "customers_changed", "assignees_changed", "unassigned", "finished_at", "error", "visits_up_to",
            "away_6_plus", "away_12_plus",
        ],
    )  # fmt: skip
