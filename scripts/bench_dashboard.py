"""Benchmark: the manager's dashboard for one big store, and head office's view of every store.

    .venv/bin/python scripts/bench_dashboard.py                        # 200 stores, one of 20,000 customers
    .venv/bin/python scripts/bench_dashboard.py --big 5000 --requests 20  # scaled down

PostgreSQL only (`--database-url`, default postgres://postgres@127.0.0.1:5432/bench_manager, created and
migrated if missing). It generates the chain with the segmentation benchmark's generator
(`scripts/bench_segmentation.py`: 200 stores of skewed sizes, ten visits per customer), grows the largest
store to `--big` customers, sorts and assigns everyone with that benchmark's set-based pass, and gives
the big store a year of history with set-based SQL: a nightly snapshot for every night, three contacts
per dormant customer (half of them with a reason), a return for one customer in seven (credited to her
beautician) and a card for every customer. Then it times, through Django's test client (middleware,
view, template, database), `--requests` requests of each:

  dashboard    GET /dashboard/ as the big store's manager
  dash, fresh  the same, each request just after the store's reward-sheet stamp changed (as a visit registered
               changes it): the figures cached under the stamp computed afresh
  owner view   GET /dashboard/stores/ as head office (all 200 stores)
  rewards      GET /rewards/ as the big store's manager

and prints p50 / p95 / max in milliseconds and the queries of one request of each. With `--profile`, it
first shows, for each page, every query of one request with its time, the plan (EXPLAIN ANALYZE) of each
query slower than `--slow` ms, and where Python spent the rest (cProfile).
Targets (issue 11): p95 under 100 ms for the store dashboard and 300 ms for the owner view, queries
bounded and independent of the store's size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def main() -> None:
    args = parse_args()
    import bench_segmentation as seg

    # As the site runs in production: DEBUG off, so templates are compiled once (the cached loader) and
    # no query log is kept. With DEBUG on, every request would parse the dashboard's templates again.
    os.environ.setdefault("DEBUG", "False")
    seg.django_on(args.database_url)
    if seg.count("customers_store") != seg.STORES or seg.count("customers_customer") < args.customers + args.big // 2:
        seg.timed("generate the chain", lambda: seg.generate(args.customers))
        seg.timed("grow the biggest store", lambda: grow_biggest(args.big))
        seg.reset_state(last_visits=True)
        seg.timed("assign with the set-based pass", seg.sql_pass)
    if not seg.count("reactivation_followup"):  # the history is written in one transaction: all or nothing
        seg.timed("a year of history for the biggest store", year_of_history)
        seg.vacuum()
    # What autovacuum does in production (it is off on this machine): the rows a migration or an earlier run
    # rewrote are visible to every transaction again, and the planner's statistics are fresh.
    seg.timed("vacuum the customers", lambda: vacuum_tables("customers_customer", "customers_card"))
    stamp_every_store()
    print(f"data: {seg.count('customers_customer'):,} customers, {seg.count('customers_visit'):,} visits")
    measure(args.requests, profile=args.profile, slow=args.slow)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=100_000, help="customers of the chain before growing")
    parser.add_argument("--big", type=int, default=20_000, help="customers of the biggest store")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_manager")
    parser.add_argument("--profile", action="store_true", help="show each query's time, slow plans, cProfile")
    parser.add_argument("--slow", type=float, default=3.0, help="explain queries slower than this (ms)")
    return parser.parse_args()


def stamp_every_store() -> None:
    """The raw inserts above send no signal: every store gets the reward-sheet stamp its services would have
    given it (a store saved gets one, and so does every change of its visits and returns), so the figures
    cached under it ("my month", the dashboard's returns) are cached here as they are in production."""
    from customers.models import Store
    from reactivation.services.reward_stamps import reward_sheet_changed

    reward_sheet_changed(store_ids=set(Store.objects.values_list("pk", flat=True)))


def vacuum_tables(*tables: str) -> None:
    import psycopg2
    from django.db import connection

    connection.close()
    raw = psycopg2.connect(os.environ["DATABASE_URL"])
    raw.autocommit = True
    with raw.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    raw.close()


def biggest_store_id() -> int:
    from django.db.models import Count

    from customers.models import Store

    return Store.objects.annotate(n=Count("customers")).order_by("-n").values_list("pk", flat=True)[0]


def grow_biggest(size: int) -> None:
    import bench_segmentation as seg

    store_id = biggest_store_id()
    have = seg.count(f"customers_customer WHERE store_id = {store_id}")
    extra = max(0, size - have)
    seg.execute(
        """INSERT INTO customers_customer (store_id, name, phone, gender, joined_on, level, do_not_contact,
               is_archived, occupation, family, personality, preferred_channel, first_need, wechat_added, notes,
               last_visit_on, bucket, months_away, created_at, updated_at)
           SELECT %s, '大店顾客' || i, '15' || lpad(i::text, 9, '0'), 'F', DATE %s - 1100, '', false,
                  false, '', '', '', '', '', false, '', DATE %s - floor(730 * power(random(), 2))::int, 'active', 0,
                  now(), now()
             FROM generate_series(1, %s) AS i""",
        [store_id, seg.TODAY, seg.TODAY, extra],
    )
    seg.execute(
        """INSERT INTO customers_visit (store_id, customer_id, visited_on, amount, card_amount, card_sessions,
                                        note, created_at)
           SELECT c.store_id, c.id, c.last_visit_on - (k * (7 + c.id %% 28))::int, 298.00 + (c.id %% 9) * 150, 0, 0,
                  '', now()
             FROM customers_customer c CROSS JOIN generate_series(0, 9) AS k
            WHERE c.store_id = %s AND c.name LIKE '大店顾客%%'""",
        [store_id],
    )


HISTORY_SQL = [
    # a snapshot for every night of the year: today's counts, a little different each night
    """INSERT INTO reactivation_segmentrun (store_id, run_date, status, started_at, finished_at, customers_changed,
                                           assignees_changed, unassigned, error, visits_up_to, away_6_plus,
                                           away_12_plus)
       SELECT %(store)s, CURRENT_DATE - d, 'done', now(), now(), 0, 0, 0, '', 0, away.six, away.twelve
         FROM generate_series(1, 365) d
         JOIN (SELECT count(*) FILTER (WHERE months_away >= 6) AS six,
                      count(*) FILTER (WHERE months_away >= 12) AS twelve
                 FROM customers_customer WHERE store_id = %(store)s) away ON true""",
    """INSERT INTO reactivation_segmentcount (run_id, bucket, assignee_id, customers)
       SELECT r.id, c.bucket, c.assignee_id, greatest(1, (c.n * (0.8 + 0.4 * random()))::int)
         FROM reactivation_segmentrun r
         JOIN (SELECT bucket, assignee_id, count(*) AS n FROM customers_customer WHERE store_id = %(store)s
                GROUP BY bucket, assignee_id) c ON true
        WHERE r.store_id = %(store)s""",
    # three contacts per dormant customer over the year, by her assignee
    """INSERT INTO reactivation_followup (store_id, customer_id, by_id, contacted_at, channel, outcome, notes,
                                         client_token, created_at)
       SELECT c.store_id, c.id, c.assignee_id, now() - random() * interval '365 days', 'phone',
              (ARRAY['booked', 'reached', 'call_back', 'no_answer', 'refused'])[1 + (c.id + k) %% 5], '说最近忙',
              gen_random_uuid(), now()
         FROM customers_customer c CROSS JOIN generate_series(1, 3) k
        WHERE c.store_id = %(store)s AND c.assignee_id IS NOT NULL""",
    """UPDATE reactivation_followup SET next_follow_up_on = (contacted_at + interval '14 days')::date
        WHERE store_id = %(store)s AND outcome IN ('reached', 'call_back', 'no_answer')""",
    """INSERT INTO reactivation_followupreason (follow_up_id, store_id, reason, detail)
       SELECT id, store_id, (ARRAY['busy', 'price', 'unused_balance', 'inconvenient', 'service', 'results',
                                   'oversold', 'competitor', 'no_contact', 'staff_left'])[1 + id %% 10], ''
         FROM reactivation_followup WHERE store_id = %(store)s AND id %% 2 = 0""",
    # one customer in seven came back this year, on one of her visits, credited to her beautician
    """INSERT INTO reactivation_customerreturn (store_id, customer_id, visit_id, returned_on, bucket, months_away,
                                               credited_to_id, created_at)
       SELECT DISTINCT ON (v.customer_id) v.store_id, v.customer_id, v.id, v.visited_on, 'm2', 2,
              c.last_beautician_id, now()
         FROM customers_visit v JOIN customers_customer c ON c.id = v.customer_id
        WHERE v.store_id = %(store)s AND c.id %% 7 = 0 AND v.visited_on >= CURRENT_DATE - 365
        ORDER BY v.customer_id, v.visited_on""",
    """INSERT INTO customers_card (customer_id, name, kind, balance, sessions_left, expires_on, created_at)
       SELECT id, '储值卡', CASE WHEN id %% 3 = 0 THEN 'sessions' ELSE 'value' END,
              CASE WHEN id %% 3 = 0 THEN 0 ELSE (id %% 50) * 100 END, CASE WHEN id %% 3 = 0 THEN id %% 12 ELSE 0 END,
              CURRENT_DATE + (id %% 400)::int, now()
         FROM customers_customer WHERE store_id = %(store)s""",
]


def year_of_history() -> None:
    import bench_segmentation as seg
    from django.db import transaction

    from customers.models import Customer
    from customers.services.cards import prepaid_refresh
    from reactivation.services.follow_ups import latest_contacts_refresh

    store_id = biggest_store_id()
    with transaction.atomic():
        seg.execute("DELETE FROM reactivation_segmentrun WHERE store_id = %s", [store_id])
        for sql in HISTORY_SQL:
            seg.execute(sql, {"store": store_id})
        # the rows' copies of each customer's latest contact and of what her cards hold, as the bulk writers
        # keep them (the raw inserts above bypass the services)
        latest_contacts_refresh(Customer.objects.filter(store_id=store_id))
        prepaid_refresh(Customer.objects.filter(store_id=store_id))


def counting(queries: list[str]):
    """A database execute wrapper that notes every query."""

    def wrapper(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def timing(queries: list[tuple[float, str, object]]):
    """A database execute wrapper that notes every query with its time in milliseconds and its parameters."""

    def wrapper(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(((time.perf_counter() - start) * 1000, sql, params))

    return wrapper


def profile_page(label: str, client, url: str, slow: float, before) -> None:
    """One request's queries with their times, the plans of the slow ones, and the Python time by function."""
    import cProfile
    import pstats

    from django.db import connection

    queries: list[tuple[float, str, object]] = []
    with connection.execute_wrapper(timing(queries)):
        start = time.perf_counter()
        client.get(url)
        total = (time.perf_counter() - start) * 1000
    print(f"\n== {label}: {total:.1f} ms, {len(queries)} queries, {sum(q[0] for q in queries):.1f} ms in SQL")
    for ms, sql, _params in queries:
        print(f"{ms:8.1f}  {sql[:160]}")
    for ms, sql, params in queries:
        if ms >= slow and sql.lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            print(f"\n-- {ms:.1f} ms: {sql[:300]}\n{plan}")
    before()
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def measure(requests: int, *, profile: bool = False, slow: float = 3.0) -> None:
    from django.db import connection
    from django.test import Client

    from customers.models import Customer, Staff, Store
    from reactivation.services.reward_stamps import reward_sheet_changed

    store = Store.objects.get(pk=biggest_store_id())
    manager = Staff.objects.filter(store=store, role=Staff.Role.MANAGER).first()
    owner, _created = Staff.objects.get_or_create(username="bench-owner", defaults={"role": Staff.Role.OWNER})
    print(f"big store {store.code}: {Customer.objects.filter(store=store).count():,} customers")
    as_manager, as_owner = Client(), Client()
    as_manager.force_login(manager)
    as_owner.force_login(owner)

    def nothing() -> None:
        pass

    def restamp() -> None:
        reward_sheet_changed(store_ids={store.pk})

    pages = [
        ("dashboard", as_manager, "/dashboard/", nothing),
        ("dash, fresh", as_manager, "/dashboard/", restamp),
        ("owner view", as_owner, "/dashboard/stores/", nothing),
        ("rewards", as_manager, "/rewards/", nothing),
    ]
    print(f"\n{'page':<12}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'queries':>9}   ({requests} requests each)")
    for label, client, url, before in pages:
        for _ in range(3):  # warm the caches and the connection
            client.get(url)
        if profile:
            before()
            profile_page(label, client, url, slow, before)
        queries: list[str] = []
        before()
        with connection.execute_wrapper(counting(queries)):
            response = client.get(url)
        assert response.status_code == 200, (label, response.status_code)
        times = []
        for _ in range(requests):
            before()  # not timed
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(f"{label:<12}{statistics.median(times):9.1f}{p95:9.1f}{times[-1]:9.1f}{len(queries):9d}")


if __name__ == "__main__":
    main()
