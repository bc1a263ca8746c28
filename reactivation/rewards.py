"""Activation and staff rewards (DESIGN §4.6) as pure functions of plain values.

Nothing here reads the clock or the database. The reward sheet's selector gathers the store's
returns and visits and hands them over as `ReturnFacts`; the rules below say what they earn.

- A **visit** here is a day she came (two services on one day are one visit).
- A return is **activated** on the day of her N-th visit counted from the return visit itself,
  when that day falls within M months of the return (N, M: the store's `activation_visits`,
  `activation_months`). The default, 2 visits in 3 months: she came back, and came once more.
- A **return is credited once, to one person** (`credited_to`): she earns, in a month,
  - the fixed amount per visit of each of her returned customers in that month, counted from the
    return visit within the activation window (while she is "a returned customer");
  - the spend bonus for each return of the month, tiered by what the customer spent on the return
    visit (paid plus drawn from a card): `[[up to, yuan], …, [None, yuan]]`, the first tier whose
    limit she stays within.
- The store's **manager** earns the tier for the number of returns activated in the month:
  `[[at least N, yuan], …]`, the highest tier reached; fewer than the first tier earns nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta

ZERO = Decimal("0.00")
SpendTiers = tuple[tuple[Decimal | None, Decimal], ...]
CountTiers = tuple[tuple[int, Decimal], ...]


@dataclass(frozen=True)
class RewardRules:
    """The store's reward settings, as plain values."""

    per_visit: Decimal = Decimal("5.00")
    spend_tiers: SpendTiers = (
        (Decimal("1000.00"), Decimal("20.00")),
        (Decimal("1500.00"), Decimal("40.00")),
        (None, Decimal("50.00")),
    )
    activation_tiers: CountTiers = ((3, Decimal("80.00")), (6, Decimal("150.00")), (10, Decimal("300.00")))
    activation_visits: int = 2
    activation_months: int = 3

    @classmethod
    def from_settings(cls, *, per_visit, beautician_tiers, manager_tiers, activation_visits, activation_months):
        """From the store's setting values (tiers as stored: lists of [limit or count, "yuan"])."""
        return cls(
            per_visit=Decimal(str(per_visit)),
            spend_tiers=tuple(
                (None if lim is None else Decimal(str(lim)), Decimal(str(r))) for lim, r in beautician_tiers
            ),
            activation_tiers=tuple((int(n), Decimal(str(r))) for n, r in manager_tiers),
            activation_visits=int(activation_visits),
            activation_months=int(activation_months),
        )


@dataclass(frozen=True)
class ReturnFacts:
    """One return and the visits that followed it (up to the next return of the same customer)."""

    return_id: int
    customer_id: int
    credited_to: int | None
    returned_on: dt.date
    spend: Decimal  # on the return visit: paid plus drawn from a card
    visit_days: tuple[dt.date, ...] = ()  # her visits from the return day on (the return day included)


@dataclass
class EarnedReturn:
    """What one return earned its person in the month."""

    facts: ReturnFacts
    visits: int = 0  # visits in the month that earned the per-visit amount
    visit_reward: Decimal = ZERO
    spend_bonus: Decimal = ZERO  # only in the month of the return
    activated_on: dt.date | None = None
    returned_this_month: bool = False

    @property
    def total(self) -> Decimal:
        return self.visit_reward + self.spend_bonus


