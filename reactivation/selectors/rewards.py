"""The reward sheet of a store for a month, and a staff member's own month (the friendly contest).

Gathers the store's returns and the visits after them in a bounded number of queries, and lets the
pure rules of `reactivation.rewards` say what each person earned.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple, TypeVar

from dateutil.relativedelta import relativedelta
from django.core.cache import cache

from customers.models import Staff, Store, Visit

from ..models import CustomerReturn, FollowUp, RewardSheetStamp
from ..rewards import ZERO, EarnedReturn, PersonReward, ReturnFacts, RewardRules, month_bounds, month_rewards

T = TypeVar("T")


def rules_of(store: Store) -> RewardRules:
    return RewardRules.from_settings(
        per_visit=store.reward_per_return_visit,
        beautician_tiers=store.beautician_reward_tiers,
        manager_tiers=store.manager_reward_tiers,
        activation_visits=store.activation_visits,
        activation_months=store.activation_months,
    )


def month_moments(store: Store, first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month as moments in the store's time zone: [start of the 1st, start of the next month's 1st)."""
    zone = store.tzinfo
    return dt.datetime.combine(first, dt.time.min, zone), dt.datetime.combine(
        last + dt.timedelta(days=1), dt.time.min, zone
    )


@dataclass
class SheetRow:
    person: Staff
    reward: PersonReward


@dataclass
class RewardSheet:
    store: Store
    first: dt.date
    last: dt.date
    rules: RewardRules
    rows: list[SheetRow]
    returns: list[EarnedReturn]  # every return that counts in the month
    customer_names: dict[int, str] = field(default_factory=dict)
    people: dict[int, Staff] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum((row.reward.total for row in self.rows), ZERO)

    @property
    def activations(self) -> int:
        return sum(1 for e in self.returns if e.activated_on and self.first <= e.activated_on <= self.last)

    def person_of(self, earned: EarnedReturn) -> Staff | None:
        return self.people.get(earned.facts.credited_to) if earned.facts.credited_to else None

    def return_rows(self) -> list[tuple[EarnedReturn, str, Staff | None]]:
        """(what the return earned, the customer's name, who it is credited to) for each return of the month."""
        return [(e, self.customer_names.get(e.facts.customer_id, ""), self.person_of(e)) for e in self.returns]


def reward_sheet(store: Store, month: dt.date) -> RewardSheet:
    """Each person's reward for `month` (any day of it), with the returns behind it. Four queries."""
    first, last = month_bounds(month)
    rules = rules_of(store)
    by_store, names = return_facts([store.pk], first - relativedelta(months=rules.activation_months), last)
    facts = by_store.get(store.pk, [])
    people = {p.pk: p for p in Staff.objects.filter(store=store)}
    managers = [p.pk for p in people.values() if p.is_manager and p.is_active]
    rewards, counted = month_rewards(facts, rules, first, managers=managers)
    for pk, person in people.items():  # everyone still working here has a row, ¥0 included
        if person.is_active and person.role != Staff.Role.OWNER:
            rewards.setdefault(pk, PersonReward(pk))
    rows = [SheetRow(people[pk], reward) for pk, reward in rewards.items() if pk in people]
    rows.sort(key=lambda r: (-r.reward.total, r.person.username))
    return RewardSheet(store, first, last, rules, rows, counted, names, people)


def return_facts(
    store_ids: list[int], since: dt.date, last: dt.date
) -> tuple[dict[int, list[ReturnFacts]], dict[int, str]]:
    """The returns of `store_ids` from `since` to `last` with the visits after each (by store), and the
    customers' names. Two queries, whatever the number of stores or returns."""
    facts, names, _visits = returns_read(store_ids, since, last)
    return facts, names


class PeriodVisit(NamedTuple):
    """A visit, from `since` to `last`, of a customer who returned in that period."""

    id: int
    customer_id: int
    visited_on: dt.date
    amount: Decimal
    card_amount: Decimal


