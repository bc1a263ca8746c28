"""Benchmark the script library's pages: server time and queries of the customer card's scripts panel,
the /scripts/ library page, the preview, and sending an SMS.

Runs in a throwaway test database (SQLite in memory by default, or a `test_…`
copy of DATABASE_URL's PostgreSQL), never in your data:

    .venv/bin/python scripts/bench_scripts.py [--customers 5000] [--rounds 200]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_scripts .venv/bin/python scripts/bench_scripts.py

Prints one line per measurement: p50 / p95 server time in milliseconds and the query count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salon_crm.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)


def build_store(customers: int):
    """A store with `customers` customers, and one heavy customer: 60 follow-ups with reasons, 12 cards."""
    from customers.models import Card, Customer, Staff, Store
    from reactivation.models import FollowUp, FollowUpReason, StoreOffer
    from reactivation.reasons import Reason

    store = Store.objects.create(code="BENCH", name="基准测试店")
    manager = Staff.objects.create_user("bench_manager", password="x", role="manager", store=store, name="周店长")
    beautician = Staff.objects.create_user("bench_b", password="x", role="beautician", store=store, name="小美")
    today = store.today()
    Customer.objects.bulk_create(
        Customer(
            store=store,
            name=f"王{i}",
            phone=f"139{i:08d}",
            gender="F",
            joined_on=dt.date(2024, 1, 1),
            last_visit_on=today - dt.timedelta(days=35 + i % 300),
            bucket="m1",
            months_away=1,
            assignee=beautician,
        )
        for i in range(customers)
    )
    heavy = Customer.objects.filter(store=store).first()
    Card.objects.bulk_create(
        Card(
            customer=heavy,
            name=f"卡{n}",
            balance=Decimal("300"),
            sessions_left=2,
            expires_on=today + dt.timedelta(days=90),
        )
        for n in range(12)
    )
    follow_ups = FollowUp.objects.bulk_create(
        FollowUp(
            store=store,
            customer=heavy,
            by=beautician,
            contacted_at=dt.datetime.now(dt.UTC),
            outcome="reached",
            client_token=uuid.uuid4(),
        )
        for _ in range(60)
    )
    reasons = Reason.values
    FollowUpReason.objects.bulk_create(
        FollowUpReason(follow_up=f, store=store, reason=reasons[i % len(reasons)]) for i, f in enumerate(follow_ups)
    )
    StoreOffer.objects.create(store=store, kind="featured", title="冬季补水", valid_from=today, valid_until=today)
    return store, manager, beautician, heavy


def measure(label: str, rounds: int, request) -> None:
    timings = []
    with CaptureQueriesContext(connection) as queries:
        request()
    query_count = len(queries)  # now: the next request empties the connection's query log
    for _ in range(rounds):
        start = time.perf_counter()
        response = request()
        timings.append((time.perf_counter() - start) * 1000)
    assert response.status_code in (200, 302), (label, response.status_code)
    p95 = statistics.quantiles(timings, n=20)[-1]
    print(f"{label:<44} p50 {statistics.median(timings):7.1f} ms   p95 {p95:7.1f} ms   {query_count} queries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    setup_test_environment()
    # A database of its own: never the data, nor the test database pytest reuses.
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_scripts_{os.getpid()}"
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = None  # in memory
    databases = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        run(args)
    finally:
        teardown_databases(databases, verbosity=0)


def run(args) -> None:
    from reactivation.messaging import outbox
    from reactivation.models import Script

    _store, manager, beautician, heavy = build_store(args.customers)
    print(f"{connection.vendor}, {args.customers} customers, {args.rounds} rounds each")
    staff, boss = Client(), Client()
    staff.force_login(beautician)
    boss.force_login(manager)
    sms = Script.objects.get(store=None, key="reminder-sms", language="zh-hans")
    measure("customer card with scripts panel", args.rounds, lambda: staff.get(f"/customers/{heavy.pk}/"))
    measure("/scripts/ library (manager, 37 scripts)", args.rounds, lambda: boss.get("/scripts/"))
    preview = {"body": "{name}，{card_balance}，{featured}", "preview_query": "王1"}
    measure("preview a draft for a customer", args.rounds, lambda: boss.post("/scripts/preview/", preview))
    send = {"script": sms.pk}
    sms.situation = "confirmation_sms"  # not marketing and no appointment needed: measure the send itself
    sms.body = "{name}，您好"
    sms.save()
    measure(
        "send an SMS from the card (locmem backend)",
        args.rounds,
        lambda: staff.post(f"/customers/{heavy.pk}/sms/", {**send, "client_token": str(uuid.uuid4())}),
    )
    print(f"messages sent: {len(outbox)}")


if __name__ == "__main__":
    main()