@dataclass
class PersonReward:
    staff_id: int
    returns: list[EarnedReturn] = field(default_factory=list)
    activations: int = 0  # the store's activations in the month, for a manager's bonus
    activation_bonus: Decimal = ZERO

    @property
    def visits(self) -> int:
        return sum(r.visits for r in self.returns)

    @property
    def visit_reward(self) -> Decimal:
        return sum((r.visit_reward for r in self.returns), ZERO)

    @property
    def spend_bonus(self) -> Decimal:
        return sum((r.spend_bonus for r in self.returns), ZERO)

    @property
    def returned_in_month(self) -> int:
        return sum(1 for r in self.returns if r.returned_this_month)

    @property
    def total(self) -> Decimal:
        return self.visit_reward + self.spend_bonus + self.activation_bonus


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of `month`'s month (dates are the store's local dates)."""
    first = month.replace(day=1)
    return first, first + relativedelta(months=1, days=-1)


@functools.lru_cache(maxsize=4096)
def activation_window_end(returned_on: dt.date, months: int) -> dt.date:
    # Cached: a pure function of two plain values, asked once per return by every sheet and dashboard, and
    # calendar arithmetic is the slow part of an activation.
    return returned_on + relativedelta(months=months)


def activated_on(returned_on: dt.date, visit_days: Iterable[dt.date], *, visits: int, months: int) -> dt.date | None:
    """The day her `visits`-th visit from the return on fell within `months` months of it, if it did."""
    window_end = activation_window_end(returned_on, months)
    days = sorted({d for d in visit_days if returned_on <= d <= window_end} | {returned_on})
    return days[visits - 1] if len(days) >= visits else None


def spend_bonus(spend: Decimal, tiers: SpendTiers) -> Decimal:
    """The first tier whose limit `spend` stays within (the open-ended last tier catches the rest)."""
    for limit, reward in tiers:
        if limit is None or spend <= limit:
            return reward
    return ZERO


def activation_bonus(activations: int, tiers: CountTiers) -> Decimal:
    """The reward of the highest tier reached (`activations` at least its count), else nothing."""
    reached = [reward for at_least, reward in tiers if activations >= at_least]
    return reached[-1] if reached else ZERO


def earned_in_month(facts: ReturnFacts, rules: RewardRules, first: dt.date, last: dt.date) -> EarnedReturn:
    """What one return earns in the month [first, last]: nothing when no contact is credited with it (her
    visits and her activation still count, for the store's figures and the managers' bonus)."""
    window_end = activation_window_end(facts.returned_on, rules.activation_months)
    days = {d for d in facts.visit_days if facts.returned_on <= d <= window_end} | {facts.returned_on}
    in_month = sum(1 for d in days if first <= d <= last)
    returned_this_month = first <= facts.returned_on <= last
    earns = facts.credited_to is not None
    return EarnedReturn(
        facts=facts,
        visits=in_month,
        visit_reward=rules.per_visit * in_month if earns else ZERO,
        spend_bonus=spend_bonus(facts.spend, rules.spend_tiers) if returned_this_month and earns else ZERO,
        activated_on=activated_on(
            facts.returned_on, days, visits=rules.activation_visits, months=rules.activation_months
        ),
        returned_this_month=returned_this_month,
    )


def month_rewards(
    returns: Iterable[ReturnFacts], rules: RewardRules, month: dt.date, managers: Sequence[int] = ()
) -> tuple[dict[int, PersonReward], list[EarnedReturn]]:
    """Each person's reward for `month`, by staff id, and every return that counts in the month.

    Returns credited to nobody earn nothing but still count towards the managers' activations.
    """
    first, last = month_bounds(month)
    people: dict[int, PersonReward] = {}
    counted: list[EarnedReturn] = []
    for facts in sorted(returns, key=lambda f: (f.returned_on, f.return_id)):
        earned = earned_in_month(facts, rules, first, last)
        activated_now = earned.activated_on is not None and first <= earned.activated_on <= last
        if not (earned.visits or activated_now):
            continue
        counted.append(earned)
        if facts.credited_to is not None:
            people.setdefault(facts.credited_to, PersonReward(facts.credited_to)).returns.append(earned)
    activations = activations_in(counted, first, last)
    for manager_id in managers:
        person = people.setdefault(manager_id, PersonReward(manager_id))
        person.activations = activations
        person.activation_bonus = activation_bonus(activations, rules.activation_tiers)
    return people, counted


def activations_in(earned: Iterable[EarnedReturn], first: dt.date, last: dt.date) -> int:
    return sum(1 for e in earned if e.activated_on is not None and first <= e.activated_on <= last)