def returns_read(
    store_ids: list[int], since: dt.date, last: dt.date
) -> tuple[dict[int, list[ReturnFacts]], dict[int, str], list[PeriodVisit]]:
    """`return_facts`, and the returned customers' visits of the period it read them from (for figures that
    need their amounts too, without reading them again).

    The visit each return was made by is among the returned customers' visits of the period, read anyway
    for what came after: its amounts come from there rather than from a join, which a store whose visits
    all fit in memory would answer by reading every one of them."""
    in_range = CustomerReturn.objects.filter(store_id__in=store_ids, returned_on__gte=since, returned_on__lte=last)
    returns = list(
        in_range.order_by("customer_id", "returned_on", "id").values_list(
            "id", "customer_id", "credited_to_id", "returned_on", "visit_id", "customer__name", "store_id"
        )
    )
    read = [
        PeriodVisit(*row)
        for row in Visit.objects.filter(
            store_id__in=store_ids,
            visited_on__gte=since,
            visited_on__lte=last,
            customer_id__in=in_range.values("customer_id"),
        )
        .order_by()
        .values_list("id", "customer_id", "visited_on", "amount", "card_amount")
    ]
    visits: dict[int, list[dt.date]] = defaultdict(list)
    for visit in read:
        visits[visit.customer_id].append(visit.visited_on)
    paid = _paid({row[4] for row in returns if row[4] is not None}, read)
    facts: dict[int, list[ReturnFacts]] = defaultdict(list)
    for i, (pk, customer_id, credited, back, visit_id, _name, store_id) in enumerate(returns):
        following = returns[i + 1] if i + 1 < len(returns) else None
        until = following[3] if following and following[1] == customer_id else None
        days = tuple(sorted(d for d in visits[customer_id] if d >= back and (until is None or d < until)))
        facts[store_id].append(ReturnFacts(pk, customer_id, credited, back, paid.get(visit_id, ZERO), days))
    return facts, {row[1]: row[5] for row in returns}, read


def _paid(visit_ids: set[int], read: list[PeriodVisit]) -> dict[int, Decimal]:
    """What was spent on each of these visits (paid plus drawn from a card), from the visits read when there."""
    paid = {v.id: (v.amount or ZERO) + (v.card_amount or ZERO) for v in read if v.id in visit_ids}
    missing = visit_ids - set(paid)  # a return dated apart from its visit
    for visit_id, amount, drawn in Visit.objects.filter(pk__in=missing).values_list("id", "amount", "card_amount"):
        paid[visit_id] = (amount or ZERO) + (drawn or ZERO)
    return paid


@dataclass(frozen=True)
class MyMonth:
    """A staff member's month so far: what she did, what came of it, where she stands."""

    first: dt.date
    contacts: int
    returned: int
    reward: Decimal
    place: int  # 1 = first in the store's table
    of: int


def my_month(user: Staff, today: dt.date) -> MyMonth:
    """Her own figures and her place among the store's callers; nobody else's customers."""
    store = user.store
    if store is None:  # head office has no call list and no place in a store's table
        return MyMonth(today.replace(day=1), 0, 0, ZERO, 1, 1)
    table = month_table(store, today)
    start, end = month_moments(store, table.first, table.last)
    contacts = FollowUp.objects.filter(by=user, contacted_at__gte=start, contacted_at__lt=end).count()
    callers = table.callers | {user.pk}
    reward = table.rewards.get(user.pk, ZERO)
    place = 1 + sum(1 for pk in callers if table.totals.get(pk, ZERO) > reward)
    return MyMonth(table.first, contacts, table.returned.get(user.pk, 0), reward, place, len(callers))


@dataclass(frozen=True)
class MonthTable:
    """The store's callers' totals for the month, as the reward sheet has them (what "my month" ranks by)."""

    first: dt.date
    last: dt.date
    totals: dict[int, Decimal]  # callers' rows (managers' are not in the contest)
    rewards: dict[int, Decimal]  # everyone's total
    returned: dict[int, int]  # everyone's returns of the month
    callers: frozenset[int]


def month_table(store: Store, today: dt.date) -> MonthTable:
    """`reward_sheet`'s figures for the month, cached under the store's stamp. One query when cached."""
    return under_reward_stamp(
        store, f"reward-month:{today.replace(day=1).isoformat()}", lambda: _month_table(reward_sheet(store, today))
    )


def under_reward_stamp(store: Store, key: str, compute: Callable[[], T]) -> T:
    """`compute()` of figures read only from what the reward sheet reads (visits, returns, staff, the store's
    settings), cached under the store's stamp: every writer of that data gives the store a new token in its own
    transaction, so a cached figure changes at once and never outlives its data. Without a stamp, computed
    afresh. `key` names the figures and whatever else they depend on (the month)."""
    stamp = RewardSheetStamp.objects.filter(store_id=store.pk).values_list("token", flat=True).first()
    if not stamp:
        return compute()
    key = f"{key}:{store.pk}:{stamp}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, 24 * 3600)
    return value


def _month_table(sheet: RewardSheet) -> MonthTable:
    totals = {row.person.pk: row.reward.total for row in sheet.rows if not row.person.is_manager}
    callers = {
        pk for pk, p in sheet.people.items() if p.is_active and p.role in (Staff.Role.BEAUTICIAN, Staff.Role.FRONT_DESK)
    } | set(totals)  # fmt: skip
    rewards = {row.person.pk: row.reward.total for row in sheet.rows}
    returned = {row.person.pk: row.reward.returned_in_month for row in sheet.rows}
    return MonthTable(sheet.first, sheet.last, totals, rewards, returned, frozenset(callers))
