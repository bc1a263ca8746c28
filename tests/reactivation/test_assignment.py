"""DESIGN §4.3: balanced, sticky, deterministic assignment. Pure functions, no database."""

import itertools
import random
from collections import Counter

from hypothesis import assume, given
from hypothesis import strategies as st

from customers.buckets import BucketGroup
from reactivation.assignment import (
    Candidate,
    Staffing,
    assign,
    balance,
    crowded,
    moves_needed,
)

BEAUTY, DESK = BucketGroup.BEAUTICIAN, BucketGroup.FRONT_DESK
STAFF = [101, 102, 103, 104]


@st.composite
def pools_and_customers(draw, max_customers=40):
    pool = sorted(draw(st.lists(st.sampled_from(STAFF), min_size=1, max_size=4, unique=True)))
    others = [None, 999, *STAFF]  # none yet, someone gone (999), or anyone (maybe not in the pool)
    n = draw(st.integers(0, max_customers))
    customers = [
        Candidate(cid, BEAUTY, draw(st.sampled_from(others)), draw(st.sampled_from([None, *STAFF])))
        for cid in draw(st.lists(st.integers(1, 10_000), min_size=n, max_size=n, unique=True))
    ]
    return pool, customers


def loads(result, pool):
    counts = Counter(result.values())
    return [counts.get(s, 0) for s in pool]


def moved(customers, result, pool):
    return sum(1 for c in customers if c.current is not None and result[c.customer_id] != c.current)


@given(pools_and_customers())
def test_loads_within_a_group_differ_by_at_most_one(case):
    pool, customers = case
    result = balance(customers, pool)
    assert set(result) == {c.customer_id for c in customers}
    assert set(result.values()) <= set(pool)
    assert max(loads(result, pool)) - min(loads(result, pool)) <= 1


@given(pools_and_customers())
def test_as_few_customers_move_as_the_balance_needs(case):
    pool, customers = case
    result = balance(customers, pool)
    assert moved(customers, result, pool) == moves_needed({c.customer_id: c.current for c in customers}, pool)


@given(pools_and_customers(max_customers=6))
def test_the_moves_are_the_brute_force_optimum_on_small_cases(case):
    pool, customers = case
    best = None
    for choice in itertools.product(pool, repeat=len(customers)):
        candidate = dict(zip((c.customer_id for c in customers), choice, strict=True))
        if customers and max(loads(candidate, pool)) - min(loads(candidate, pool)) > 1:
            continue
        cost = moved(customers, candidate, pool)
        best = cost if best is None else min(best, cost)
    assert moved(customers, balance(customers, pool), pool) == (best or 0)


@given(pools_and_customers(), st.randoms(use_true_random=False))
def test_the_same_input_in_any_order_gives_the_same_result(case, rnd):
    pool, customers = case
    shuffled = list(customers)
    rnd.shuffle(shuffled)
    assert balance(shuffled, list(reversed(pool))) == balance(customers, pool)


@given(pools_and_customers())
def test_running_again_on_its_own_result_changes_nothing(case):
    pool, customers = case
    first = balance(customers, pool)
    again = [Candidate(c.customer_id, c.group, first[c.customer_id], c.last_served_by) for c in customers]
    assert balance(again, pool) == first


@given(pools_and_customers(), st.data())
def test_deactivating_a_staff_member_moves_only_her_customers(case, data):
    pool, customers = case
    assume(len(pool) >= 2)
    settled = balance(customers, pool)
    leaver = data.draw(st.sampled_from(pool))
    remaining = [s for s in pool if s != leaver]
    after = balance([Candidate(c.customer_id, c.group, settled[c.customer_id]) for c in customers], remaining)
    changed = {cid for cid in settled if after[cid] != settled[cid]}
    assert changed == {cid for cid, s in settled.items() if s == leaver}


@given(pools_and_customers(), st.data())
def test_customers_held_outside_the_list_change_nothing_but_the_work(case, data):
    """The nightly job leaves out customers who keep their assignee; counting them as `held` gives
    the others exactly what balancing everyone would, once a crowded person's are all in the list."""
    pool, customers = case
    staffing = Staffing(beauticians=tuple(pool))
    everyone = assign(customers, staffing)
    keepers = [c for c in customers if c.current in pool]
    chosen = data.draw(st.lists(st.sampled_from(keepers), unique=True)) if keepers else []
    out = {c.customer_id for c in chosen}
    held = Counter(c.current for c in customers if c.customer_id in out)
    listed = [c for c in customers if c.customer_id not in out]
    crowd = crowded(listed, staffing, held)
    listed += [c for c in customers if c.customer_id in out and c.current in crowd]
    held -= Counter(c.current for c in customers if c.customer_id in out and c.current in crowd)
    assert crowded(listed, staffing, held) == set()
    result = assign(listed, staffing, held)
    assert result == {c.customer_id: everyone[c.customer_id] for c in listed}
    assert all(everyone[c.customer_id] == c.current for c in customers if c.customer_id not in result)


def test_a_newly_dormant_customer_goes_to_the_beautician_who_last_served_her():
    result = balance([Candidate(1, BEAUTY, None, 102), Candidate(2, BEAUTY, None, 102)], [101, 102])
    assert result[1] == 102
    assert result[2] == 101, "the second one would break the balance, so she goes to the least loaded"


def test_new_customers_go_to_whoever_has_the_most_room_the_lowest_id_among_equals():
    holding = [Candidate(cid, BEAUTY, 103) for cid in (1, 2)]  # 103 keeps two, 101 and 102 none
    newcomers = [Candidate(cid, BEAUTY) for cid in (10, 11, 12, 13)]
    result = balance(holding + newcomers, [101, 102, 103])
    assert [result[cid] for cid in (10, 11, 12, 13)] == [101, 102, 101, 102]


def test_a_beautician_over_her_share_gives_back_only_the_excess():
    customers = [Candidate(cid, BEAUTY, 101) for cid in range(1, 7)]  # six with 101, none with 102
    result = balance(customers, [101, 102])
    assert sorted(loads(result, [101, 102])) == [3, 3]
    assert [cid for cid in range(1, 7) if result[cid] == 101] == [1, 2, 3]


def test_without_beauticians_the_front_desk_takes_every_bucket_as_one_balanced_list():
    staffing = Staffing(beauticians=(), front_desk=(201, 202), managers=(301,))
    customers = [Candidate(1, BEAUTY), Candidate(2, BEAUTY), Candidate(3, BEAUTY),
                 Candidate(4, DESK)]  # fmt: skip
    result = assign(customers, staffing)
    assert Counter(result.values()) == {201: 2, 202: 2}


def test_without_front_desk_the_beauticians_call_the_long_lost_too():
    result = assign([Candidate(1, DESK)], Staffing(beauticians=(101,), front_desk=(), managers=(301,)))
    assert result == {1: 101}


def test_with_neither_the_manager_calls_and_with_nobody_no_one_does():
    customers = [Candidate(1, BEAUTY), Candidate(2, DESK)]
    assert assign(customers, Staffing(managers=(301,))) == {1: 301, 2: 301}
    assert assign(customers, Staffing()) == {1: None, 2: None}


def test_large_lists_stay_balanced_and_deterministic():
    rng = random.Random(5)
    pool = list(range(1, 11))
    customers = [Candidate(cid, BEAUTY, rng.choice([None, *pool]), rng.choice(pool)) for cid in range(5000)]
    result = balance(customers, pool)
    assert max(loads(result, pool)) - min(loads(result, pool)) <= 1
    assert balance(list(reversed(customers)), pool) == result
