"""What the routine brought in, month by month, for the dashboard: per person, the funnel, the reasons,
the prepaid money held by dormant customers, and what needs the manager (the returns themselves, and the
revenue from them, are read in `returns`).

Every function takes a fixed number of queries, whatever the size of the store. Months are the
store's local calendar months; contacts are counted by the moment they were logged, in the
store's time zone (a call at 23:30 on the 31st belongs to that month).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from customers.buckets import DORMANT_BUCKETS, Bucket
from customers.models import Card, Staff, Store

from ..models import FollowUp, FollowUpReason
from ..outcomes import REACHED_OUTCOMES, Outcome
from ..reasons import Reason
from ..rewards import ZERO, month_bounds
from .rewards import month_moments

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from .returns import MonthReturns, ReturnFigures

FUNNEL_STEPS = ("dormant", "contacted", "reached", "booked", "returned", "activated")
# The step each step's customers come from, its conversion's base. She may come back after a call without
# a booking (she walks in the next day), so coming back is counted against those contacted, not those booked.
FUNNEL_BASE = {
    "contacted": "dormant", "reached": "contacted", "booked": "reached", "returned": "contacted",
    "activated": "returned",
}  # fmt: skip


@dataclass(frozen=True)
class Months:
    """This month (so far) and last month, as dates and as moments in the store's time zone."""

    first: dt.date
    last: dt.date
    previous_first: dt.date
    previous_last: dt.date
    start: dt.datetime
    end: dt.datetime
    previous_start: dt.datetime
    week_start: dt.datetime

    @classmethod
    def of(cls, store: Store, today: dt.date) -> Months:
        first, last = month_bounds(today)
        previous_first, previous_last = month_bounds(first - dt.timedelta(days=1))
        start, end = month_moments(store, first, last)
        previous_start, _end = month_moments(store, previous_first, previous_last)
        monday = today - dt.timedelta(days=today.weekday())
        week_start = dt.datetime.combine(monday, dt.time.min, store.tzinfo)
        return cls(first, last, previous_first, previous_last, start, end, previous_start, week_start)


def yuan(amount: Decimal | None) -> Decimal:
    """A sum from the database as yuan with two places (SQLite drops them)."""
    return (amount or ZERO).quantize(Decimal("0.01"))


# --- per person ---------------------------------------------------------------------


@dataclass
class StaffResults:
    contacts_this_week: int = 0
    contacted_this_week: int = 0
    reached: int = 0
    booked: int = 0
    returned: int = 0
    activated: int = 0
    overdue: int = 0
    escalated: int = 0


def staff_results(
    store: Store, months: Months, back: MonthReturns, waiting: dict[int, tuple[int, int]]
) -> dict[int, StaffResults]:
    """Per staff id: contacts this week, reached / booked this month, returned / activated this month (from
    `back`, this month's returns), and (from `waiting`, the assignees' customers as they stand) follow-ups
    overdue and escalations. One query."""
    results: dict[int, StaffResults] = defaultdict(StaffResults)
    this_week = Q(contacted_at__gte=months.week_start)
    this_month = Q(contacted_at__gte=months.start, contacted_at__lt=months.end)
    rows = (
        FollowUp.objects.filter(store=store, contacted_at__gte=min(months.week_start, months.start))
        .values_list("by")
        .annotate(
            week=Count("id", filter=this_week),
            week_customers=Count("customer", distinct=True, filter=this_week),
            reached=Count("customer", distinct=True, filter=this_month & Q(outcome__in=REACHED_OUTCOMES)),
            booked=Count("customer", distinct=True, filter=this_month & Q(outcome=Outcome.BOOKED)),
        )
        .order_by()
    )
    for by, week, week_customers, reached, booked in rows:
        r = results[by]
        r.contacts_this_week, r.contacted_this_week, r.reached, r.booked = week, week_customers, reached, booked
    for by, n in back.returned_by.items():
        results[by].returned = n
    for by, n in back.activated_by.items():
        results[by].activated = n
    for by, (overdue, escalated) in waiting.items():
        results[by].overdue, results[by].escalated = overdue, escalated
    return results


