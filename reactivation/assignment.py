"""Who calls whom (DESIGN §4.3), as pure functions of ids.

- Only contactable customers in a dormant bucket get an assignee; everyone else has none.
- The store's beautician buckets are split among its active beauticians, the other dormant
  buckets among its active front desk, so that within a group the loads differ by at most one.
- Fallbacks: with no active beautician, the beautician buckets go to the front desk; with no
  front desk, the front-desk buckets go to the beauticians; with neither, everything goes to
  the store manager(s); with nobody, customers stay unassigned. When both groups fall to the
  same people, they are balanced as one list.
- Sticky: a customer whose assignee is still valid (active, same store, in the group now
  calling her bucket) keeps her, unless that would break the balance; then only as many
  customers move as the balance needs — the people already holding the most keep the extra one.
- A customer who needs a new assignee goes, when it keeps the balance, to the beautician who
  last served her; otherwise to whoever has the most room left.
- Deterministic: everything is ordered by id, so the same input gives the same output, and
  running it again on its own output changes nothing.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _

from customers.buckets import BucketGroup


class Cause(models.TextChoices):
    """Why a customer's assignee changed, in the words a beautician would be told."""

    NEWLY_DORMANT = "newly_dormant", _("Newly dormant")
    MOVED_GROUP = "moved_group", _("Moved to another group as her bucket changed")
    REBALANCED = "rebalanced", _("Rebalanced")
    STAFF_LEFT = "staff_left", _("Previous assignee left or changed role")
    RETURNED = "returned", _("Returned to the salon")
    NOT_CONTACTABLE = "not_contactable", _("No longer to be called")
    CONTACTABLE_AGAIN = "contactable_again", _("To be called again")
    MANUAL = "manual", _("Reassigned by the manager")


@dataclass(frozen=True)
class Staffing:
    """A store's active staff ids by role (only people who can take customers)."""

    beauticians: tuple[int, ...] = ()
    front_desk: tuple[int, ...] = ()
    managers: tuple[int, ...] = ()

    def pool(self, group: str) -> tuple[int, ...]:
        """The people who call `group`'s buckets today, after the fallbacks."""
        own, other = (self.beauticians, self.front_desk)
        first, second = (own, other) if group == BucketGroup.BEAUTICIAN else (other, own)
        return tuple(sorted(first or second or self.managers))


class Candidate(NamedTuple):
    """A contactable dormant customer who needs someone to call her."""

    customer_id: int
    group: str
    current: int | None = None  # her assignee before this run
    last_served_by: int | None = None


def assign(
    candidates: Iterable[Candidate], staffing: Staffing, held: Mapping[int, int] | None = None
) -> dict[int, int | None]:
    """customer id → assignee id (None when the store has nobody who can take her).

    `held`: staff id → customers she keeps who are not among `candidates` (the nightly job leaves
    out customers whose state cannot change). They count towards her load and stay hers, so
    nobody who keeps more than her share (`crowded`) may hold any."""
    held = held or {}
    result: dict[int, int | None] = {}
    for pool, members in _by_pool(candidates, staffing).items():
        if pool:
            result.update(balance(members, pool, held))
        else:
            result.update(dict.fromkeys((m.customer_id for m in members), None))
    return result


def crowded(candidates: Iterable[Candidate], staffing: Staffing, held: Mapping[int, int]) -> set[int]:
    """The people keeping more customers than the balance lets them, with some held outside
    `candidates`: `balance` moves their highest ids, so it needs every customer of theirs."""
    members_of = _by_pool(candidates, staffing)
    found: set[int] = set()
    for pool in {staffing.pool(group) for group in BucketGroup} - {()}:
        members = sorted(members_of.get(pool, []), key=lambda m: m.customer_id)
        kept, goal = _goals(members, pool, held)
        found.update(s for s in pool if held.get(s, 0) and kept[s] > goal[s])
    return found


