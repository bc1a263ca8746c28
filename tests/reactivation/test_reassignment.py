"""The manager moves customers by hand (kept by the nightly run), and a leaver's customers move at once."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from customers.models import Customer, Staff
from reactivation.models import AssignmentChange
from reactivation.services.segment import segment_store
from tests.factories import CustomerFactory


def dormant(store, n, months=1):
    today = store.today()
    return [CustomerFactory(store=store, last_visit_on=today - relativedelta(months=months, days=3)) for _ in range(n)]


def held_by(person):
    return set(Customer.objects.filter(assignee=person).values_list("pk", flat=True))


def test_a_manual_swap_is_recorded_and_the_nightly_run_keeps_it(client, store, manager, beautician_a, beautician_b):
    dormant(store, 4)
    today = store.today()
    segment_store(store=store, today=today - dt.timedelta(days=1))
    a_before, b_before = sorted(held_by(beautician_a)), sorted(held_by(beautician_b))
    client.force_login(manager)
    client.post("/reassign/", {"staff": "beautician_a", "to": beautician_b.pk, "customers": [a_before[0]]})
    response = client.post("/reassign/", {"staff": "beautician_b", "to": beautician_a.pk, "customers": [b_before[0]]})
    assert response.status_code == 302
    assert AssignmentChange.objects.filter(cause="manual").count() == 2
    swapped_a = held_by(beautician_a)
    assert a_before[0] not in swapped_a and b_before[0] in swapped_a
    segment_store(store=store, today=today)  # the next night: both still valid, loads balanced
    assert held_by(beautician_a) == swapped_a


def test_the_reassign_page_lists_her_customers_and_only_managers_may_use_it(
    client, store, manager, beautician_a, beautician_b, stranger
):
    dormant(store, 2)
    segment_store(store=store, today=store.today())
    client.force_login(manager)
    page = client.get("/reassign/?staff=beautician_a").content.decode()
    assert page.count('name="customers"') == 1 and f'value="{beautician_b.pk}"' in page
    assert client.get("/reassign/?staff=stranger").status_code == 404
    client.force_login(beautician_a)
    assert client.get("/reassign/?staff=beautician_a").status_code == 403
    customer = Customer.objects.get(assignee=beautician_a)
    client.force_login(manager)
    client.post("/reassign/", {"staff": "beautician_a", "to": stranger.pk, "customers": [customer.pk]})
    assert Customer.objects.get(pk=customer.pk).assignee == beautician_a  # not her store: nothing moves


def test_deactivating_a_leaver_moves_her_customers_at_once_and_says_to_whom(
    client, store, manager, beautician_a, beautician_b, front_desk
):
    dormant(store, 4)
    segment_store(store=store, today=store.today())
    assert len(held_by(beautician_a)) == 2
    client.force_login(manager)
    assert client.get(f"/staff/{beautician_a.pk}/deactivate/").status_code == 405
    response = client.post(f"/staff/{beautician_a.pk}/deactivate/", follow=True)
    beautician_a.refresh_from_db()
    assert not beautician_a.is_active and held_by(beautician_a) == set()
    assert len(held_by(beautician_b)) == 4
    html = response.content.decode()
    assert "小雅: 2" in html


def test_a_manager_cannot_deactivate_another_manager_or_another_stores_staff(client, store, manager, stranger):
    other_manager = Staff.objects.create(username="m2", role=Staff.Role.MANAGER, store=store)
    client.force_login(manager)
    assert client.post(f"/staff/{other_manager.pk}/deactivate/").status_code == 404
    assert client.post(f"/staff/{stranger.pk}/deactivate/").status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active
