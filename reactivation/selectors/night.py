"""What the nightly job reads: the customers whose state may change tonight, and a tally of the rest.

A night on which little changed must not read every customer of the store into Python. The rules
stay pure functions (`segmentation`, `assignment`); one query asks the database, customer by
customer, whether her stored state is still what they give for tonight — the whole months since
she was last seen (DESIGN §4.1, `months_since` written out in SQL), the bucket of those months,
the day her dormant spell began, and an assignee the store's split would keep (someone of the pool
now calling her bucket, and only if she is to be called). A customer for whom any of it fails is
*unsettled* and goes to Python with her facts; everyone else keeps her state and is only counted.
The SQL may call too many unsettled (Python then finds nothing to change), never too few; the
tests check it against the pure functions on random dates, month ends and Feb 29 included.

Plain SQL with a fragment per database rather than the ORM: a store's night is a few milliseconds
of database work, and building the same expression through the ORM took longer than running it.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from django.db import connection

from customers.buckets import DORMANT_BUCKETS, Bucket, BucketGroup
from customers.models import Appointment, Customer, Store

from ..assignment import Staffing
from ..classification import CustomerFacts, CustomerState
from ..segmentation import bookings_hold_from, bucket_for, owner_group

# (bucket, assignee, months) → customers: what the snapshot and the loads need of everyone.
Tally = Counter[tuple[str, int | None, int]]

_CUSTOMERS = Customer._meta.db_table
_APPOINTMENTS = Appointment._meta.db_table
_PARTS = {
    "postgresql": {
        "year": "CAST(EXTRACT(YEAR FROM {}) AS integer)",
        "month": "CAST(EXTRACT(MONTH FROM {}) AS integer)",
        "day": "CAST(EXTRACT(DAY FROM {}) AS integer)",
        "least": "least",
        "greatest": "greatest",
        "month_later": "CAST(({} + interval '1 month') AS date)",  # clamped by PostgreSQL itself
    },
    "sqlite": {
        "year": "CAST(strftime('%%Y', {}) AS integer)",
        "month": "CAST(strftime('%%m', {}) AS integer)",
        "day": "CAST(strftime('%%d', {}) AS integer)",
        "least": "min",
        "greatest": "max",
        # '+1 month' rolls Jan 31 over into March: the earlier of that and next month's last day.
        "month_later": "min(date({0}, '+1 month'), date({0}, 'start of month', '+2 months', '-1 day'))",
    },
}


def _part(name: str, *args: str) -> str:
    return _PARTS[connection.vendor][name].format(*args)


def months_since_sql(last: str, today: dt.date) -> str:
    """`segmentation.months_since(last, today)` as SQL, of the date expression `last`.

    Months between the two calendar months, one fewer when her day (clamped to the length of
    today's month) is not reached yet; a `last` after today counts as 0."""
    length = monthrange(today.year, today.month)[1]
    between = f"{today.year * 12 + today.month} - ({_part('year', last)} * 12 + {_part('month', last)})"
    not_yet = f"CASE WHEN {_part('least')}({_part('day', last)}, {length}) > {today.day} THEN 1 ELSE 0 END"
    return f"{_part('greatest')}({between} - {not_yet}, 0)"


def month_later_sql(day: str) -> str:
    """`segmentation.dormant_spell_start(day)` as SQL: one month later, clamped to a shorter month's end."""
    return _part("month_later", day)


def tonight_sql() -> str:
    """A store's customers with `seen`, the day counted from, and `contactable` (DESIGN §4.3), as a
    subquery; its parameters come from `tonight_params`."""
    sql = f"""SELECT c.id, c.last_beautician_id, c.bucket, c.months_away, c.assignee_id, c.dormant_since,
                     coalesce(c.last_visit_on, c.joined_on) AS seen,
                     (NOT c.do_not_contact AND NOT c.is_archived AND b.customer_id IS NULL) AS contactable
                FROM {_CUSTOMERS} c
                LEFT JOIN (SELECT DISTINCT customer_id FROM {_APPOINTMENTS}
                            WHERE store_id = %s AND status = %s AND starts_at >= %s) b ON b.customer_id = c.id
               WHERE c.store_id = %s"""
    return sql


def tonight_params(store: Store, today: dt.date) -> list[Any]:
    return [store.pk, Appointment.Status.BOOKED, bookings_hold_from(today, store.tzinfo), store.pk]


def settled_sql(today: dt.date, staffing: Staffing, beautician_buckets: Collection[str]) -> tuple[str, list[Any]]:
    """Her stored state is tonight's (on `tonight_sql`'s columns): nothing the night could change."""
    buckets = [f"(months_away = {n} AND bucket = %s)" for n in (0, 1, 2, 3)] + ["(months_away >= 4 AND bucket = %s)"]
    params: list[Any] = [bucket_for(n) for n in (0, 1, 2, 3, 4)]
    spell = (
        "((months_away = 0 AND dormant_since IS NULL) "
        f"OR (months_away > 0 AND dormant_since = {month_later_sql('seen')}))"
    )
    assignee = ["(assignee_id IS NULL AND (bucket = %s OR NOT contactable))"]
    params.append(Bucket.ACTIVE)
    for group in BucketGroup:
        # With nobody to call a group's buckets, its customers' night is worked out in Python.
        pool = staffing.pool(group)
        called = [b for b in DORMANT_BUCKETS if owner_group(b, beautician_buckets) == group]
        if pool and called:
            assignee.append(
                f"(bucket IN ({', '.join(['%s'] * len(called))}) AND contactable "
                f"AND assignee_id IN ({', '.join(str(int(s)) for s in pool)}))"
            )
            params += called
    sql = (
        f"months_away = {months_since_sql('seen', today)} AND ({' OR '.join(buckets)}) AND {spell} "
        f"AND ({' OR '.join(assignee)})"
    )
    return sql, params


_FACTS = "id, seen, contactable, last_beautician_id, bucket, months_away, assignee_id, dormant_since"


def tonight(
    *, store: Store, today: dt.date, staffing: Staffing, beautician_buckets: Collection[str]
) -> tuple[list[CustomerFacts], Tally]:
    """The facts of every customer of `store` whose state tonight may differ from the stored one,
    and every customer's stored state counted: one scan of the store's customers, one round trip."""
    settled, params = settled_sql(today, staffing, beautician_buckets)
    sql = f"""WITH t AS ({tonight_sql()})
              SELECT 0, {_FACTS} FROM t WHERE NOT coalesce({settled}, {_false()})
              UNION ALL
              SELECT count(*), NULL, NULL, NULL, NULL, bucket, months_away, assignee_id, NULL
                FROM t GROUP BY bucket, months_away, assignee_id"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*tonight_params(store, today), *params])
        rows = cursor.fetchall()
    tally: Tally = Counter({(r[5], r[7], r[6]): r[0] for r in rows if r[0]})
    return _as_facts(r[1:] for r in rows if not r[0]), tally


def assignees_facts(*, store: Store, today: dt.date, staff_ids: Iterable[int]) -> list[CustomerFacts]:
    """The facts of every customer of `store` assigned to one of `staff_ids`."""
    customers = tonight_sql()
    ids = ", ".join(str(int(s)) for s in staff_ids)
    sql = f"SELECT {_FACTS} FROM ({customers}) t WHERE assignee_id IN ({ids})"
    return _facts(sql, tonight_params(store, today))


def _false() -> str:
    return "false" if connection.vendor == "postgresql" else "0"


def _facts(sql: str, params: list[Any]) -> list[CustomerFacts]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _as_facts(cursor.fetchall())


def _as_facts(rows: Iterable[Sequence[Any]]) -> list[CustomerFacts]:
    day = _day if connection.vendor == "sqlite" else _same  # SQLite hands a subquery's dates back as text
    return [
        CustomerFacts(pk, day(seen), bool(contactable), served_by, CustomerState(bucket, months, assignee, day(spell)))
        for pk, seen, contactable, served_by, bucket, months, assignee, spell in rows
    ]


def _day(value: Any) -> Any:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _same(value: Any) -> Any:
    return value


def tally_key(state: CustomerState) -> tuple[str, int | None, int]:
    return state.bucket, state.assignee, state.months