# --- the funnel -----------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelStep:
    step: str
    label: StrOrPromise
    now: int
    before: int | None  # None: last month's dormant count is unknown (no nightly snapshot then)
    conversion: int | None  # percent of its base step (FUNNEL_BASE), this month
    conversion_before: int | None
    base_label: StrOrPromise = ""  # the base, when it is not the step just above


def _percent(part: int | None, whole: int | None) -> int | None:
    return round(100 * part / whole) if whole and part is not None else None


def funnel(
    store: Store, months: Months, back: ReturnFigures, nightly_dormant: dict[dt.date, int], dormant_today: int
) -> list[FunnelStep]:
    """Dormant → contacted → reached → booked → came back → activated, this month and last month.

    Coming back and activation count the returns a contact is credited with (DESIGN §4.6): what the
    routine brought back, the per-person rows' sum; a customer who came back on her own is in the
    month's came-back tile, not in the funnel, where she would make a step larger than the one it
    comes from. The dormant count of a month is its first nightly snapshot's (`nightly_dormant`: dormant customers
    after each night's run, covering both months); this month without a run yet, the count as it stands."""
    dormant_now = _first_night(nightly_dormant, months.first, months.last)
    contacts = _contacts_in(store, months)
    now: dict[str, int | None] = {
        "dormant": dormant_today if dormant_now is None else dormant_now,
        **{step: contacts[f"{step}_now"] for step in ("contacted", "reached", "booked")},
    }
    before: dict[str, int | None] = {
        "dormant": _first_night(nightly_dormant, months.previous_first, months.previous_last),
        **{step: contacts[f"{step}_before"] for step in ("contacted", "reached", "booked")},
    }
    for counts, month in ((now, back.now), (before, back.before)):  # credited to a contact: the rows' sums
        counts["returned"] = sum(month.returned_by.values())
        counts["activated"] = sum(month.activated_by.values())
    labels = {
        "dormant": _("Dormant"), "contacted": _("Contacted"), "reached": _("Reached"), "booked": _("Booked"),
        "returned": _("Came back after a contact"), "activated": _("Activated"),
    }  # fmt: skip
    steps = []
    for i, step in enumerate(FUNNEL_STEPS):
        base = FUNNEL_BASE.get(step)
        steps.append(
            FunnelStep(
                step, labels[step], now[step] or 0, before[step],
                _percent(now[step], now[base]) if base else None,
                _percent(before[step], before[base]) if base else None,
                _("of %(step)s") % {"step": labels[base]} if base and base != FUNNEL_STEPS[i - 1] else "",
            )
        )  # fmt: skip
    return steps


def _contacts_in(store: Store, months: Months) -> dict[str, int]:
    """Customers contacted, reached and booked this month (`…_now`) and last month (`…_before`): one query."""
    counts = {}
    for suffix, start, end in (("now", months.start, months.end), ("before", months.previous_start, months.start)):
        in_month = Q(contacted_at__gte=start, contacted_at__lt=end)
        counts[f"contacted_{suffix}"] = Count("customer", distinct=True, filter=in_month)
        counts[f"reached_{suffix}"] = Count(
            "customer", distinct=True, filter=in_month & Q(outcome__in=REACHED_OUTCOMES)
        )
        counts[f"booked_{suffix}"] = Count("customer", distinct=True, filter=in_month & Q(outcome=Outcome.BOOKED))
    return FollowUp.objects.filter(
        store=store, contacted_at__gte=months.previous_start, contacted_at__lt=months.end
    ).aggregate(**counts)


def _first_night(nightly_dormant: dict[dt.date, int], first: dt.date, last: dt.date) -> int | None:
    """Dormant customers at the start of the month: the month's first nightly snapshot (None without one)."""
    nights = sorted(day for day in nightly_dormant if first <= day <= last)
    return nightly_dormant[nights[0]] if nights else None


# --- reasons ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReasonRow:
    reason: str
    label: StrOrPromise
    now: int
    share: int  # percent of all reasons heard this month
    before: int
    share_before: int

    @property
    def change(self) -> int:
        return self.now - self.before


