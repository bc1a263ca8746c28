"""Benchmark: the staff's pages at a chain's size — server time and queries per request.

    .venv/bin/python scripts/bench_web.py                     # 1,000,000 customers, 10,000,000 visits, 200 stores
    .venv/bin/python scripts/bench_web.py --customers 100000  # scaled down

PostgreSQL only. It shares the segmentation benchmark's database and generator
(`scripts/bench_segmentation.py`: created, migrated and generated if missing, kept for the next run), gives
every dormant customer an assignee with that benchmark's set-based pass if nobody has one yet, gives the
customers cards (some expired), contacts (some due, some escalated) and returns if there are no cards yet
(set-based SQL, the benchmark's data only), then times,
through Django's test client (the whole request in-process: middleware, view, template, database),
`--requests` requests of each:

  call list   GET /calls/ as beauticians of the largest stores (their first page)
  search      GET /calls/?q=… by a name fragment and by the last four digits
  card        GET /customers/<id>/ of customers on those lists
  follow-up   POST /customers/<id>/follow-ups/ (a no-answer, through htmx), removed again afterwards
  call list (front desk)   GET /calls/ as the front desk of the largest stores (~11,700 customers each)
  escalated   GET /calls/?escalated=1 as those stores' managers

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
    from customers.models import Card

    if not Card.objects.exists():  # the generator writes no cards, contacts or returns: the pages would idle
        seg.timed("give the customers cards, contacts and returns", seed_cards_contacts_returns)
        seg.vacuum()
    elif not Customer.objects.filter(prepaid_yuan__gt=0).exists():  # cards seeded before the copy was kept here
        seg.timed("keep each card holder's copy of what her cards hold", keep_prepaid)
        seg.vacuum()
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


def keep_prepaid() -> None:
    """What the card ledger does with every entry (`Customer.prepaid_*`), for the cards written with raw SQL."""
    from customers.models import Card, Customer
    from customers.services.cards import prepaid_refresh

    prepaid_refresh(Customer.objects.filter(pk__in=Card.objects.values("customer_id")))


def seed_cards_contacts_returns() -> None:
    """Cards (some expired), contacts (some due, some escalated) and returns of this month and the three before,
    with set-based SQL: the measured pages then read and sort what a real store holds."""
    import bench_segmentation as seg
    from django.db import transaction
    from django.utils import timezone

    from customers.models import Customer, Store
    from reactivation.models import FollowUp
    from reactivation.services.follow_ups import latest_contacts_refresh
    from reactivation.services.reward_stamps import reward_sheet_changed

    with transaction.atomic():
        for sql in SEED_SQL:
            seg.execute(sql, {"today": timezone.localdate()})
        latest_contacts_refresh(Customer.objects.filter(pk__in=FollowUp.objects.values("customer_id")))
        keep_prepaid()
        reward_sheet_changed(store_ids=set(Store.objects.values_list("pk", flat=True)))  # raw SQL sends no signal


SEED_SQL = [
    # Three customers in ten hold a card: two thirds stored value, a third sessions; one in seven of those ran
    # out (expired), a few never expire. The opening entry explains each balance.
    """INSERT INTO customers_card (customer_id, name, kind, balance, sessions_left, expires_on, created_at)
       SELECT id, CASE WHEN id %% 3 = 0 THEN '疗程卡' ELSE '储值卡' END,
              CASE WHEN id %% 3 = 0 THEN 'sessions' ELSE 'value' END,
              CASE WHEN id %% 3 = 0 THEN 0 ELSE 200 + (id %% 20) * 100 END,
              CASE WHEN id %% 3 = 0 THEN 1 + id %% 10 ELSE 0 END,
              CASE WHEN id %% 7 = 0 THEN %(today)s::date - (30 + id %% 300)::int WHEN id %% 11 = 0 THEN NULL
                   ELSE %(today)s::date + (30 + id %% 700)::int END,
              now()
         FROM customers_customer WHERE id %% 10 < 3""",
    """INSERT INTO customers_cardentry (card_id, kind, amount, sessions, balance_after, sessions_after, note,
                                        created_at)
       SELECT id, 'opening', balance, sessions_left, balance, sessions_left, '', now() FROM customers_card""",
    # One dormant customer in five was contacted by her assignee, one to three times in the last weeks; one in
    # twenty-five was tried three times without an answer, and escalated as the rule does.
    """INSERT INTO reactivation_followup (store_id, customer_id, by_id, contacted_at, channel, outcome, notes,
                                          next_follow_up_on, client_token, created_at)
       SELECT c.store_id, c.id, c.assignee_id, t.at, 'phone', t.outcome, '',
              CASE WHEN t.outcome IN ('no_answer', 'call_back') THEN (t.at + interval '1 day')::date
                   WHEN t.outcome = 'reached' THEN (t.at + interval '7 days')::date END,
              gen_random_uuid(), t.at
         FROM customers_customer c
        CROSS JOIN LATERAL (
              SELECT now() - make_interval(days => (k * 4 + c.id %% 9 + 1)::int) AS at,
                     CASE WHEN c.id %% 25 = 0 THEN 'no_answer'
                          ELSE (ARRAY['no_answer', 'reached', 'call_back', 'refused', 'no_answer'])
                               [1 + (c.id / 5 + k) %% 5] END AS outcome
                FROM generate_series(0, CASE WHEN c.id %% 25 = 0 THEN 2 ELSE (c.id / 5) %% 3 END) AS k) t
        WHERE c.id %% 5 = 0 AND c.assignee_id IS NOT NULL""",
    """UPDATE customers_customer SET escalated_on = %(today)s::date - 1
        WHERE id %% 25 = 0 AND assignee_id IS NOT NULL""",
    # One in twenty customers whose last visit is in this month or the three before came back on it, credited
    # to whoever served her.
    """INSERT INTO reactivation_customerreturn (store_id, customer_id, visit_id, returned_on, bucket, months_away,
                                                credited_to_id, created_at)
       SELECT c.store_id, c.id, v.id, v.visited_on, 'm2', 2, c.last_beautician_id, now()
         FROM customers_customer c
         JOIN customers_visit v ON v.customer_id = c.id AND v.visited_on = c.last_visit_on
        WHERE c.id %% 20 = 1
          AND c.last_visit_on >= date_trunc('month', %(today)s::date) - interval '3 months'
       ON CONFLICT DO NOTHING""",
]


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

    desks = list(
        Staff.objects.filter(role=Staff.Role.FRONT_DESK, is_active=True)
        .annotate(n=Count("assigned_customers"))
        .order_by("-n")[:4]
    )
    stores = [p.store_id for p in desks]
    managers = list(Staff.objects.filter(role=Staff.Role.MANAGER, is_active=True, store__in=stores))
    print(f"front desk: the busiest holds {desks[0].n:,} customers; managers of their stores: {len(managers)}")
    for person in desks + managers:
        clients[person.pk] = Client()
        clients[person.pk].force_login(person)

    def front_desk(i):
        return clients[desks[i % len(desks)].pk].get("/calls/")

    def escalated(i):
        return clients[managers[i % len(managers)].pk].get("/calls/", {"escalated": "1"})

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

    pages = [("call list", call_list), ("search", search), ("card", card), ("follow-up", follow_up),
             ("call list (front desk)", front_desk), ("escalated", escalated)]  # fmt: skip
    print(f"\n{'page':<24}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'queries':>9}   ({requests} requests each)")
    try:
        for label, request in pages:
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
            print(f"{label:<24}{statistics.median(times):9.1f}{p95:9.1f}{times[-1]:9.1f}{len(queries):9d}")
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
