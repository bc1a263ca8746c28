"""Benchmark: the nightly segmentation against hand-written set-based SQL, side by side.

    .venv/bin/python scripts/bench_segmentation.py           # 100,000 customers, 1,000,000 visits, 200 stores
    .venv/bin/python scripts/bench_segmentation.py --full    # 1,000,000 customers, 10,000,000 visits

PostgreSQL only (`--database-url`, default postgres://postgres@127.0.0.1:5432/bench_speed_seg; the database
is created and migrated if missing, and the generated data is kept for the next run unless --regenerate).
It generates 200 stores with skewed sizes, 10 beauticians + 2 front desk + 1 manager each, customers
and ten visits each with set-based SQL, left as an import leaves them (each customer's last visit on
her row, the visits' ids in the import's history entry), then, in one run on the same data, times:

  (b) the fused reference: one SQL statement computing each customer's last visit from the visits,
      her months by DESIGN §4.1, bucket, contactability and a balanced round-robin assignment, and
      writing each row once;
  (a) the project's first night after the import, as production runs it (segment_store per store,
      each in its own transaction, with its history and snapshot rows), from the same starting state;
  (d) the incremental reference for the next day: one SQL statement recomputing months and buckets
      from the kept last visits and updating only the customers whose months, bucket or assignee
      change (newly dormant ones dealt to the least loaded);
  (c) the project's second night, from the same state as (d).

It checks that (a) and (b) agree on every bucket and month and that (a)'s loads are balanced, and
prints the times, customers per second and the ratios (a)/(b) (floor 1.5) and (c)/(d) (floor 2).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
STORES = 200
TODAY = dt.date(2026, 11, 23)


def main() -> None:
    args = parse_args()
    django_on(args.database_url)
    if args.regenerate or not has_data(args.customers):
        timed("generate data", lambda: generate(args.customers))
    print(f"data: {count('customers_customer'):,} customers, {count('customers_visit'):,} visits, "
          f"{count('customers_store'):,} stores, {count('customers_staff'):,} staff")  # fmt: skip

    reset_state(last_visits=False)
    sql_seconds = timed("(b) fused SQL statement", sql_pass)
    expected = snapshot_buckets()
    reset_state(last_visits=True)
    run_seconds = timed(
        f"(a) first night after the import, {args.workers} worker(s)", lambda: nightly(TODAY, args.workers)
    )
    check(expected)
    keep_first_night()
    tomorrow = TODAY + dt.timedelta(days=1)
    incremental_seconds = timed("(d) incremental SQL statement", lambda: incremental_pass(tomorrow))
    changed = count_changed()
    back_to_first_night()
    next_seconds = timed("(c) second night", lambda: nightly(tomorrow, args.workers))

    customers = count("customers_customer")
    print()
    print(f"customers: {customers:,}; the next day changes {changed:,} of them")
    for label, seconds in [
        ("(b) fused SQL", sql_seconds),
        ("(a) first night", run_seconds),
        ("(d) incremental SQL", incremental_seconds),
        ("(c) second night", next_seconds),
    ]:
        print(f"{label:<20} {seconds:8.2f} s  {customers / seconds:12,.0f} customers/s")
    first, second = run_seconds / sql_seconds, next_seconds / incremental_seconds
    print(f"ratio (a)/(b): {first:.2f} (floor 1.5: {'met' if first <= 1.5 else 'NOT met'})   "
          f"(c)/(d): {second:.2f} (floor 2: {'met' if second <= 2 else 'NOT met'})")  # fmt: skip


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--full", action="store_true", help="1,000,000 customers and 10,000,000 visits")
    parser.add_argument("--visits-per-customer", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1, help="processes running stores in parallel, like Celery")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_speed_seg")
    parser.add_argument("--regenerate", action="store_true", help="drop the generated data and generate it again")
    args = parser.parse_args()
    if args.full:
        args.customers = 1_000_000
    global VISITS_PER_CUSTOMER
    VISITS_PER_CUSTOMER = args.visits_per_customer
    return args


VISITS_PER_CUSTOMER = 10


def django_on(database_url: str) -> None:
    """Django set up on the benchmark database (created if missing, migrated): every bench script starts here."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salon_crm.settings.base")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")  # the web benchmarks' test client
    ensure_database(database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(label: str, work) -> float:
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    print(f"{label}: {seconds:.2f} s", flush=True)
    return seconds


def ensure_database(url: str) -> None:
    import psycopg2

    name = url.rsplit("/", 1)[1]
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def execute(sql: str, params=None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params if params is not None else [])


def count(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def has_data(customers: int) -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_last_visit') IS NOT NULL")
        prepared = cursor.fetchone()[0]
    return prepared and count("customers_customer") == customers and count("customers_store") == STORES


def generate(customers: int) -> None:
    """Stores of skewed sizes, their teams, customers and their visits: all with set-based SQL."""
    from django.db import connection, transaction

    with transaction.atomic():
        for table in ["reactivation_segmentcount", "reactivation_assignmentchange", "reactivation_segmentrun",
                      "customers_appointment", "customers_visit", "customers_customer", "customers_staff",
                      "customers_importbatch", "customers_store"]:  # fmt: skip
            execute(f"TRUNCATE {table} CASCADE")
        execute("SELECT setseed(0.42)")
        execute(
            """INSERT INTO customers_store (code, name, timezone, is_active, beautician_buckets, attribution_days,
                                            activation_visits, activation_months, marketing_cap_days, created_at)
               SELECT 'B' || lpad(i::text, 3, '0'), '基准门店 ' || i, 'Asia/Shanghai', true, '["m1", "m2"]',
                      30, 2, 3, 7, now()
                 FROM generate_series(1, %s) AS i""",
            [STORES],
        )
        execute(
            """INSERT INTO customers_staff (password, is_superuser, username, first_name, last_name, email, is_staff,
                                            is_active, date_joined, name, role, store_id, phone)
               SELECT '!', false, s.code || '-' || r.role || r.n, '', '', '', false, true, now(),
                      r.role || r.n, r.role, s.id, ''
                 FROM customers_store s
                CROSS JOIN (SELECT 'beautician' AS role, n FROM generate_series(1, 10) n
                            UNION ALL SELECT 'front_desk', n FROM generate_series(1, 2) n
                            UNION ALL SELECT 'manager', 1) r"""
        )
        # Skewed store sizes: a few big stores, many small ones. The last visit is spread over two
        # years with more recent ones, like a real salon's; ten visits each, a few weeks apart.
        execute(
            """INSERT INTO customers_customer (store_id, name, phone, gender, joined_on, level, do_not_contact,
                   is_archived, occupation, family, personality, preferred_channel, first_need, wechat_added, notes,
                   last_visit_on, bucket, months_away, created_at, updated_at)
               SELECT (SELECT min(id) FROM customers_store) + floor(%s * power(random(), 1.6))::int,
                      '顾客' || i, '13' || lpad(i::text, 9, '0'), 'F', DATE %s - 1100, '', random() < 0.02,
                      false, '', '', '', '', '', false, '',
                      DATE %s - floor(730 * power(random(), 2))::int, 'active', 0, now(), now()
                 FROM generate_series(1, %s) AS i""",
            [STORES, TODAY, TODAY, customers],
        )
        execute(
            """INSERT INTO customers_visit (store_id, customer_id, visited_on, amount, card_amount, card_sessions,
                                            note, created_at)
               SELECT c.store_id, c.id, c.last_visit_on - (k * (7 + c.id %% 28))::int, 298.00, 0, 0, '', now()
                 FROM customers_customer c CROSS JOIN generate_series(0, %s) AS k""",
            [VISITS_PER_CUSTOMER - 1],
        )
        execute(
            """UPDATE customers_customer c SET last_beautician_id = b.id
                 FROM customers_staff b JOIN customers_store s ON s.id = b.store_id
                WHERE b.store_id = c.store_id AND b.username = s.code || '-beautician' || (1 + c.id %% 10)"""
        )
        execute(
            """INSERT INTO customers_appointment (store_id, customer_id, starts_at, status, note, created_at)
               SELECT store_id, id, TIMESTAMPTZ %s + interval '3 days', 'booked', '', now()
                 FROM customers_customer WHERE id %% 100 = 0""",
            [dt.datetime.combine(TODAY, dt.time(10), dt.UTC)],
        )
        # As an import leaves them: the visits' ids in its history entry, each last visit kept on the row.
        execute(
            """INSERT INTO customers_importbatch (kind, file_name, status, rows, added, updated, unchanged, bad_rows,
                   errors, new_services, created_at, finished_at, checked_rows, imported_rows, visits_first_id,
                   visits_last_id)
               SELECT 'visits', 'visits.csv', 'imported', count(*), count(*), 0, 0, 0, '[]', '[]', now(), now(),
                      count(*), count(*), min(id), max(id) FROM customers_visit"""
        )
        execute("DROP TABLE IF EXISTS bench_last_visit")
        execute("CREATE TABLE bench_last_visit AS SELECT id, last_visit_on FROM customers_customer")
    connection.close()
    vacuum()


def vacuum() -> None:
    """Vacuum and analyse, then write every dirty page out: each timed step starts from the same clean state,
    rather than paying for the writes of the step before it (a checkpoint falling due in the middle of it)."""
    import psycopg2
    from django.db import connection

    connection.close()
    raw = psycopg2.connect(os.environ["DATABASE_URL"])
    raw.autocommit = True
    with raw.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")
    raw.close()


def reset_state(*, last_visits: bool) -> None:
    """Every customer back to 'never classified', and no history: the state of a first night. With
    `last_visits`, each customer's last visit as the import left it; without, none (the fused
    reference computes them from the visits)."""
    from django.db import transaction

    with transaction.atomic():
        for table in ["reactivation_segmentcount", "reactivation_assignmentchange", "reactivation_segmentrun"]:
            execute(f"TRUNCATE {table} CASCADE")
        execute(
            """UPDATE customers_customer c SET bucket = 'active', months_away = 0, assignee_id = NULL,
                      dormant_since = NULL, escalated_on = NULL,
                      last_visit_on = CASE WHEN %s THEN t.last_visit_on END
                 FROM bench_last_visit t
                WHERE t.id = c.id""",
            [last_visits],
        )
    vacuum()


def keep_first_night() -> None:
    execute("DROP TABLE IF EXISTS bench_first_night")
    execute(
        "CREATE TABLE bench_first_night AS SELECT id, bucket, months_away, assignee_id, dormant_since, escalated_on "
        "FROM customers_customer"
    )
    vacuum()


def back_to_first_night() -> None:
    execute(
        """UPDATE customers_customer c SET bucket = f.bucket, months_away = f.months_away,
                  assignee_id = f.assignee_id, dormant_since = f.dormant_since, escalated_on = f.escalated_on
             FROM bench_first_night f
            WHERE f.id = c.id AND (c.bucket, c.months_away, c.assignee_id, c.dormant_since)
                  IS DISTINCT FROM (f.bucket, f.months_away, f.assignee_id, f.dormant_since)"""
    )
    vacuum()


def count_changed() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM customers_customer c JOIN bench_first_night f ON f.id = c.id
                WHERE (c.bucket, c.months_away, c.assignee_id)
                      IS DISTINCT FROM (f.bucket, f.months_away, f.assignee_id)"""
        )
        return cursor.fetchone()[0]


SQL_PASS = """
WITH last AS (
    SELECT customer_id, max(visited_on) AS last_on FROM customers_visit GROUP BY customer_id
), classified AS (
    SELECT c.id, c.store_id, seen, l.last_on,
           ((date_part('year', t) - date_part('year', seen)) * 12 + date_part('month', t) - date_part('month', seen)
            - CASE WHEN least(date_part('day', seen),
                              date_part('day', date_trunc('month', t) + interval '1 month - 1 day'))
                        > date_part('day', t) THEN 1 ELSE 0 END)::int AS months,
           NOT c.do_not_contact AND NOT c.is_archived AND NOT EXISTS (
               SELECT 1 FROM customers_appointment a
                WHERE a.customer_id = c.id AND a.status = 'booked' AND a.starts_at >= %(start)s) AS contactable
      FROM customers_customer c LEFT JOIN last l ON l.customer_id = c.id,
           LATERAL (SELECT coalesce(l.last_on, c.joined_on) AS seen, DATE %(today)s AS t) d
), bucketed AS (
    SELECT *, CASE WHEN months <= 0 THEN 'active' WHEN months = 1 THEN 'm1' WHEN months = 2 THEN 'm2'
                   WHEN months = 3 THEN 'm3' ELSE 'm3plus' END AS bucket,
              CASE WHEN months IN (1, 2) THEN 'beautician' WHEN months >= 3 THEN 'front_desk' END AS grp
      FROM classified
), numbered AS (
    SELECT *, row_number() OVER (PARTITION BY store_id, grp ORDER BY id) - 1 AS k
      FROM bucketed WHERE grp IS NOT NULL AND contactable
), team AS (
    SELECT id AS staff_id, store_id, role,
           row_number() OVER (PARTITION BY store_id, role ORDER BY id) - 1 AS slot,
           count(*) OVER (PARTITION BY store_id, role) AS size
      FROM customers_staff WHERE is_active AND role IN ('beautician', 'front_desk')
), assigned AS (
    SELECT n.id, t.staff_id
      FROM numbered n JOIN team t ON t.store_id = n.store_id AND t.role = n.grp AND t.slot = n.k %% t.size
)
UPDATE customers_customer c
   SET last_visit_on = b.last_on, bucket = b.bucket, months_away = greatest(b.months, 0), assignee_id = a.staff_id,
       dormant_since = CASE WHEN b.months > 0 THEN (b.seen + interval '1 month')::date END
  FROM bucketed b LEFT JOIN assigned a ON a.id = b.id
 WHERE c.id = b.id
   AND (c.last_visit_on, c.bucket, c.months_away, c.assignee_id, c.dormant_since) IS DISTINCT FROM
       (b.last_on, b.bucket, greatest(b.months, 0), a.staff_id,
        CASE WHEN b.months > 0 THEN (b.seen + interval '1 month')::date END)
"""

# The next day from the kept last visits: only customers whose months, bucket or assignee change are
# written; a customer newly needing someone (newly dormant, or moved between beauticians and front
# desk) goes to the least loaded of the store's group, round robin.
INCREMENTAL_PASS = """
WITH classified AS (
    SELECT c.id, c.store_id, c.bucket AS old_bucket, c.months_away AS old_months, c.assignee_id AS old_assignee,
           seen,
           ((date_part('year', t) - date_part('year', seen)) * 12 + date_part('month', t) - date_part('month', seen)
            - CASE WHEN least(date_part('day', seen),
                              date_part('day', date_trunc('month', t) + interval '1 month - 1 day'))
                        > date_part('day', t) THEN 1 ELSE 0 END)::int AS months,
           NOT c.do_not_contact AND NOT c.is_archived AND NOT EXISTS (
               SELECT 1 FROM customers_appointment a
                WHERE a.customer_id = c.id AND a.status = 'booked' AND a.starts_at >= %(start)s) AS contactable
      FROM customers_customer c,
           LATERAL (SELECT coalesce(c.last_visit_on, c.joined_on) AS seen, DATE %(today)s AS t) d
), changed AS (
    SELECT *, CASE WHEN months <= 0 THEN 'active' WHEN months = 1 THEN 'm1' WHEN months = 2 THEN 'm2'
                   WHEN months = 3 THEN 'm3' ELSE 'm3plus' END AS bucket,
              CASE WHEN months IN (1, 2) THEN 'beautician' WHEN months >= 3 THEN 'front_desk' END AS grp,
              CASE WHEN old_bucket IN ('m1', 'm2') THEN 'beautician'
                   WHEN old_bucket IN ('m3', 'm3plus') THEN 'front_desk' END AS old_grp
      FROM classified
     WHERE greatest(months, 0) <> old_months
), moving AS (
    SELECT id, store_id, grp,
           row_number() OVER (PARTITION BY store_id, grp ORDER BY id) - 1 AS k
      FROM changed WHERE grp IS NOT NULL AND contactable AND grp IS DISTINCT FROM old_grp
), loads AS (
    SELECT assignee_id, count(*) AS held FROM customers_customer WHERE assignee_id IS NOT NULL GROUP BY assignee_id
), team AS (
    SELECT s.id AS staff_id, s.store_id, s.role,
           row_number() OVER (PARTITION BY s.store_id, s.role ORDER BY coalesce(l.held, 0), s.id) - 1 AS slot,
           count(*) OVER (PARTITION BY s.store_id, s.role) AS size
      FROM customers_staff s LEFT JOIN loads l ON l.assignee_id = s.id
     WHERE s.is_active AND s.role IN ('beautician', 'front_desk')
), assigned AS (
    SELECT m.id, t.staff_id FROM moving m
      JOIN team t ON t.store_id = m.store_id AND t.role = m.grp AND t.slot = m.k %% t.size
)
UPDATE customers_customer c
   SET bucket = ch.bucket, months_away = greatest(ch.months, 0),
       assignee_id = CASE WHEN ch.grp IS NULL OR NOT ch.contactable THEN NULL
                          WHEN ch.grp IS DISTINCT FROM ch.old_grp THEN a.staff_id ELSE c.assignee_id END,
       dormant_since = CASE WHEN ch.months > 0 THEN (ch.seen + interval '1 month')::date END
  FROM changed ch LEFT JOIN assigned a ON a.id = ch.id
 WHERE c.id = ch.id
"""


def sql_pass() -> None:
    from django.db import transaction

    start = dt.datetime.combine(TODAY, dt.time.min, dt.timezone(dt.timedelta(hours=8)))
    with transaction.atomic():
        execute(SQL_PASS, {"today": TODAY, "start": start})


def incremental_pass(today: dt.date) -> None:
    from django.db import transaction

    start = dt.datetime.combine(today, dt.time.min, dt.timezone(dt.timedelta(hours=8)))
    with transaction.atomic():
        execute(INCREMENTAL_PASS, {"today": today, "start": start})


def snapshot_buckets() -> dict[int, tuple[str, int]]:
    from customers.models import Customer

    return {pk: (bucket, months) for pk, bucket, months in Customer.objects.values_list("pk", "bucket", "months_away")}


def nightly(today: dt.date, workers: int) -> None:
    from customers.models import Store

    store_ids = list(Store.objects.order_by("-pk").values_list("pk", flat=True))  # the biggest stores first
    if workers <= 1:
        for store_id in store_ids:
            run_store(store_id, today)
        return
    from django.db import connection

    connection.close()
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init) as pool:
        list(pool.map(run_store, store_ids, [today] * len(store_ids)))


def _worker_init() -> None:
    import django

    django.setup()


def run_store(store_id: int, today: dt.date) -> str:
    from customers.models import Store
    from reactivation.services.segment import segment_store

    return segment_store(store=Store.objects.get(pk=store_id), today=today).status


def check(expected: dict[int, tuple[str, int]]) -> None:
    """(a) must agree with (b) on every bucket and month, and its loads must be balanced."""
    from django.db import connection

    differing = sum(1 for pk, state in snapshot_buckets().items() if expected.get(pk) != state)
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT coalesce(max(spread), 0) FROM (
                   SELECT s.store_id, s.role, max(coalesce(l.n, 0)) - min(coalesce(l.n, 0)) AS spread
                     FROM customers_staff s
                     LEFT JOIN (SELECT assignee_id, count(*) AS n FROM customers_customer
                                 WHERE assignee_id IS NOT NULL GROUP BY assignee_id) l ON l.assignee_id = s.id
                    WHERE s.is_active AND s.role IN ('beautician', 'front_desk')
                    GROUP BY s.store_id, s.role) spreads"""
        )
        spread = cursor.fetchone()[0]
    print(f"check: {differing} customers whose bucket or months differ from the SQL pass; "
          f"largest load spread within a store's group: {spread}")  # fmt: skip
    if differing or spread > 1:
        raise SystemExit("the nightly run disagrees with the rules")


if __name__ == "__main__":
    main()
