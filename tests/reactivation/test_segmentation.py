"""DESIGN §4.1–4.2: whole months since the last visit, and the five buckets. No database."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from reactivation.segmentation import bucket_for, dormant_spell_start, is_contactable, months_since, owner_group

D = dt.date


def months_by_definition(last, today):
    """The rule read literally: the largest n with last + n months (clamped) on or before today."""
    n = 0
    while last + relativedelta(months=n + 1) <= today:
        n += 1
    return n


@pytest.mark.parametrize(
    ("last", "today", "months"),
    [
        (D(2026, 1, 31), D(2026, 2, 28), 1),
        (D(2026, 1, 31), D(2026, 3, 30), 1),
        (D(2026, 10, 23), D(2026, 11, 22), 0),
        (D(2026, 10, 23), D(2026, 11, 23), 1),
        (D(2024, 1, 31), D(2024, 2, 29), 1),
        (D(2024, 2, 29), D(2025, 2, 28), 12),
        (D(2025, 12, 31), D(2026, 1, 1), 0),
        (D(2026, 3, 31), D(2026, 4, 30), 1),
        (D(2026, 11, 23), D(2026, 11, 23), 0),
        (D(2026, 11, 24), D(2026, 11, 23), 0),
    ],
)
def test_months_follow_the_design_examples(last, today, months):
    assert months_since(last, today) == months


@given(st.dates(D(2018, 1, 1), D(2030, 12, 31)), st.integers(0, 1500))
def test_months_agree_with_the_rule_read_literally(last, days_later):
    today = last + dt.timedelta(days=days_later)
    assert months_since(last, today) == months_by_definition(last, today)


@pytest.mark.parametrize(
    ("months", "bucket"), [(0, "active"), (1, "m1"), (2, "m2"), (3, "m3"), (4, "m3plus"), (17, "m3plus")]
)
def test_buckets(months, bucket):
    assert bucket_for(months) == bucket


def test_by_default_beauticians_call_one_and_two_months_and_the_front_desk_the_rest():
    default = ["m1", "m2"]
    assert [owner_group(b, default) for b in ["active", "m1", "m2", "m3", "m3plus"]] == [
        None, "beautician", "beautician", "front_desk", "front_desk",
    ]  # fmt: skip


def test_a_store_may_give_the_three_month_bucket_to_its_beauticians():
    assert owner_group("m3", ["m1", "m2", "m3"]) == "beautician"
    assert owner_group("m3plus", ["m1", "m2", "m3"]) == "front_desk"


def test_a_dormant_spell_starts_one_month_after_the_last_visit():
    assert dormant_spell_start(D(2026, 1, 31)) == D(2026, 2, 28)
    assert months_since(D(2026, 1, 31), dormant_spell_start(D(2026, 1, 31))) == 1


def test_only_customers_free_of_flags_and_bookings_are_contactable():
    assert is_contactable(do_not_contact=False, archived=False, has_future_booking=False)
    assert not is_contactable(do_not_contact=True, archived=False, has_future_booking=False)
    assert not is_contactable(do_not_contact=False, archived=True, has_future_booking=False)
    assert not is_contactable(do_not_contact=False, archived=False, has_future_booking=True)
