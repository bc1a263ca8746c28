"""Each customer's last visit, who served her last, and what she spent in the twelve months up to it: kept on the
customer, from her visits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import polars as pl
from django.db import connection
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from ..imports.bulk import array_text, fetch_frame, update_rows
from ..imports.columnar import yuan
from ..models import Customer, Visit

_CUSTOMERS = Customer._meta.db_table

# "Her last twelve months": the visits after this many days before her last one, up to it.
SPEND_WINDOW_DAYS = 365
FIRST_VISITS_CHUNK = 100_000  # customers written per statement by `customers_record_first_visits`


def customers_refresh_last_visits(*, customer_ids: Sequence[int] | pl.Series, since: dt.date | None = None) -> None:
    """Each customer's last visit, who served her last, and her spend in the twelve months up to that visit, from
    her visits (set-based). Every door that saves visits ends here, so the call list can sort by the spend.

    `since`: the earliest day of the visits saved or changed since these customers were last brought up to date
    (each of them has one of those visits). Her visits more than twelve months before it can change neither her
    last visit nor her twelve months, so they are not read (a chain's tenth visits file reads a year of its
    customers' visits, not three); who served her last is looked up among them only when no visit read names
    anyone. The result is the same either way."""
    if len(customer_ids) == 0:
        return None
    if connection.vendor == "postgresql":
        return _last_visits_in_one_update(customer_ids, since)
    latest = Visit.objects.filter(customer=OuterRef("pk")).order_by("-visited_on", "-id")
    served = latest.filter(beautician__isnull=False)
    for start in range(0, len(customer_ids), 500):  # SQLite's limit on parameters
        chunk = Customer.objects.filter(pk__in=list(customer_ids[start : start + 500]))
        chunk.update(
            last_visit_on=Subquery(latest.values("visited_on")[:1]),
            last_beautician=Subquery(served.values("beautician")[:1]),
        )
        chunk.filter(last_visit_on__isnull=False).update(spend_12m=_spend_up_to_last_visit())  # the new last visit


def _spend_up_to_last_visit() -> Coalesce:
    money: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=2)
    since = OuterRef("last_visit_on") - dt.timedelta(days=SPEND_WINDOW_DAYS)
    spend = (
        Visit.objects.filter(customer=OuterRef("pk"), visited_on__gt=since)
        .order_by()
        .values("customer")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(spend, output_field=money), Value(Decimal("0.00"), output_field=money))


def _last_visits_in_one_update(customer_ids: Sequence[int] | pl.Series, since: dt.date | None) -> None:
    # The index on (customer, date, service) hands each customer's visits over in date order.
    visits, ids = Visit._meta.db_table, array_text(customer_ids)
    params: list[int | str | dt.date]
    if since is None:
        served_before, read, params = "NULL", "", [SPEND_WINDOW_DAYS, ids]
    else:
        # Visits on or before the horizon are not read; who served her last is looked for among them only
        # when no visit read names anyone (the index hands her latest over first).
        horizon = since - dt.timedelta(days=SPEND_WINDOW_DAYS)
        served_before = f"""(SELECT o.beautician_id FROM {visits} AS o
                              WHERE o.customer_id = w.customer_id AND o.visited_on <= %s
                                AND o.beautician_id IS NOT NULL
                              ORDER BY o.visited_on DESC, o.id DESC LIMIT 1)"""
        read = " AND visited_on > %s"
        params = [horizon, SPEND_WINDOW_DAYS, ids, horizon]  # in the statement's order
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {_CUSTOMERS} AS c
                   SET last_visit_on = v.last_on, last_beautician_id = v.served_by, spend_12m = v.spend
                  FROM (SELECT customer_id, max(visited_on) AS last_on,
                               coalesce((array_agg(beautician_id ORDER BY visited_on DESC, id DESC)
                                           FILTER (WHERE beautician_id IS NOT NULL))[1],
                                        {served_before}) AS served_by,
                               coalesce(sum(amount) FILTER (WHERE visited_on > newest - %s), 0) AS spend
                          FROM (SELECT customer_id, visited_on, id, beautician_id, amount,
                                       max(visited_on) OVER (PARTITION BY customer_id) AS newest
                                  FROM {visits} WHERE customer_id = ANY(%s::bigint[]){read}) AS w
                         GROUP BY customer_id) AS v
                 WHERE c.id = v.customer_id
                   AND (c.last_visit_on IS DISTINCT FROM v.last_on
                        OR c.last_beautician_id IS DISTINCT FROM v.served_by
                        OR c.spend_12m IS DISTINCT FROM v.spend)""",
            params,
        )


