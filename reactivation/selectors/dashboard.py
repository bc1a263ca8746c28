"""The store manager's picture: who is dormant, who is calling them, why they left, who came back."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from customers.buckets import DORMANT_BUCKETS, Bucket
from customers.models import Customer, Staff, Store

from ..models import SegmentCount, SegmentRun
from ..rewards import ZERO
from ..segmentation import run_is_stale
from .calls import not_contactable
from .results import (
    FunnelStep,
    Liability,
    Months,
    ReasonRow,
    StaffResults,
    dormant_liability,
    funnel,
    staff_behind,
    staff_results,
    top_reasons,
    yuan,
)
from .returns import ReturnRevenue, return_figures

# Twelve weeks of nights: they always cover the first night of last month, the funnel's "before".
TREND_WEEKS = 12


@dataclass
class AssigneeRow:
    staff: Staff | None
    by_bucket: dict[str, int] = field(default_factory=dict)
    results: StaffResults = field(default_factory=StaffResults)

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
    top_reasons: list[ReasonRow]
    returns_this_month: int
    returns_on_their_own: int  # of those, back with no contact credited (the per-person rows count the others)
    trend: dict
    months: Months
    funnel: list[FunnelStep]
    liability: Liability
    revenue: ReturnRevenue
    behind: list[Staff]
    long_gone: dict[str, int]  # of the 3+ months: 6 months and more (流失), 12 months and more

    @property
    def idle(self) -> list[Staff]:
        """Active callers with nobody to call."""
        return [row.staff for row in self.rows if row.staff is not None and row.staff.is_active and not row.total]

    @property
    def trend_rows(self) -> list[tuple[str, list[int]]]:
        """The trend chart as a table: (night, dormant customers per bucket, then 6+ and 12+ months away)."""
        series = self.trend["series"] + self.trend["split"]
        return [(day, [s["values"][i] for s in series]) for i, day in enumerate(self.trend["days"])]

    @property
    def trend_table_body(self) -> SafeString:
        """`trend_rows` as the table's rows, in one pass: twelve weeks of nights are some six hundred cells,
        the page's largest loop, and the template language would spend more on them than all the rest."""
        cell = '<td class="text-end">{}</td>'
        rows = (
            (day, mark_safe("".join(cell.format(int(v)) for v in values)))  # whole numbers only: nothing to escape
            for day, values in self.trend_rows
        )
        return format_html_join("", "<tr><td>{}</td>{}</tr>", rows)

    @property
    def charts(self) -> dict:
        """The charts' data as plain JSON (the tables beside them show the same figures)."""
        return {
            "trend": self.trend,
            "funnel": {
                "labels": [str(s.label) for s in self.funnel],
                "now": [s.now for s in self.funnel],
                "before": [s.before or 0 for s in self.funnel],
            },
            "reasons": {
                "labels": [str(r.label) for r in self.top_reasons],
                "values": [r.now for r in self.top_reasons],
            },
            "liability": {
                "labels": [str(label) for _b, label, _y, _s in self.liability.rows()],
                "yuan": [float(y) for _b, _l, y, _s in self.liability.rows()],
            },
        }

    @property
    def dormant(self) -> int:
        return sum(self.buckets.get(b, 0) for b in DORMANT_BUCKETS)


def store_dashboard(store: Store, today: dt.date) -> Dashboard:
    """The whole picture in a fixed number of queries (about ten; two more just after the store's reward-sheet stamp
    changed, when the came-back figures are read afresh), whatever the size of the store."""
    run = SegmentRun.objects.filter(store=store).order_by("-run_date").first()
    last_done = run if run is not None and run.status == SegmentRun.Status.DONE else _last_done(store)
    tally = CustomerTally.of(store, today)
    rows = _assignee_rows(store, tally)
    months = Months.of(store, today)
    back = return_figures(store, months)
    results = staff_results(store, months, back.now, tally.waiting)
    for row in rows:
        if row.staff is not None:
            row.results = results.get(row.staff.pk) or StaffResults()
    trend, nightly_dormant = _trend(store, since=today - dt.timedelta(weeks=TREND_WEEKS))
    return Dashboard(
        store=store,
        today=today,
        run=run,
        run_is_stale=run_is_stale(last_done.run_date if last_done else None, today),
        buckets=tally.buckets,
        rows=rows,
        unassigned=run.unassigned if run is not None and run.status == SegmentRun.Status.DONE else 0,
        escalated=tally.escalated,
        top_reasons=top_reasons(store, months),
        returns_this_month=back.now.returned,
        returns_on_their_own=back.now.on_their_own,
        trend=trend,
        months=months,
        funnel=funnel(store, months, back, nightly_dormant, tally.dormant),
        liability=dormant_liability(store, today, {b: tally.prepaid[b] for b in DORMANT_BUCKETS if b in tally.prepaid}),
        revenue=back.revenue,
        behind=staff_behind(rows, results, store, today),
        long_gone=tally.long_gone,
    )


def _last_done(store: Store) -> SegmentRun | None:
    return SegmentRun.objects.filter(store=store, status=SegmentRun.Status.DONE).order_by("-run_date").first()


