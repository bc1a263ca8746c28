import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from reactivation.services.follow_ups import follow_up_log
from reactivation.services.segment import segment_store
from tests.factories import CustomerFactory, StoreFactory


def fill(store, n, months=1, **fields):
    today = store.today()
    return [
        CustomerFactory(store=store, last_visit_on=today - relativedelta(months=months, days=3), **fields)
        for _ in range(n)
    ]


def test_the_manager_sees_her_store_per_bucket_and_per_person(
    client, store, manager, beautician_a, beautician_b, front_desk
):
    fill(store, 4, months=1)
    fill(store, 3, months=5)
    fill(store, 2, months=0)
    segment_store(store=store, today=store.today())
    client.force_login(manager)
    board = client.get("/dashboard/").context["board"]
    assert board.buckets == {"m1": 4, "m3plus": 3, "active": 2}
    totals = {row.staff.username: row.total for row in board.rows}
    assert totals == {"beautician_a": 2, "beautician_b": 2, "front_desk": 3}
    assert not board.run_is_stale and board.unassigned == 0


def test_the_dashboard_says_when_nobody_can_take_dormant_customers(client, store, manager):
    store.staff.all().delete()
    fill(store, 2, months=2)
    from customers.models import Staff
    from tests.factories import StaffFactory

    owner = StaffFactory(role=Staff.Role.OWNER, store=None)
    segment_store(store=store, today=store.today())
    client.force_login(owner)
    html = client.get("/dashboard/?store=MAIN").content.decode()
    assert 'id="unassigned"' in html


def test_it_warns_when_the_nightly_job_has_not_run(client, store, manager):
    client.force_login(manager)
    assert 'id="stale-run"' in client.get("/dashboard/").content.decode()
    segment_store(store=store, today=store.today() - dt.timedelta(days=3))
    assert 'id="stale-run"' in client.get("/dashboard/").content.decode()
    segment_store(store=store, today=store.today())
    assert 'id="stale-run"' not in client.get("/dashboard/").content.decode()


def test_the_top_reasons_come_from_the_follow_ups(client, store, manager, beautician_a):
    customers = fill(store, 3)
    segment_store(store=store, today=store.today())
    for customer, reasons in zip(customers, [["price", "busy"], ["price"], ["service"]], strict=True):
        follow_up_log(by=beautician_a, customer=customer, outcome="reached", reasons=reasons)
    client.force_login(manager)
    top = client.get("/dashboard/").context["board"].top_reasons
    assert [r.now for r in top] == [2, 1, 1]
    assert top[0].label == "觉得太贵" and top[0].share == 50


def test_owners_choose_the_store_and_managers_see_only_theirs(client, store, other_store, owner, manager, beautician_a):
    client.force_login(owner)
    assert client.get("/dashboard/?store=OTHER").context["store"] == other_store
    client.force_login(manager)
    assert client.get("/dashboard/?store=OTHER").status_code == 404
    client.force_login(beautician_a)
    assert client.get("/dashboard/").status_code == 403


@pytest.mark.parametrize("customers", [3, 30])
def test_the_dashboard_costs_the_same_queries_for_any_store_size(
    client, manager, beautician_a, front_desk, django_assert_max_num_queries, customers
):
    store = manager.store
    fill(store, customers, months=2)
    for day in range(3):
        segment_store(store=store, today=store.today() - dt.timedelta(days=day))
    client.force_login(manager)
    with django_assert_max_num_queries(30):
        assert client.get("/dashboard/").status_code == 200


def test_a_store_with_nothing_yet(client, db):
    from customers.models import Staff
    from tests.factories import StaffFactory

    owner = StaffFactory(role=Staff.Role.OWNER, store=None)
    client.force_login(owner)
    assert client.get("/dashboard/").status_code == 200
    StoreFactory(code="NEW")
    assert client.get("/dashboard/").context["board"].dormant == 0


def test_the_trend_draws_the_six_and_twelve_month_split_of_the_long_gone(client, manager, beautician_a, front_desk):
    from dateutil.relativedelta import relativedelta

    from reactivation.services.segment import segment_store
    from tests.factories import CustomerFactory

    store = manager.store
    today = store.today()
    for months in (4, 7, 13):
        CustomerFactory(store=store, last_visit_on=today - relativedelta(months=months, days=3))
    segment_store(store=store, today=today)
    client.force_login(manager)
    trend = client.get("/dashboard/").context["board"].trend
    assert [(s["key"], s["values"]) for s in trend["split"]] == [("m6plus", [2]), ("m12plus", [1])]


def test_the_trend_table_prints_each_nights_counts(client, store, manager, beautician_a, front_desk):
    fill(store, 4, months=1)
    fill(store, 3, months=7)
    today = store.today()
    segment_store(store=store, today=today)
    client.force_login(manager)
    html = client.get("/dashboard/").content.decode()
    cells = "".join(f'<td class="text-end">{n}</td>' for n in (4, 0, 0, 3, 3, 0))  # m1 m2 m3 m3+, 6+, 12+
    assert f"<tr><td>{today.isoformat()}</td>{cells}</tr>" in html
