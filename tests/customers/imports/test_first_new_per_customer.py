"""The visit a file's return is dated by: per customer, her first new visit after the day she was last seen,
else her first."""

import datetime as dt

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from customers.imports.kinds.visits import _first_new_per_customer

DAY = dt.date(2026, 1, 1)
visits = st.lists(
    st.tuples(st.integers(1, 6), st.integers(0, 20)),  # (customer, day)
    min_size=1,
    max_size=40,
)
last_seen = st.dictionaries(st.integers(1, 6), st.none() | st.integers(0, 20))


def _rows(pairs, seen):
    """The new rows as the import holds them, and the order it writes them in (customer, date, row)."""
    frame = pl.DataFrame(
        {
            "row": [number + 2 for number in range(len(pairs))],
            "customer_id": [customer for customer, _day in pairs],
            "visited_on": [DAY + dt.timedelta(days=day) for _customer, day in pairs],
            "last_seen": [
                None if seen.get(customer) is None else DAY + dt.timedelta(days=seen[customer])
                for customer, _day in pairs
            ],
        },
        schema={"row": pl.Int64, "customer_id": pl.Int64, "visited_on": pl.Date, "last_seen": pl.Date},
    )
    order = frame.select(pl.arg_sort_by("customer_id", "visited_on", "row")).to_series()
    return frame.with_columns(order.arg_sort().alias("position")), order


def _by_the_rule(pairs, seen):
    """(customer, row) of each customer's earliest visit after the day she was last seen (the file's first row
    on a day), else of her earliest visit; by customer."""
    chosen = {}
    for customer in sorted({c for c, _d in pairs}):
        hers = sorted((day, number + 2) for number, (c, day) in enumerate(pairs) if c == customer)
        after = [(day, row) for day, row in hers if seen.get(customer) is not None and day > seen[customer]]
        chosen[customer] = (after or hers)[0][1]
    return list(chosen.items())


@given(visits, last_seen)
def test_each_customer_gets_her_first_visit_after_she_was_last_seen_else_her_first(pairs, seen):
    new, order = _rows(pairs, seen)
    picked = _first_new_per_customer(new, order)
    assert list(picked.select("customer_id", "row").iter_rows()) == _by_the_rule(pairs, seen)


def test_a_customer_with_visits_both_sides_of_her_last_seen_day_is_dated_by_the_first_after():
    pairs = [(1, 3), (2, 9), (1, 12), (1, 7), (2, 1)]
    new, order = _rows(pairs, {1: 5, 2: 10})
    assert list(_first_new_per_customer(new, order).select("customer_id", "row").iter_rows()) == [(1, 5), (2, 6)]
