"""One night's plan for one store, as a pure function: facts in, changes out.

The nightly service loads plain facts about every customer, asks `plan_night` what
each customer's state should be for `today`, and writes only the changes. Nothing
here touches the database or the clock.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from customers.buckets import Bucket

from .assignment import Candidate, Cause, Staffing, assign, crowded
from .segmentation import bucket_for, dormant_spell_start, months_since, owner_group

LOST_AFTER_MONTHS = 6
LONG_LOST_AFTER_MONTHS = 12


# Plain tuples: a store's night builds several of these per customer, and a chain has a million.
class CustomerState(NamedTuple):
    """What the nightly job keeps on each customer."""

    bucket: str = Bucket.ACTIVE
    months: int = 0
    assignee: int | None = None
    dormant_since: dt.date | None = None


class CustomerFacts(NamedTuple):
    customer_id: int
    last_seen_on: dt.date  # last visit, or the joining date if she never came
    contactable: bool
    last_served_by: int | None
    state: CustomerState  # before tonight


class Change(NamedTuple):
    customer_id: int
    before: CustomerState
    after: CustomerState
    cause: str | None  # set when the assignee changed


class AssigneeChange(NamedTuple):
    """A change of assignee and its cause, as the assignment history records it."""

    customer_id: int
    before: CustomerState
    after: CustomerState
    cause: str


@dataclass
class NightPlan:
    changes: list[Change] = field(default_factory=list)
    # The snapshot after tonight: customers per (bucket, assignee).
    counts: Counter[tuple[str, int | None]] = field(default_factory=Counter)
    # Contactable dormant customers nobody could take (the store has no one to call them).
    unassigned: int = 0
    # The reports' split of "more than 3 months away" (DESIGN §4.2): 6+ months (lost, 流失) and 12+ months.
    away_6_plus: int = 0
    away_12_plus: int = 0

    @property
    def assignee_changes(self) -> list[AssigneeChange]:
        return [AssigneeChange(c.customer_id, c.before, c.after, c.cause) for c in self.changes if c.cause is not None]


@lru_cache(maxsize=65536)
def classify(last_seen_on: dt.date, today: dt.date) -> CustomerState:
    """Tonight's bucket, months and dormant spell for a customer last seen on `last_seen_on`
    (the assignee comes later). Customers share a few hundred distinct dates, hence the cache."""
    months = months_since(last_seen_on, today)
    bucket = bucket_for(months)
    spell = dormant_spell_start(last_seen_on) if bucket != Bucket.ACTIVE else None
    return CustomerState(bucket, months, None, spell)


def plan_night(
    customers: Iterable[CustomerFacts],
    *,
    staffing: Staffing,
    beautician_buckets: Collection[str],
    today: dt.date,
    held: Mapping[int, int] | None = None,
) -> NightPlan:
    """Tonight's state of each of `customers`, the changes, and the snapshot of them.

    `held`: staff id → customers she keeps whom `customers` leaves out (their state cannot change
    tonight, see `crowded_staff`); they count towards her load, and towards nothing else here."""
    facts = list(customers)
    classified = [classify(f.last_seen_on, today) for f in facts]
    candidates = _candidates(facts, classified, beautician_buckets)
    assignees = assign(candidates, staffing, held)

    plan = NightPlan(unassigned=sum(1 for c in candidates if assignees[c.customer_id] is None))
    for f, c in zip(facts, classified, strict=True):
        after = CustomerState(c.bucket, c.months, assignees.get(f.customer_id), c.dormant_since)
        plan.counts[(after.bucket, after.assignee)] += 1
        plan.away_6_plus += c.months >= LOST_AFTER_MONTHS
        plan.away_12_plus += c.months >= LONG_LOST_AFTER_MONTHS
        if after != f.state:
            moved = after.assignee != f.state.assignee
            cause = assignment_cause(f, after, staffing, beautician_buckets) if moved else None
            plan.changes.append(Change(f.customer_id, f.state, after, cause))
    return plan


def crowded_staff(
    customers: Iterable[CustomerFacts],
    *,
    staffing: Staffing,
    beautician_buckets: Collection[str],
    today: dt.date,
    held: Mapping[int, int],
) -> set[int]:
    """Who keeps more than her share tonight, counting the customers she `held` outside `customers`:
    the plan needs all of hers to choose which ones move."""
    if not any(held.values()):  # nobody keeps anyone outside `customers` (a store's first night)
        return set()
    facts = list(customers)
    classified = [classify(f.last_seen_on, today) for f in facts]
    return crowded(_candidates(facts, classified, beautician_buckets), staffing, held)


def _candidates(
    facts: list[CustomerFacts], classified: list[CustomerState], beautician_buckets: Collection[str]
) -> list[Candidate]:
    """The contactable dormant customers, each with the group that calls her bucket."""
    groups = {bucket: owner_group(bucket, beautician_buckets) for bucket in Bucket.values}
    return [
        Candidate(f.customer_id, group, f.state.assignee, f.last_served_by)
        for f, c in zip(facts, classified, strict=True)
        if f.contactable and (group := groups[c.bucket]) is not None
    ]


def assignment_cause(
    facts: CustomerFacts, after: CustomerState, staffing: Staffing, beautician_buckets: Collection[str]
) -> str:
    """Why her assignee changed tonight, in the words a beautician would be told."""
    before = facts.state
    if after.assignee is None:
        if after.bucket == Bucket.ACTIVE:
            return Cause.RETURNED
        return Cause.NOT_CONTACTABLE if not facts.contactable else Cause.STAFF_LEFT
    if before.assignee is None:
        return Cause.NEWLY_DORMANT if before.bucket == Bucket.ACTIVE else Cause.CONTACTABLE_AGAIN
    old_group = owner_group(before.bucket, beautician_buckets)
    new_group = owner_group(after.bucket, beautician_buckets) or ""
    if old_group is not None and old_group != new_group and staffing.pool(old_group) != staffing.pool(new_group):
        return Cause.MOVED_GROUP
    if before.assignee not in staffing.pool(new_group):
        return Cause.STAFF_LEFT
    return Cause.REBALANCED
