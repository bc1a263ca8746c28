"""Every dashboard figure against a hand-built store whose month we know by heart.

Today is Tuesday 10 February 2026 in Asia/Shanghai. A call at 23:30 on 31 January (15:30 UTC)
belongs to January; one at 00:10 on 1 February (16:10 UTC on the 31st) to February.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from customers.models import Card
from customers.services.cards import card_open
from reactivation.models import CustomerReturn
from reactivation.selectors.calls import call_list_for
from reactivation.selectors.chain import chain_board
from reactivation.selectors.dashboard import store_dashboard
from reactivation.services.follow_ups import follow_up_log
from tests.factories import AppointmentFactory, CustomerFactory, VisitFactory

TODAY = dt.date(2026, 2, 10)
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
D = Decimal


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def contact(store, by, customer, moment, outcome, *reasons, **fields):
    return follow_up_log(by=by, customer=customer, contacted_at=moment, outcome=outcome, reasons=reasons, **fields)


def card(customer, kind, expires_on=None, balance=0, sessions_left=0):
    # through the ledger, the only door a balance moves by: it keeps the holder's prepaid copy the dashboard adds up
    card_open(
        customer=customer, name=f"卡{customer.pk}{kind}", kind=kind, balance=balance, sessions=sessions_left,
        expires_on=expires_on,
    )  # fmt: skip


def came_back(store, credited_to, returned_on, amount, *later):
    customer = CustomerFactory(store=store)
    visit = VisitFactory(customer=customer, visited_on=returned_on, amount=D(amount))
    for day, paid in later:
        VisitFactory(customer=customer, visited_on=day, amount=D(paid))
    CustomerReturn.objects.create(
        store=store, customer=customer, visit=visit, returned_on=returned_on, bucket="m2", months_away=2,
        credited_to=credited_to,
    )  # fmt: skip


@pytest.fixture
def february(store, manager, beautician_a, beautician_b, front_desk):
    c1 = CustomerFactory(store=store, bucket="m1", assignee=beautician_a, name="一月客")
    c2 = CustomerFactory(store=store, bucket="m1", assignee=beautician_b)
    c3 = CustomerFactory(store=store, bucket="m3", assignee=front_desk, escalated_on=dt.date(2026, 2, 8))
    c4 = CustomerFactory(store=store, bucket="m3plus", assignee=None, months_away=7)
    c5 = CustomerFactory(store=store, bucket="active")
    card(c1, Card.Kind.VALUE, dt.date(2026, 2, 20), balance=D("1000"))
    card(c3, Card.Kind.SESSIONS, sessions_left=5)
    card(c4, Card.Kind.VALUE, balance=D("500"))
    card(c5, Card.Kind.VALUE, dt.date(2026, 2, 12), balance=D("9999"))
    contact(store, beautician_a, c1, at(2026, 2, 9, 10, 0), "reached", "price", notes="嫌贵，想要小套餐")
    contact(store, beautician_a, c1, at(2026, 1, 31, 23, 30), "booked", "busy")
    contact(store, beautician_b, c2, at(2026, 2, 1, 0, 10), "no_answer", next_follow_up_on=dt.date(2026, 2, 5))
    came_back(store, beautician_a, dt.date(2026, 1, 31), "800", (dt.date(2026, 2, 3), "200"))
    came_back(store, front_desk, dt.date(2026, 2, 5), "300")
    return store_dashboard(store, TODAY)


def test_the_funnel_this_month_and_last(february):
    steps = {s.step: s for s in february.funnel}
    assert [steps[s].now for s in ("dormant", "contacted", "reached", "booked", "returned", "activated")] == [
        4,
        2,
        1,
        0,
        1,
        1,
    ]
    assert [steps[s].before for s in ("contacted", "reached", "booked", "returned", "activated")] == [1, 1, 1, 1, 0]
    assert steps["contacted"].conversion == 50 and steps["reached"].conversion == 50
    assert steps["booked"].conversion_before == 100 and steps["dormant"].conversion is None
    assert steps["dormant"].before is None  # no nightly snapshot last month: unknown, not today's count
    # coming back is counted against those contacted (a walk-in after a call booked nothing)
    assert (steps["returned"].conversion, steps["returned"].conversion_before) == (50, 100)
    assert steps["returned"].base_label == "占已联系" and steps["reached"].base_label == ""


def test_the_funnel_counts_only_the_returns_a_contact_brought(february, store):
    came_back(store, None, dt.date(2026, 2, 6), "100")  # came back on her own: no contact before it
    board = store_dashboard(store, TODAY)
    steps = {s.step: s for s in board.funnel}
    assert (steps["returned"].now, steps["returned"].conversion) == (1, 50)
    assert board.returns_on_their_own == 1


def test_each_persons_row(february):
    rows = {row.staff.username: row for row in february.rows if row.staff}
    a, b, fd = rows["beautician_a"], rows["beautician_b"], rows["front_desk"]
    assert (a.total, a.results.contacted_this_week, a.results.reached, a.results.booked) == (1, 1, 1, 0)
    assert (a.results.returned, a.results.activated) == (0, 1)  # back on Jan 31, activated on Feb 3
    assert (b.results.contacted_this_week, b.results.overdue) == (0, 1)
    assert (fd.results.returned, fd.results.escalated) == (1, 1)


def test_the_reasons_with_share_and_change(february):
    (price,) = february.top_reasons
    assert (price.reason, price.now, price.share, price.before, price.change) == ("price", 1, 100, 0, 1)


def test_the_prepaid_money_held_by_dormant_customers(february):
    liability = february.liability
    assert liability.by_bucket["m1"] == (D("1000.00"), 0) and liability.by_bucket["m3"] == (D("0"), 5)
    assert liability.yuan == D("1500.00") and liability.sessions == 5
    assert [c.customer.name for c in liability.expiring] == ["一月客"]  # the active customer's card is not a liability


def test_revenue_from_returned_customers_this_month(february):
    revenue = february.revenue
    assert (revenue.customers, revenue.visits, revenue.paid) == (2, 2, D("500.00"))


def test_the_long_gone_split_of_more_than_three_months(february):
    assert february.long_gone == {"six": 1, "twelve": 0}


def test_warnings(february, beautician_a, beautician_b, front_desk):
    assert february.escalated == 1 and february.idle == []
    assert {p.username for p in february.behind} == {"beautician_a", "beautician_b", "front_desk"}


def test_the_page_links_each_person_and_each_reason(client, february, manager):
    client.force_login(manager)
    html = client.get("/dashboard/").content.decode()
    assert 'href="/calls/?staff=beautician_a"' in html and 'id="funnel-chart"' in html and 'id="chart-data"' in html
    page = client.get("/dashboard/reasons/price/?month=2026-02").content.decode()
    assert "嫌贵，想要小套餐" in page
    assert "嫌贵" not in client.get("/dashboard/reasons/price/?month=2026-01").content.decode()
    assert client.get("/dashboard/reasons/nonsense/").status_code == 404


def test_the_owner_compares_stores(client, february, store, other_store, owner, manager):
    board = chain_board([store, other_store])
    line = {line.store.code: line for line in board.lines}["MAIN"]
    assert (line.dormant, line.liability) == (4, D("1500.00"))
    assert board.totals["dormant"] == 4
    client.force_login(owner)
    html = client.get("/dashboard/stores/").content.decode()
    assert 'href="/dashboard/?store=MAIN"' in html and 'href="/dashboard/?store=OTHER"' in html
    client.force_login(manager)
    assert client.get("/dashboard/stores/").status_code == 403


@pytest.mark.parametrize("stores", [2, 6])
def test_the_owner_view_costs_the_same_queries_for_any_number_of_stores(
    client, owner, stores, django_assert_max_num_queries
):
    from tests.factories import StoreFactory

    for i in range(stores):
        shop = StoreFactory(code=f"S{i}")
        CustomerFactory(store=shop, bucket="m1")
    client.force_login(owner)
    with django_assert_max_num_queries(16):
        assert client.get("/dashboard/stores/").status_code == 200


@pytest.mark.parametrize("customers", [3, 30])
def test_the_rich_dashboard_costs_the_same_queries_for_any_store_size(
    client, february, store, manager, customers, django_assert_max_num_queries
):
    for _ in range(customers):
        shopper = CustomerFactory(store=store, bucket="m2")
        card(shopper, Card.Kind.VALUE, TODAY, balance=D("10"))
        came_back(store, manager, TODAY, "10")
    client.force_login(manager)
    with django_assert_max_num_queries(30):
        assert client.get("/dashboard/").status_code == 200


def test_the_liability_follows_the_ledger_and_both_views_agree(february, store, other_store, beautician_a):
    """A card drawn on, topped up or opened during the day moves the dormant liability at once, on the store's
    dashboard and on the owner's view alike, to what the cards themselves hold."""
    from django.db.models import Sum

    from customers.models import CardEntry
    from customers.services.cards import card_post_entry

    held = Card.objects.get(customer__name="一月客")
    card_post_entry(card=held, kind=CardEntry.Kind.CONSUME, amount=D("-250"))
    card(CustomerFactory(store=store, bucket="m2"), Card.Kind.VALUE, balance=D("40"))
    cards = Card.objects.filter(customer__store=store, customer__bucket__in=["m1", "m2", "m3", "m3plus"])
    live = cards.filter(kind=Card.Kind.VALUE).aggregate(s=Sum("balance"))["s"]
    board = store_dashboard(store, TODAY)
    line = {line.store.code: line for line in chain_board([store, other_store]).lines}["MAIN"]
    assert board.liability.yuan == line.liability == live == D("1290.00")
    assert board.liability.by_bucket["m1"] == (D("750.00"), 0) and board.liability.by_bucket["m2"] == (D("40.00"), 0)