def _by_pool(candidates: Iterable[Candidate], staffing: Staffing) -> dict[tuple[int, ...], list[Candidate]]:
    pool_of: dict[str, tuple[int, ...]] = {group: staffing.pool(group) for group in BucketGroup}
    pools: dict[tuple[int, ...], list[Candidate]] = {}
    for candidate in candidates:
        pools.setdefault(pool_of[candidate.group], []).append(candidate)
    return pools


def targets(kept: dict[int, int], total: int, wanted: dict[int, int] | None = None) -> dict[int, int]:
    """How many customers each person ends with: ⌊total/n⌋ or one more. The extra ones go to
    those already keeping the most, which makes the number of customers moved the smallest;
    among equals, to those whom more new customers were last served by."""
    wanted = wanted or {}
    base, extra = divmod(total, len(kept))
    by_kept = sorted(kept, key=lambda staff_id: (-kept[staff_id], -wanted.get(staff_id, 0), staff_id))
    return {staff_id: base + (1 if rank < extra else 0) for rank, staff_id in enumerate(by_kept)}


def _goals(
    members: Sequence[Candidate], pool: Sequence[int], held: Mapping[int, int]
) -> tuple[dict[int, int], dict[int, int]]:
    """Each person's kept customers (held ones included) and how many she ends with."""
    kept = {staff_id: held.get(staff_id, 0) for staff_id in pool}
    wanted: Counter[int] = Counter()
    for m in members:
        if m.current in kept:
            kept[m.current] += 1
        elif m.last_served_by is not None:
            wanted[m.last_served_by] += 1
    return kept, targets(kept, len(members) + sum(held.get(s, 0) for s in pool), wanted)


def balance(members: Sequence[Candidate], pool: Sequence[int], held: Mapping[int, int] | None = None) -> dict[int, int]:
    """Balanced, sticky assignment of one list of customers to one pool of people (and the
    customers each person `held` outside the list, who stay hers)."""
    held = held or {}
    members = sorted(members, key=lambda m: m.customer_id)
    keeping: dict[int, list[int]] = {staff_id: [] for staff_id in pool}
    new = [m for m in members if m.current not in keeping]
    for m in members:
        if m.current in keeping:
            keeping[m.current].append(m.customer_id)
    kept, goal = _goals(members, pool, held)
    if any(held.get(s, 0) and kept[s] > goal[s] for s in pool):
        raise ValueError("a crowded person's customers must all be candidates (see `crowded`)")

    result: dict[int, int] = {}
    released: list[int] = []
    for staff_id, ids in keeping.items():
        keep = goal[staff_id] - held.get(staff_id, 0)
        result.update(dict.fromkeys(ids[:keep], staff_id))
        released.extend(ids[keep:])  # the highest ids move first
    room = {s: goal[s] - min(kept[s], goal[s]) for s in keeping}

    waiting: list[int] = []
    for m in new:
        if m.last_served_by in room and room[m.last_served_by] > 0:
            result[m.customer_id] = m.last_served_by
            room[m.last_served_by] -= 1
        else:
            waiting.append(m.customer_id)
    # Each goes to whoever has the most room left (the lowest id among equals): the top of a heap of
    # (−room, id), rather than a search of the whole pool per customer.
    most_room = [(-left, staff_id) for staff_id, left in room.items()]
    heapq.heapify(most_room)
    for customer_id in sorted(waiting + released):
        minus_left, staff_id = most_room[0]
        result[customer_id] = staff_id
        heapq.heapreplace(most_room, (minus_left + 1, staff_id))
    return result


def moves_needed(current: dict[int, int | None], pool: Sequence[int]) -> int:
    """The fewest customers that must change hands to balance one pool (for tests and reports)."""
    kept = {staff_id: 0 for staff_id in pool}
    invalid = 0  # customers whose assignee can no longer take them: they move whatever happens
    for assignee in current.values():
        if assignee in kept:
            kept[assignee] += 1
        elif assignee is not None:
            invalid += 1
    goal = targets(kept, len(current))
    return invalid + sum(max(0, kept[s] - goal[s]) for s in pool)
