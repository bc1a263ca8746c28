"""Benchmark: the staff's pages at a chain's size — server time and queries per request.

    .venv/bin/python scripts/bench_web.py                     # 1,000,000 customers, 10,000,000 visits, 200 stores
    .venv/bin/python scripts/bench_web.py --customers 100000  # scaled down

PostgreSQL only. It shares the segmentation benchmark's database and generator
(`scripts/bench_segmentation.py`: created, migrated and generated if missing, kept for the next run), gives
every dormant customer an assignee with that benchmark's set-based pass if nobody has one yet, then times,
through Django's test client (the whole request in-process: middleware, view, template, database),
`--requests` requests of each:

  call list   GET /calls/ as beauticians of the largest stores (their first page)
  search      GET /calls/?q=… by a name fragment and by the last four digits
  card        GET /customers/<id>/ of customers on those lists
  follow-up   POST /customers/<id>/follow-ups/ (a no-answer, through htmx), removed again afterwards

and prints p50 / p95 / max in milliseconds and the queries of one request of each. Target (issue 10):
p95 under 50 ms each, queries independent of the list's length.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def main() -> None:
    args = parse_args()
    import bench_segmentation as seg

    os.environ.setdefault("DEBUG", "False")  # as production serves: no query log, no debug context
    seg.django_on(args.database_url)
    if not seg.has_data(args.customers):
        seg.timed("generate data", lambda: seg.generate(args.customers))
    from customers.models import Customer

    if not Customer.objects.filter(spend_12m__gt=0).exists():  # the generator writes visits with raw SQL
        seg.timed("keep each customer's spend with her last visit", keep_last_visits)
        seg.vacuum()
    if not Customer.objects.filter(assignee__isnull=False).exists():
        seg.reset_state(last_visits=True)
        seg.timed("assign with the set-based pass", seg.sql_pass)
        seg.vacuum()  # the planner must see the assignees
    seg.execute("ANALYZE")  # a few seconds; after a migration that wrote every row, the planner is not blind
    print(f"data: {seg.count('customers_customer'):,} customers, {seg.count('customers_visit'):,} visits")
    measure(args.requests, random.Random(args.seed))


def keep_last_visits() -> None:
    """What every door that saves visits does (`customers_refresh_last_visits`), for the generated ones."""
    from customers.models import Customer
    from customers.services.last_visits import customers_refresh_last_visits

    ids = list(Customer.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 100_000):
        customers_refresh_last_visits(customer_ids=ids[start : start + 100_000])


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/salon_bench")
    return parser.parse_args()


def measure(requests: int, rng: random.Random) -> None:
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from customers.models import Customer, Staff
    from reactivation.models import FollowUp
    from reactivation.services.follow_ups import latest_contacts_refresh

    busiest = (
        Staff.objects.filter(role=Staff.Role.BEAUTICIAN, is_active=True)
        .annotate(n=Count("assigned_customers"))
        .order_by("-n")[:10]
    )
    people = list(busiest)
    print(f"beauticians: {len(people)}, the busiest holds {people[0].n:,} customers")
    clients = {}
    for person in people:
        clients[person.pk] = Client()
        clients[person.pk].force_login(person)
    lists = {p.pk: list(Customer.objects.filter(assignee=p).values_list("pk", "name", "phone")[:500]) for p in people}

    def call_list(i):
        return clients[people[i % len(people)].pk].get("/calls/")

    def search(i):
        person = people[i % len(people)]
        _pk, name, phone = rng.choice(lists[person.pk])
        return clients[person.pk].get("/calls/", {"q": phone[-4:] if i % 2 else name[:1]})

    def card(i):
        person = people[i % len(people)]
        return clients[person.pk].get(f"/customers/{rng.choice(lists[person.pk])[0]}/")

    tokens: list[str] = []
    touched: set[int] = set()

    def follow_up(i):
        person = people[i % len(people)]
        token = str(uuid.uuid4())
        tokens.append(token)
        data = {"outcome": "no_answer", "channel": "phone", "client_token": token}
        pk = rng.choice(lists[person.pk])[0]
        touched.add(pk)
        return clients[person.pk].post(f"/customers/{pk}/follow-ups/", data, HTTP_HX_REQUEST="true")

    not_escalated = set(
        Customer.objects.filter(
            pk__in=[pk for rows in lists.values() for pk, _n, _p in rows], escalated_on=None
        ).values_list("pk", flat=True)
    )

    print(f"\n{'page':<12}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'queries':>9}   ({requests} requests each)")
    try:
        for label, request in [("call list", call_list), ("search", search), ("card", card), ("follow-up", follow_up)]:
            for i in range(5):  # warm the caches and the connection
                request(i)
            queries = QueryLog()
            with connection.execute_wrapper(queries):
                response = request(0)
            assert response.status_code == 200, (label, response.status_code)
            times = []
            for i in range(requests):
                start = time.perf_counter()
                response = request(i)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (label, response.status_code)
            times.sort()
            p95 = times[int(len(times) * 0.95) - 1]
            print(f"{label:<12}{statistics.median(times):9.1f}{p95:9.1f}{times[-1]:9.1f}{len(queries):9d}")
    finally:  # the customers as they were: no contact, not escalated by the no-answers
        FollowUp.objects.filter(client_token__in=tokens).delete()
        latest_contacts_refresh(Customer.objects.filter(pk__in=touched))
        Customer.objects.filter(pk__in=touched & not_escalated).update(escalated_on=None)


class QueryLog(list):
    """An execute wrapper that keeps the SQL of every query a request makes."""

    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


if __name__ == "__main__":
    main()
