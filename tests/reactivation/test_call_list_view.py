import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from customers.models import AuditEvent, Staff
from reactivation.selectors.calls import call_list_for
from reactivation.services.follow_ups import follow_up_log
from reactivation.services.segment import segment_store
from tests.factories import CustomerFactory, StaffFactory


def fill(store, n, months=1):
    today = store.today()
    customers = [
        CustomerFactory(store=store, last_visit_on=today - relativedelta(months=months, days=3)) for _ in range(n)
    ]
    segment_store(store=store, today=today)
    return customers


@pytest.mark.parametrize("rows", [3, 30])
def test_the_call_list_costs_the_same_queries_for_3_or_30_customers(
    client, store, beautician_a, django_assert_max_num_queries, rows
):
    customers = fill(store, rows)
    for customer in customers[:2]:
        follow_up_log(by=beautician_a, customer=customer, outcome="no_answer")
    client.force_login(beautician_a)
    # session, user, store (today), the page (its ids with the count, then its rows), latest run, overnight changes
    # (+ run), contacts today, and her month (the store's stamp, and the reward sheet's four when it is not
    # cached yet): 16 at most, whatever the list's length
    with django_assert_max_num_queries(16):
        response = client.get("/calls/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == rows
    assert len(response.context["page"].object_list) == min(rows, 25)


def test_a_beautician_sees_only_her_own_customers(client, store, beautician_a, beautician_b):
    fill(store, 4)
    client.force_login(beautician_a)
    listed = {c.pk for c in client.get("/calls/").context["page"].object_list}
    assert listed == set(store.customers.filter(assignee=beautician_a).values_list("pk", flat=True))
    assert len(listed) == 2


def test_she_is_told_why_her_list_changed_overnight(client, store, beautician_a, beautician_b):
    fill(store, 4)
    client.force_login(beautician_a)
    html = client.get("/calls/").content.decode()
    assert "+2" in html and "新进入沉睡" in html


def test_showing_the_full_number_is_audited(client, store, beautician_a):
    (customer,) = fill(store, 1)
    client.force_login(beautician_a)
    assert customer.phone not in client.get("/calls/").content.decode()
    response = client.post(f"/customers/{customer.pk}/phone/", HTTP_HX_REQUEST="true")
    assert f"tel:{customer.phone}" in response.content.decode()
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.customer) == ("reveal_phone", beautician_a, customer)


def test_a_colleague_cannot_reveal_and_leaves_no_audit_row(client, store, beautician_a, beautician_b, stranger):
    customer = fill(store, 2)[0]
    customer.refresh_from_db()
    other = beautician_b if customer.assignee == beautician_a else beautician_a
    for person in (other, stranger):
        client.force_login(person)
        assert client.post(f"/customers/{customer.pk}/phone/").status_code == 404
    assert not AuditEvent.objects.exists()


def test_revealing_needs_a_post(client, store, beautician_a):
    (customer,) = fill(store, 1)
    client.force_login(beautician_a)
    assert client.get(f"/customers/{customer.pk}/phone/").status_code == 405


def test_an_empty_list_says_what_will_come(client, store, beautician_a):
    client.force_login(beautician_a)
    html = client.get("/calls/").content.decode()
    assert 'id="empty-list"' in html


def test_the_customer_card_explains_the_assignment(client, store, beautician_a):
    (customer,) = fill(store, 1)
    client.force_login(beautician_a)
    html = client.get(f"/customers/{customer.pk}/").content.decode()
    assert "新进入沉睡" in html
    assert customer.masked_phone in html


def test_a_future_appointment_takes_her_off_the_list_before_the_night(client, store, beautician_a):
    (customer,) = fill(store, 1)
    follow_up_log(
        by=beautician_a,
        customer=customer,
        outcome="booked",
        appointment_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1),
    )
    client.force_login(beautician_a)
    assert not client.get("/calls/").context["page"].object_list


def test_a_beautician_without_a_store_has_no_call_list(client, db):
    client.force_login(StaffFactory(role=Staff.Role.BEAUTICIAN, store=None))
    assert client.get("/calls/").status_code == 404