def top_reasons(store: Store, months: Months, limit: int = 5) -> list[ReasonRow]:
    """The five reasons heard most this month, with their share and last month's (the staff meeting's list)."""
    this_month = Q(follow_up__contacted_at__gte=months.start, follow_up__contacted_at__lt=months.end)
    last_month = Q(follow_up__contacted_at__gte=months.previous_start, follow_up__contacted_at__lt=months.start)
    # Filtered on the contact's store too, so the database walks the store's contacts of the two months
    # (follow_up_store_tally) and picks their reasons, instead of reading every reason the store ever heard.
    rows = list(
        FollowUpReason.objects.filter(store=store, follow_up__store=store)
        .filter(follow_up__contacted_at__gte=months.previous_start, follow_up__contacted_at__lt=months.end)
        .values_list("reason")
        .annotate(now=Count("id", filter=this_month), before=Count("id", filter=last_month))
        .order_by()
    )
    total_now = sum(r[1] for r in rows)
    total_before = sum(r[2] for r in rows)
    ranked = sorted((r for r in rows if r[1]), key=lambda r: (-r[1], r[0]))[:limit]
    return [
        ReasonRow(
            code, Reason(code).label, now, _percent(now, total_now) or 0, before, _percent(before, total_before) or 0
        )
        for code, now, before in ranked
    ]


def reason_follow_ups(store: Store, reason: str, start: dt.datetime, end: dt.datetime):
    """The contacts behind a reason in a month, with their notes (for the staff meeting)."""
    return (
        FollowUpReason.objects.filter(
            store=store, reason=reason, follow_up__contacted_at__gte=start, follow_up__contacted_at__lt=end
        )
        .select_related("follow_up__customer", "follow_up__by")
        .order_by("-follow_up__contacted_at", "-id")
    )


# --- money ------------------------------------------------------------------------------


@dataclass
class Liability:
    """Prepaid money held by dormant customers (未消耗卡金): yuan and sessions per bucket, cards about to expire."""

    by_bucket: dict[str, tuple[Decimal, int]] = field(default_factory=dict)
    expiring: list[Card] = field(default_factory=list)

    @property
    def yuan(self) -> Decimal:
        return sum((v[0] for v in self.by_bucket.values()), ZERO)

    @property
    def sessions(self) -> int:
        return sum(v[1] for v in self.by_bucket.values())

    def rows(self) -> list[tuple[str, StrOrPromise, Decimal, int]]:
        """(bucket, its label, yuan, sessions) for each dormant bucket."""
        return [(b, Bucket(b).label, *self.by_bucket.get(b, (ZERO, 0))) for b in DORMANT_BUCKETS]


def dormant_liability(
    store: Store, today: dt.date, by_bucket: dict[str, tuple[Decimal, int]], days: int = 30, shown: int = 20
) -> Liability:
    """`by_bucket`: what the dormant customers' cards hold per bucket (yuan, sessions), as the customers' rows
    say (`Customer.prepaid_*`, kept by the card ledger); and the cards of dormant customers about to expire."""
    cards = Card.objects.filter(customer__store=store, customer__bucket__in=DORMANT_BUCKETS)
    left = Q(kind=Card.Kind.VALUE, balance__gt=0) | Q(kind=Card.Kind.SESSIONS, sessions_left__gt=0)
    expiring = list(
        cards.filter(left, expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=days))
        .select_related("customer__assignee")
        .order_by("expires_on", "id")[:shown]
    )
    return Liability(by_bucket, expiring)


def staff_behind(rows: list, results: dict[int, StaffResults], store: Store, today: dt.date) -> list[Staff]:
    """Callers whose contacts this week are under half the daily target times the days already gone."""
    days_gone = today.weekday()  # Monday: no full day yet this week
    expected = store.daily_contact_target * days_gone
    people = [row.staff for row in rows if row.staff is not None and row.staff.is_active and row.total]
    return [p for p in people if expected and results[p.pk].contacts_this_week * 2 < expected]