def test_the_came_back_tile_says_how_many_came_back_with_no_contact_credited(store, manager, beautician_a, client):
    came_back(store, beautician_a, TODAY - dt.timedelta(days=2), "300")
    came_back(store, None, TODAY - dt.timedelta(days=1), "200")
    board = store_dashboard(store, TODAY)
    assert (board.returns_this_month, board.returns_on_their_own) == (2, 1)
    credited = sum(row.results.returned for row in board.rows if row.staff)
    assert credited + board.returns_on_their_own == board.returns_this_month, "the rows and the tile agree"


def test_the_came_back_figures_follow_every_change_at_once(february, store, manager, beautician_b):
    """Returns, activations and the revenue from them are kept under the store's reward-sheet stamp: a new
    return, a later visit, a changed activation rule or a return taken back shows on the next dashboard."""
    from customers.services.store_settings import store_settings_change

    def figures():
        board = store_dashboard(store, TODAY)
        steps = {s.step: s.now for s in board.funnel}
        b = next(row for row in board.rows if row.staff == beautician_b)
        revenue = (board.revenue.customers, board.revenue.visits, board.revenue.paid)
        return board.returns_this_month, steps["returned"], steps["activated"], b.results.returned, revenue

    assert figures() == (1, 1, 1, 0, (2, 2, D("500.00")))
    assert figures() == (1, 1, 1, 0, (2, 2, D("500.00")))  # read again: the same, from the cache
    came_back(store, beautician_b, dt.date(2026, 2, 9), "300")
    assert figures() == (2, 2, 1, 1, (3, 3, D("800.00")))
    back = CustomerReturn.objects.get(returned_on=dt.date(2026, 2, 9))
    VisitFactory(customer=back.customer, visited_on=TODAY, amount=D("100"))
    assert figures() == (2, 2, 2, 1, (3, 4, D("900.00")))
    store_settings_change(by=manager, store=store, values={"activation_visits": 3})
    assert figures() == (2, 2, 0, 1, (3, 4, D("900.00")))
    back.delete()
    assert figures() == (1, 1, 0, 0, (2, 2, D("500.00")))