def first_visits(visits: pl.DataFrame) -> pl.DataFrame:
    """Her last visit, who served her last and her spend in the twelve months up to it, for each customer who had
    no visit before `visits`: what `customers_refresh_last_visits` would read back from the table, taken from the
    rows themselves.

    `visits` is a polars frame: customer_id, visited_on, beautician_id and amount in fen, the visits of customers
    with none before them only (the caller picks them out), in order: by customer, then by day, then as they were
    saved (the order an import writes them in). In that order who served her last is simply the last one named,
    and each customer's rows lie side by side: they are summed up where they lie, without sorting each customer's
    rows (for a million rows, half the memory and a third of the time), and come out in the table's order, as the
    refresh writes them.

    A chain's first visits import brings every visit its customers have: this spares it reading a million rows back
    (and sorting them by customer) to learn what it has just written. (Customers with earlier visits are read
    back: their spend needs the visits of the year before.)"""
    if not visits["customer_id"].is_sorted():
        raise ValueError("first_visits: the visits must come by customer")
    since = pl.col("visited_on").max() - pl.duration(days=SPEND_WINDOW_DAYS)
    return (
        visits.lazy()
        .with_columns(pl.col("customer_id").set_sorted())  # checked above
        .group_by("customer_id", maintain_order=True)
        .agg(
            pl.col("visited_on").max().alias("last_visit_on"),
            pl.col("beautician_id").drop_nulls().last().alias("last_beautician_id"),
            pl.col("amount").filter(pl.col("visited_on") > since).sum().alias("spend_fen"),
        )
        .collect()
    )


def customers_record_first_visits(first: pl.DataFrame) -> pl.Series:
    """Write `first_visits(…)` onto the customers who still have no visit; the ids of those written.

    A customer who has meanwhile had a visit saved by someone else (a till, while a long import ran) is left out:
    her caller brings her up to date from the table instead (`customers_refresh_last_visits`)."""
    if first.height == 0:
        return pl.Series("customer_id", [], dtype=pl.Int64)
    if connection.vendor != "postgresql":  # one writer at a time: nobody can have saved a visit meanwhile
        update_rows(
            Customer,
            [
                {"id": pk, "last_visit_on": on, "last_beautician_id": served, "spend_12m": yuan(fen)}
                for pk, on, served, fen in first.select(
                    "customer_id", "last_visit_on", "last_beautician_id", "spend_fen"
                ).iter_rows()
            ],
        )
        return first["customer_id"]
    written = []
    # Memory: a chunk's arrays at a time, not a million. `first` comes by customer, so a chunk's customers lie in
    # one stretch of ids: bounding the ids to it lets the database read that stretch of the table for the chunk
    # rather than the whole table once per chunk.
    for part in first.iter_slices(FIRST_VISITS_CHUNK):
        written.append(
            fetch_frame(  # the ids come back as a column, not as a Python number each
                f"""UPDATE {_CUSTOMERS} AS c
                       SET last_visit_on = u.last_on, last_beautician_id = u.served_by, spend_12m = u.fen / 100.0
                      FROM unnest(%s::bigint[], %s::date[], %s::bigint[], %s::bigint[])
                           AS u(id, last_on, served_by, fen)
                     WHERE c.id = u.id AND c.id BETWEEN %s AND %s AND c.last_visit_on IS NULL
                 RETURNING c.id""",
                [
                    *(
                        array_text(part[name])
                        for name in ("customer_id", "last_visit_on", "last_beautician_id", "spend_fen")
                    ),
                    part["customer_id"].min(),
                    part["customer_id"].max(),
                ],
                {"customer_id": pl.Int64},
            )["customer_id"]
        )
    return pl.concat(written)
