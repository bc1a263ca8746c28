"""Twelve weeks of the demo salon's past, so the manager's pages have real numbers on first sign-in:
a nightly snapshot for every night (the trend), and the returns of the last four months with the
contact that brought each one back (the funnel, the reasons month on month, the rewards).

Derived from the demo's own visits: a visit that ends a gap of a month or more is a return.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections import Counter, defaultdict
from itertools import pairwise

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from customers.models import Customer, Staff, Store, Visit

from .classification import LONG_LOST_AFTER_MONTHS, LOST_AFTER_MONTHS
from .models import CustomerReturn, FollowUp, FollowUpReason, SegmentCount, SegmentRun
from .outcomes import Outcome
from .reasons import Reason
from .segmentation import bucket_for, months_since
from .services.follow_ups import latest_contacts_refresh

HISTORY_DAYS = 84  # twelve weeks of nightly snapshots
RETURNS_SINCE_DAYS = 120
CREDITED_SHARE = 0.75  # the other returns came back by themselves
_WHY = [
    ([Reason.BUSY], "最近忙，约了周末来"),
    ([Reason.UNUSED_BALANCE], "提醒卡里还有余额，答应来做护理"),
    ([Reason.PRICE], "介绍了本月的小套餐，愿意试试"),
    ([Reason.INCONVENIENT], "搬家了，约了离地铁近的时段"),
    ([Reason.NO_CONTACT], "好久没联系，聊了聊近况，约了时间"),
    ([Reason.SERVICE], "道歉并换了美容师，愿意再来一次"),
]


def demo_history_prepare(*, store: Store, today: dt.date, seed: int = 1) -> None:
    """Write the snapshots of the twelve weeks before `today` and the returns of the last four months."""
    rng = random.Random(seed)
    visits = _visit_days(store)
    with transaction.atomic():
        _snapshots(store, today, visits)
        _returns(store, today, visits, rng)
        latest_contacts_refresh(Customer.objects.filter(store=store))


def _visit_days(store: Store) -> dict[int, list[tuple[dt.date, int]]]:
    """Each customer's (day, first visit id of the day), in order."""
    days: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    rows = Visit.objects.filter(store=store).values_list("customer_id", "visited_on").annotate(first=Min("id"))
    for customer_id, day, first in rows.order_by("customer_id", "visited_on"):
        days[customer_id].append((day, first))
    return days


def _snapshots(store: Store, today: dt.date, visits: dict[int, list[tuple[dt.date, int]]]) -> None:
    joined = dict(Customer.objects.filter(store=store).values_list("pk", "joined_on"))
    newest = Visit.objects.filter(store=store).aggregate(newest=Max("pk"))["newest"] or 0
    day_lists = {customer_id: [d for d, _id in visits.get(customer_id, [])] for customer_id in joined}
    runs, counts = [], []
    for back in range(HISTORY_DAYS, 0, -1):
        night = today - dt.timedelta(days=back)
        per_bucket: Counter[str] = Counter()
        six = twelve = 0
        for customer_id, joined_on in joined.items():
            days = day_lists[customer_id]
            seen = bisect.bisect_right(days, night)
            last = days[seen - 1] if seen else joined_on
            if last <= night:
                months = months_since(last, night)
                per_bucket[bucket_for(months)] += 1
                six, twelve = six + (months >= LOST_AFTER_MONTHS), twelve + (months >= LONG_LOST_AFTER_MONTHS)
        run = SegmentRun(
            store=store, run_date=night, status=SegmentRun.Status.DONE, finished_at=timezone.now(), visits_up_to=newest,
            away_6_plus=six, away_12_plus=twelve,
        )  # fmt: skip
        runs.append(run)
        counts.append(per_bucket)
    SegmentRun.objects.filter(store=store, run_date__lt=today).delete()
    SegmentRun.objects.bulk_create(runs)
    saved = dict(SegmentRun.objects.filter(store=store, run_date__lt=today).values_list("run_date", "pk"))
    SegmentCount.objects.bulk_create(
        [
            SegmentCount(run_id=saved[run.run_date], bucket=bucket, customers=n)
            for run, per_bucket in zip(runs, counts, strict=True)
            for bucket, n in sorted(per_bucket.items())
        ]
    )


def _returns(store: Store, today: dt.date, visits: dict[int, list[tuple[dt.date, int]]], rng: random.Random) -> None:
    beauticians = list(Staff.objects.filter(store=store, role=Staff.Role.BEAUTICIAN, is_active=True).order_by("pk"))
    front_desk = list(Staff.objects.filter(store=store, role=Staff.Role.FRONT_DESK, is_active=True).order_by("pk"))
    if not beauticians or not front_desk:
        return
    since = today - dt.timedelta(days=RETURNS_SINCE_DAYS)
    zone = store.tzinfo
    for customer_id, days in sorted(visits.items()):
        for (previous, _p), (day, visit_id) in pairwise(days):
            months = months_since(previous, day)
            if not (since <= day < today and months >= 1):
                continue
            follow_up = None
            if rng.random() < CREDITED_SHARE:
                caller = rng.choice(beauticians if months <= 2 else front_desk)
                heard, note = rng.choice(_WHY)
                called_on = day - dt.timedelta(days=rng.randint(1, 12))
                moment = dt.datetime.combine(called_on, dt.time(rng.randint(10, 19), rng.choice([0, 15, 30, 45])), zone)
                follow_up = FollowUp.objects.create(
                    store=store, customer_id=customer_id, by=caller, contacted_at=moment, outcome=Outcome.BOOKED,
                    notes=note,
                )  # fmt: skip
                FollowUpReason.objects.bulk_create(
                    [FollowUpReason(follow_up=follow_up, store=store, reason=r) for r in heard]
                )
            CustomerReturn.objects.create(
                store=store, customer_id=customer_id, visit_id=visit_id, returned_on=day,
                dormant_since=previous + relativedelta(months=1), bucket=bucket_for(months), months_away=months,
                credited_to=follow_up.by if follow_up else None, follow_up=follow_up,
            )  # fmt: skip