def test_the_dashboard_reads_the_came_back_figures_once_until_something_changes(february, store):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reactivation.services.reward_stamps import reward_sheet_changed

    reward_sheet_changed(store_ids={store.pk})  # as a visit registered does
    with CaptureQueriesContext(connection) as fresh:
        store_dashboard(store, TODAY)
    with CaptureQueriesContext(connection) as cached:
        store_dashboard(store, TODAY)
    assert len(cached) == len(fresh) - 2, "the returns and the visits after them: the stamp alone instead"


def test_a_customer_booked_during_the_day_leaves_her_callers_cell_as_she_leaves_her_list(store, beautician_a):
    booked, waiting = (CustomerFactory(store=store, bucket="m1", assignee=beautician_a) for _ in range(2))
    AppointmentFactory(customer=booked, starts_at=timezone.now() + dt.timedelta(days=1))

    board = store_dashboard(store, store.today())
    rows = {row.staff.username if row.staff else None: row for row in board.rows}
    assert [c.pk for c in call_list_for(beautician_a, bucket="m1")] == [waiting.pk]
    assert rows["beautician_a"].by_bucket == {"m1": 1}, "the cell counts what the list it links to shows"
    assert rows[None].by_bucket == {"m1": 1}, "she is among those nobody calls, still counted in the store"
    assert board.buckets["m1"] == 2
