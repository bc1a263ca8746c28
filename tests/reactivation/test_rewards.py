"""The reward rules (DESIGN §4.6), without a database: hand-worked cases and properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from reactivation.rewards import (
    ReturnFacts,
    RewardRules,
    activated_on,
    activation_bonus,
    month_bounds,
    month_rewards,
    spend_bonus,
)

RULES = RewardRules()
D = Decimal


def test_the_seeds_spend_tiers():
    assert spend_bonus(D("0"), RULES.spend_tiers) == D("20.00")
    assert spend_bonus(D("1000.00"), RULES.spend_tiers) == D("20.00")
    assert spend_bonus(D("1000.01"), RULES.spend_tiers) == D("40.00")
    assert spend_bonus(D("1500.00"), RULES.spend_tiers) == D("40.00")
    assert spend_bonus(D("99999"), RULES.spend_tiers) == D("50.00")


def test_the_seeds_manager_tiers():
    assert [activation_bonus(n, RULES.activation_tiers) for n in (0, 2, 3, 5, 6, 9, 10, 40)] == [
        D("0"), D("0"), D("80.00"), D("80.00"), D("150.00"), D("150.00"), D("300.00"), D("300.00"),
    ]  # fmt: skip


def test_activation_is_the_nth_visit_within_the_window_counting_the_return():
    back = dt.date(2026, 1, 31)
    assert activated_on(back, [back], visits=2, months=3) is None
    assert activated_on(back, [back, dt.date(2026, 4, 30)], visits=2, months=3) == dt.date(2026, 4, 30)
    assert activated_on(back, [back, dt.date(2026, 5, 1)], visits=2, months=3) is None
    assert activated_on(back, [back], visits=1, months=1) == back
    # two services on one day are one visit
    assert activated_on(back, [back, back], visits=2, months=3) is None


def test_a_month_of_one_beautician_and_her_manager():
    month = dt.date(2026, 3, 1)
    returns = [
        # back in March, spent 1200 (tier 40), came twice more in March: 3 visits, activated on the 2nd
        ReturnFacts(
            1, 101, 7, dt.date(2026, 3, 2), D("1200"), (dt.date(2026, 3, 2), dt.date(2026, 3, 9), dt.date(2026, 3, 31))
        ),
        # back in February: only March's visit pays (5), activated in March
        ReturnFacts(2, 102, 7, dt.date(2026, 2, 27), D("300"), (dt.date(2026, 2, 27), dt.date(2026, 3, 5))),
        # credited to nobody: earns nothing, still an activation for the manager
        ReturnFacts(3, 103, None, dt.date(2026, 3, 3), D("100"), (dt.date(2026, 3, 3), dt.date(2026, 3, 4))),
    ]
    people, counted = month_rewards(returns, RULES, month, managers=[1])
    beautician = people[7]
    assert beautician.visits == 4 and beautician.visit_reward == D("20.00")
    assert beautician.spend_bonus == D("40.00") and beautician.returned_in_month == 1
    assert beautician.total == D("60.00")
    assert people[1].activations == 3 and people[1].total == D("80.00")
    assert len(counted) == 3
    nobodys = counted[-1]  # the sheet lists her return, and what it earned: nothing
    assert (nobodys.visits, nobodys.visit_reward, nobodys.spend_bonus, nobodys.total) == (2, 0, 0, 0)
    assert nobodys.activated_on == dt.date(2026, 3, 4)


def test_month_bounds_take_the_last_day():
    assert month_bounds(dt.date(2026, 2, 14)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert month_bounds(dt.date(2026, 12, 31)) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))


# --- properties -------------------------------------------------------------------

days = st.dates(min_value=dt.date(2025, 10, 1), max_value=dt.date(2026, 6, 30))
money = st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def return_facts(draw, return_id):
    back = draw(days)
    later = draw(st.lists(st.integers(min_value=0, max_value=150), max_size=6))
    visit_days = tuple(sorted({back, *(back + dt.timedelta(days=n) for n in later)}))
    credited = draw(st.one_of(st.none(), st.integers(min_value=10, max_value=13)))
    return ReturnFacts(return_id, 1000 + return_id, credited, back, draw(money), visit_days)


@st.composite
def stores(draw):
    n = draw(st.integers(min_value=0, max_value=12))
    rules = RewardRules(
        per_visit=draw(money),
        activation_visits=draw(st.integers(min_value=1, max_value=4)),
        activation_months=draw(st.integers(min_value=1, max_value=6)),
    )
    return [draw(return_facts(i)) for i in range(n)], rules


@given(stores(), days)
def test_a_return_is_credited_once_to_its_one_person(store, month):
    returns, rules = store
    people, _counted = month_rewards(returns, rules, month, managers=[1])
    seen = [e.facts.return_id for p in people.values() for e in p.returns]
    assert len(seen) == len(set(seen))
    for person in people.values():
        assert all(e.facts.credited_to == person.staff_id for e in person.returns)


@given(stores(), days)
def test_each_total_is_the_sum_of_what_earned_it(store, month):
    returns, rules = store
    people, _counted = month_rewards(returns, rules, month, managers=[1])
    first, last = month_bounds(month)
    for person in people.values():
        assert person.total == person.visit_reward + person.spend_bonus + person.activation_bonus
        assert person.visit_reward == rules.per_visit * person.visits
        for earned in person.returns:
            assert earned.spend_bonus == (
                spend_bonus(earned.facts.spend, rules.spend_tiers) if first <= earned.facts.returned_on <= last else 0
            )


@given(stores(), days)
def test_a_visit_pays_only_in_its_own_month_and_window(store, month):
    """Summed over the months, each return pays each of its visit days in the window exactly once."""
    returns, rules = store
    first = month_bounds(month)[0]
    months = [first + relativedelta(months=k) for k in range(-9, 10)]
    for facts in returns:
        window_end = facts.returned_on + relativedelta(months=rules.activation_months)
        expected = len({d for d in facts.visit_days if d <= window_end})
        paid = 0
        for m in months:
            people, _ = month_rewards([facts], rules, m)
            paid += sum(p.visits for p in people.values())
        if facts.credited_to is not None and abs((facts.returned_on - first).days) < 120:
            assert paid == expected


@given(st.lists(money, min_size=2, max_size=2))
def test_spending_more_never_earns_a_smaller_spend_bonus(amounts):
    low, high = sorted(amounts)
    assert spend_bonus(low, RULES.spend_tiers) <= spend_bonus(high, RULES.spend_tiers)


@given(st.integers(min_value=0, max_value=50), st.integers(min_value=0, max_value=50))
def test_more_activations_never_earn_the_manager_less(a, b):
    low, high = sorted((a, b))
    assert activation_bonus(low, RULES.activation_tiers) <= activation_bonus(high, RULES.activation_tiers)


@given(days, st.lists(st.integers(min_value=0, max_value=200), max_size=8), st.integers(1, 4), st.integers(1, 6))
def test_activation_needs_n_visit_days_inside_the_window(back, offsets, visits, months):
    visit_days = [back + dt.timedelta(days=n) for n in offsets]
    on = activated_on(back, visit_days, visits=visits, months=months)
    inside = {d for d in visit_days if d <= back + relativedelta(months=months)} | {back}
    assert (on is not None) == (len(inside) >= visits)
    if on is not None:
        assert len({d for d in inside if d <= on}) == visits
