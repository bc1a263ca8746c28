"""The classification rules of DESIGN §4.1–4.2 as pure functions of plain values.

Nothing here reads the clock or the database: `today` is always an argument.
The nightly job's set-based SQL must agree with these functions on every case;
the tests run both on the same data.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections.abc import Collection

from dateutil.relativedelta import relativedelta

from customers.buckets import DORMANT_BUCKETS, Bucket, BucketGroup


def months_since(last: dt.date, today: dt.date) -> int:
    """Whole calendar months from `last` to `today`.

    The largest n such that `last` plus n months (the day clamped to the end of
    a shorter month) is on or before `today`: Jan 31 → Feb 28 is 1 month,
    Jan 31 → Mar 30 is 1, Oct 23 → Nov 22 is 0, Oct 23 → Nov 23 is 1.
    A `last` after `today` (a visit dated ahead by mistake) counts as 0.
    """
    if last >= today:
        return 0
    months = (today.year - last.year) * 12 + today.month - last.month
    # `last` + months lands in today's month, on her day clamped to its length; not yet reached?
    if min(last.day, monthrange(today.year, today.month)[1]) > today.day:
        months -= 1
    return months


def dormant_spell_start(last_seen_on: dt.date) -> dt.date:
    """The day a customer became dormant: one month (clamped) after she was last seen."""
    return last_seen_on + relativedelta(months=1)


def bucket_for(months: int) -> Bucket:
    """0 → active, 1 → m1, 2 → m2, 3 → m3, 4 and more → m3plus."""
    if months <= 0:
        return Bucket.ACTIVE
    if months == 1:
        return Bucket.M1
    if months == 2:
        return Bucket.M2
    if months == 3:
        return Bucket.M3
    return Bucket.M3PLUS


def is_dormant(bucket: str) -> bool:
    return bucket in DORMANT_BUCKETS


def owner_group(bucket: str, beautician_buckets: Collection[str]) -> BucketGroup | None:
    """Who follows a bucket up: the beauticians, the front desk, or nobody (None) for active customers."""
    if not is_dormant(bucket):
        return None
    return BucketGroup.BEAUTICIAN if bucket in beautician_buckets else BucketGroup.FRONT_DESK


def is_contactable(*, do_not_contact: bool, archived: bool, has_future_booking: bool) -> bool:
    """Only these customers get an assignee: not do-not-contact, not archived, no booked visit still ahead
    (a booking counts from `bookings_hold_from`)."""
    return not (do_not_contact or archived or has_future_booking)


def bookings_hold_from(today: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """A booked appointment starting at or after this moment keeps her off every call list.

    The start of the store's day, not this moment: a customer booked for this morning is not
    called today, even once the hour has passed. The front desk marks her attended or no-show,
    and a no-show puts her back on her list.
    """
    return dt.datetime.combine(today, dt.time.min, zone)


def run_is_stale(last_done_on: dt.date | None, today: dt.date) -> bool:
    """The nightly run is missing: it has not completed for yesterday or today (or never)."""
    return last_done_on is None or (today - last_done_on).days > 1