@pytest.mark.parametrize("rows", [3, 30])
def test_the_customer_card_costs_the_same_queries_for_3_or_30_of_everything(
    client, store, beautician_a, django_assert_max_num_queries, rows
):
    from customers.models import Card
    from customers.services.cards import card_open
    from tests.factories import AppointmentFactory, VisitFactory

    (customer,) = fill(store, 1)
    for n in range(rows):
        follow_up_log(by=beautician_a, customer=customer, outcome="no_answer", reasons=["busy"])
        VisitFactory(customer=customer, visited_on=dt.date(2024, 1, 1) + dt.timedelta(days=n))
        AppointmentFactory(customer=customer, starts_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=n))
    for n in range(min(rows, 5)):
        card_open(customer=customer, name=f"卡{n}", kind=Card.Kind.VALUE, balance=100)
    client.force_login(beautician_a)
    with django_assert_max_num_queries(30):
        response = client.get(f"/customers/{customer.pk}/")
    assert response.status_code == 200
    assert response.context["contacts"].paginator.count == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_the_appointments_page_costs_the_same_queries_for_3_or_30(
    client, store, front_desk, django_assert_max_num_queries, rows
):
    from tests.factories import AppointmentFactory

    start = dt.datetime.combine(store.today(), dt.time(10), store.tzinfo)
    for n in range(rows):
        AppointmentFactory(customer=CustomerFactory(store=store), starts_at=start + dt.timedelta(hours=n))
    client.force_login(front_desk)
    with django_assert_max_num_queries(8):
        response = client.get("/appointments/")
    assert sum(len(day) for day in response.context["days"].values()) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_the_managers_view_of_a_list_and_the_escalated_tab_cost_the_same_for_3_or_30(
    client, store, manager, beautician_a, django_assert_max_num_queries, rows
):
    customers = fill(store, rows)
    store.customers.update(escalated_on=store.today())
    client.force_login(manager)
    with django_assert_max_num_queries(11):  # the page: its ids, then its rows
        assert client.get("/calls/?escalated=1").context["page"].paginator.count == rows
    with django_assert_max_num_queries(13):
        assert client.get("/calls/?staff=beautician_a").context["page"].paginator.count == len(customers)


def test_the_queue_puts_due_follow_ups_first_then_the_uncontacted_most_valuable_first(client, store, beautician_a):
    from customers.services.cards import card_open

    rich, poor, due, called = fill(store, 4)
    card_open(customer=rich, name="储值卡", balance=5000)
    card_open(customer=poor, name="储值卡", balance=100)
    follow_up_log(by=beautician_a, customer=due, outcome="call_back", next_follow_up_on=store.today())
    follow_up_log(by=beautician_a, customer=called, outcome="reached")  # next follow-up in a week
    client.force_login(beautician_a)
    order = [c.pk for c in client.get("/calls/").context["page"].object_list]
    assert order == [due.pk, rich.pk, poor.pk, called.pk]


def test_an_expired_card_does_not_count_on_the_list(client, store, beautician_a):
    from customers.services.cards import card_open

    (customer,) = fill(store, 1)
    card_open(customer=customer, name="旧卡", balance=900, expires_on=store.today() - dt.timedelta(days=1))
    card_open(customer=customer, name="新卡", balance=100)
    client.force_login(beautician_a)
    (row,) = client.get("/calls/").context["page"].object_list
    assert row.card_balance == 100


def test_each_row_says_how_her_last_contact_ended_and_when_the_next_is_due(client, store, beautician_a):
    (customer,) = fill(store, 1)
    tomorrow = store.today() + dt.timedelta(days=1)
    follow_up_log(by=beautician_a, customer=customer, outcome="no_answer", next_follow_up_on=tomorrow)
    client.force_login(beautician_a)
    html = client.get("/calls/").content.decode()
    assert "无人接听" in html and f"{tomorrow:%m-%d}" in html


def test_within_a_section_the_customer_who_spent_more_before_going_quiet_comes_first(client, store, beautician_a):
    from customers.models import Visit
    from customers.services.last_visits import customers_refresh_last_visits

    thrifty, generous = fill(store, 2)
    last = thrifty.last_visit_on
    for customer, amounts in ((thrifty, [300]), (generous, [200, 200])):
        for days, amount in enumerate(amounts):
            Visit.objects.create(store=store, customer=customer, visited_on=last - dt.timedelta(days=30 * days),
                                 amount=amount)  # fmt: skip
    # A visit more than twelve months before her last one does not count.
    Visit.objects.create(store=store, customer=thrifty, visited_on=last - dt.timedelta(days=400), amount=5000)
    customers_refresh_last_visits(customer_ids=[thrifty.pk, generous.pk])
    thrifty.refresh_from_db()
    generous.refresh_from_db()
    assert (thrifty.spend_12m, generous.spend_12m) == (300, 400)
    client.force_login(beautician_a)
    order = [c.pk for c in client.get("/calls/").context["page"].object_list]
    assert order == [generous.pk, thrifty.pk]


def test_every_page_of_the_list_is_its_part_of_the_whole_list_and_counted(client, store, beautician_a):
    fill(store, 30)
    client.force_login(beautician_a)
    whole = list(call_list_for(beautician_a).values_list("pk", flat=True))
    pages = {page: client.get("/calls/", {"page": page}).context["page"] for page in ["1", "2", "9", "x", "0"]}
    assert [c.pk for c in pages["1"].object_list] == whole[:25] == [c.pk for c in pages["x"].object_list]
    assert [c.pk for c in pages["2"].object_list] == whole[25:] == [c.pk for c in pages["9"].object_list]
    assert [c.pk for c in pages["0"].object_list] == whole[25:]  # Paginator's last page for a page before the first
    assert {page.paginator.count for page in pages.values()} == {30} and pages["9"].number == 2
    assert client.get("/calls/", {"q": "nobody"}).context["page"].paginator.count == 0