@dataclass
class CustomerTally:
    """The store's customers as they stand, from one GROUP BY (bucket, assignee) over their rows, which the
    covering index `customer_store_tally` answers without reading the table: how many per bucket, the
    dormant ones per assignee, and among them the follow-ups overdue, the escalated, the long gone and
    what their cards hold (the customers' `prepaid_*` copies, which the card ledger keeps)."""

    buckets: dict[str, int] = field(default_factory=dict)
    per_staff: dict[int | None, dict[str, int]] = field(default_factory=dict)
    waiting: dict[int, tuple[int, int]] = field(default_factory=dict)  # assignee: (overdue, escalated)
    escalated: int = 0
    long_gone: dict[str, int] = field(default_factory=dict)
    prepaid: dict[str, tuple[Decimal, int]] = field(default_factory=dict)  # bucket: (yuan, sessions) held

    @classmethod
    def of(cls, store: Store, today: dt.date) -> CustomerTally:
        rows = (
            Customer.objects.filter(store=store)
            .values_list("bucket", "assignee")
            .annotate(
                n=Count("*"),
                overdue=Count("id", filter=Q(next_follow_up_on__lt=today)),
                escalated=Count("id", filter=Q(escalated_on__isnull=False)),
                six=Count("id", filter=Q(months_away__gte=6)),
                twelve=Count("id", filter=Q(months_away__gte=12)),
                yuan=Sum("prepaid_yuan"),
                sessions=Sum("prepaid_sessions"),
            )
            .order_by()
        )
        buckets: dict[str, int] = defaultdict(int)
        per_staff: dict[int | None, dict[str, int]] = defaultdict(dict)
        waiting: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
        long_gone = {"six": 0, "twelve": 0}
        escalated_in_store = 0
        prepaid: dict[str, tuple[Decimal, int]] = defaultdict(lambda: (ZERO, 0))
        for bucket, assignee, n, overdue, escalated, six, twelve, money, sessions in rows:
            buckets[bucket] += n
            prepaid[bucket] = (prepaid[bucket][0] + yuan(money), prepaid[bucket][1] + (sessions or 0))
            escalated_in_store += escalated
            if bucket != Bucket.ACTIVE:
                per_staff[assignee][bucket] = n
            if assignee is not None:
                waiting[assignee] = (waiting[assignee][0] + overdue, waiting[assignee][1] + escalated)
            if bucket == Bucket.M3PLUS:
                long_gone["six"] += six
                long_gone["twelve"] += twelve
        _not_to_call_today(per_staff, store, today)
        return cls(dict(buckets), dict(per_staff), dict(waiting), escalated_in_store, long_gone, dict(prepaid))

    @property
    def dormant(self) -> int:
        return sum(self.buckets.get(b, 0) for b in DORMANT_BUCKETS)


def _not_to_call_today(per_staff: dict[int | None, dict[str, int]], store: Store, today: dt.date) -> None:
    """Customers still assigned whom nobody is to call today (booked during the day, say) leave their caller's
    cells for the row of those nobody calls, as they have left her list (`not_contactable`): each cell counts
    what the list it links to shows. Tonight's run takes their assignee away too."""
    assigned = Customer.objects.filter(store=store, assignee__isnull=False).exclude(bucket=Bucket.ACTIVE)
    rows = not_contactable(assigned, store=store, today=today).values_list("bucket", "assignee").annotate(n=Count("*"))
    for bucket, assignee, n in rows.order_by():
        cells = per_staff[assignee]
        cells[bucket] -= n
        if not cells[bucket]:
            del cells[bucket]
        per_staff[None][bucket] = per_staff[None].get(bucket, 0) + n


def _assignee_rows(store: Store, tally: CustomerTally) -> list[AssigneeRow]:
    """The dormant customers per assignee, every active caller included.

    The last row (no staff) holds the dormant customers nobody calls: do-not-contact,
    booked already, or nobody available."""
    per_staff = tally.per_staff
    callers = Staff.objects.filter(store=store, is_active=True, role__in=[Staff.Role.BEAUTICIAN, Staff.Role.FRONT_DESK])
    holders = Staff.objects.filter(pk__in=[pk for pk in per_staff if pk is not None])
    people = {person.pk: person for person in callers | holders}
    ordered = sorted(people.values(), key=lambda p: (p.role != Staff.Role.BEAUTICIAN, p.role, p.username))
    rows = [AssigneeRow(person, per_staff.get(person.pk, {})) for person in ordered]
    if per_staff.get(None):
        rows.append(AssigneeRow(None, per_staff[None]))
    return rows


def _trend(store: Store, since: dt.date) -> tuple[dict, dict[dt.date, int]]:
    """Dormant customers per bucket after each nightly run since `since`: the chart's data, as plain JSON,
    and the dormant total of each night (the funnel's count at the start of a month)."""
    rows = (
        SegmentCount.objects.filter(run__store=store, run__run_date__gte=since, run__status=SegmentRun.Status.DONE)
        .values_list("run__run_date", "bucket")
        .annotate(total=Sum("customers"))
        .order_by("run__run_date")
    )
    per_day: dict[str, dict[str, int]] = defaultdict(dict)
    nightly_dormant: dict[dt.date, int] = defaultdict(int)
    for day, bucket, total in rows:
        per_day[day.isoformat()][bucket] = total
        if bucket in DORMANT_BUCKETS:
            nightly_dormant[day] += total
    days = sorted(per_day)
    runs = SegmentRun.objects.filter(store=store, run_date__gte=since, status=SegmentRun.Status.DONE)
    split = {
        run_date.isoformat(): (six, twelve)
        for run_date, six, twelve in runs.values_list("run_date", "away_6_plus", "away_12_plus")
    }
    chart = {
        "days": days,
        "series": [
            {"bucket": b, "label": str(Bucket(b).label), "values": [per_day[d].get(b, 0) for d in days]}
            for b in DORMANT_BUCKETS
        ],
        # Parts of "more than 3 months away", drawn as lines over the stacked buckets (not added to them).
        "split": [
            {"key": "m6plus", "label": str(_("6+ months (lost)")), "values": [split.get(d, (0, 0))[0] for d in days]},
            {"key": "m12plus", "label": str(_("12+ months")), "values": [split.get(d, (0, 0))[1] for d in days]},
        ],
    }
    return chart, dict(nightly_dormant)
