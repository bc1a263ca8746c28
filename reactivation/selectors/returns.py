"""What came back, for the dashboard: returns and activations this month and last, per person, and the revenue
from returned customers this month.

All of it is read from what the reward sheet reads (returns, visits, the store's settings), so it is cached
under the store's reward-sheet stamp like "my month": a new stamp with every change of that data, in the
writer's transaction, so the figures never outlive it. One query when cached (the stamp); three at most when
not (the stamp, the returns, the returned customers' visits).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from customers.models import Store

from ..rewards import ZERO, ReturnFacts, RewardRules, activated_on
from .results import Months, yuan
from .rewards import PeriodVisit, returns_read, rules_of, under_reward_stamp


@dataclass(frozen=True)
class MonthReturns:
    """The returns of one month and the activations that fell in it."""

    returned: int = 0
    on_their_own: int = 0  # returned with no contact credited (the per-person rows count the others)
    returned_by: dict[int, int] = field(default_factory=dict)  # staff id: returns credited to her
    activated_by: dict[int, int] = field(default_factory=dict)  # staff id: activations of returns credited to her


@dataclass(frozen=True)
class ReturnRevenue:
    customers: int
    visits: int
    paid: Decimal
    from_cards: Decimal


@dataclass(frozen=True)
class ReturnFigures:
    now: MonthReturns  # this month
    before: MonthReturns  # last month
    revenue: ReturnRevenue  # this month


def return_figures(store: Store, months: Months) -> ReturnFigures:
    """This month's and last month's returns and activations, and this month's revenue from returned customers;
    cached per month under the store's reward-sheet stamp (without a stamp, computed afresh)."""
    return under_reward_stamp(store, f"dashboard-returns:{months.first.isoformat()}", lambda: _figures(store, months))


def _figures(store: Store, months: Months) -> ReturnFigures:
    rules = rules_of(store)
    since = months.previous_first - relativedelta(months=rules.activation_months)
    by_store, _names, visits = returns_read([store.pk], since, months.last)
    facts = by_store.get(store.pk, [])
    found = activations(facts, rules)
    return ReturnFigures(
        now=_month(facts, found, months.first, months.last),
        before=_month(facts, found, months.previous_first, months.previous_last),
        revenue=return_revenue(months, rules, facts, visits),
    )


@dataclass(frozen=True)
class Activation:
    credited_to: int | None
    on: dt.date


def activations(facts: list[ReturnFacts], rules: RewardRules) -> list[Activation]:
    """The day each return became an activation (the rule does not depend on the month it is counted in)."""
    found = []
    for f in facts:
        on = activated_on(f.returned_on, f.visit_days, visits=rules.activation_visits, months=rules.activation_months)
        if on is not None:
            found.append(Activation(f.credited_to, on))
    return found


def _month(facts: list[ReturnFacts], found: list[Activation], first: dt.date, last: dt.date) -> MonthReturns:
    returned_by: dict[int, int] = defaultdict(int)
    returned = on_their_own = 0
    for f in facts:
        if first <= f.returned_on <= last:
            returned += 1
            if f.credited_to is None:
                on_their_own += 1
            else:
                returned_by[f.credited_to] += 1
    activated_by: dict[int, int] = defaultdict(int)
    for activation in found:
        if activation.credited_to is not None and first <= activation.on <= last:
            activated_by[activation.credited_to] += 1
    return MonthReturns(returned, on_their_own, dict(returned_by), dict(activated_by))


def return_revenue(
    months: Months, rules: RewardRules, facts: list[ReturnFacts], visits: list[PeriodVisit]
) -> ReturnRevenue:
    """This month's visits of returned customers (back within the activation window), from the return on.

    `facts` and `visits`: the store's returns from before the window on and the returned customers' visits
    of that period (`returns_read`), which hold every return and every visit counted here."""
    since = months.first - relativedelta(months=rules.activation_months)
    back_on: dict[int, dt.date] = {}  # customer: her first return of the window
    for f in facts:
        if since <= f.returned_on < back_on.get(f.customer_id, dt.date.max):
            back_on[f.customer_id] = f.returned_on
    counted = [
        v
        for v in visits
        if months.first <= v.visited_on <= months.last and back_on.get(v.customer_id, dt.date.max) <= v.visited_on
    ]
    return ReturnRevenue(
        customers=len({v.customer_id for v in counted}),
        visits=len(counted),
        paid=yuan(sum((v.amount or ZERO for v in counted), ZERO)),
        from_cards=yuan(sum((v.card_amount or ZERO for v in counted), ZERO)),
    )
