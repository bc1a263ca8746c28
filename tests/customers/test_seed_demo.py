import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max

from customers.models import Card, CardEntry, Customer, Staff, Store, Visit

TODAY = dt.date(2026, 11, 23)


def seed(customers=150, seed=7):
    call_command("seed_demo", customers=customers, seed=seed, today=TODAY, force=True, stdout=None)
    return Store.objects.get(code="DEMO")


def signature(store):
    """What a user would see of the demo salon, independent of database ids."""
    customers = list(store.customers.order_by("phone").values_list("phone", "name", "joined_on", "last_visit_on"))
    visits = list(
        Visit.objects.filter(store=store)
        .order_by("customer__phone", "visited_on", "service__name")
        .values_list("customer__phone", "visited_on", "service__name", "beautician__username", "amount", "card_amount")
    )
    cards = list(
        Card.objects.filter(customer__store=store)
        .order_by("customer__phone", "name")
        .values_list("name", "balance", "sessions_left")
    )
    return customers, visits, cards


@pytest.mark.django_db
def test_the_demo_store_has_the_promised_team():
    store = seed()
    roles = dict(Staff.objects.filter(username__in=["owner", "manager"]).values_list("username", "role"))
    assert roles == {"owner": "owner", "manager": "manager"}
    assert store.staff.filter(role=Staff.Role.BEAUTICIAN, is_active=True).count() == 6
    assert store.staff.filter(role=Staff.Role.FRONT_DESK, is_active=True).count() == 2
    assert Staff.objects.get(username="manager").check_password("salon-demo")


@pytest.mark.django_db
def test_demo_histories_are_consistent():
    store = seed()
    assert store.customers.count() == 150
    last = dict(Visit.objects.filter(store=store).values_list("customer").annotate(Max("visited_on")))
    for customer_id, last_visit_on in store.customers.values_list("id", "last_visit_on"):
        assert last.get(customer_id) == last_visit_on
    # Sums in Python: SQLite's SUM() over decimals goes through floating point.
    for card in Card.objects.filter(customer__store=store).prefetch_related("entries"):
        entries = list(card.entries.all())
        assert sum((e.amount for e in entries), Decimal("0")) == card.balance
        assert sum(e.sessions for e in entries) == card.sessions_left
        assert card.balance >= 0
    drawn = sum(Visit.objects.filter(store=store).values_list("card_amount", flat=True))
    entries = CardEntry.objects.filter(card__customer__store=store, kind="consume")
    assert drawn == -sum(entries.values_list("amount", flat=True))


@pytest.mark.django_db
def test_demo_customers_look_like_a_real_salon():
    store = seed(customers=600)
    months_away = [
        (TODAY.year - c.year) * 12 + TODAY.month - c.month
        for c in store.customers.exclude(last_visit_on=None).values_list("last_visit_on", flat=True)
    ]
    assert sum(m <= 0 for m in months_away) > 100, "regulars seen this month"
    for months in (1, 2, 3):
        assert sum(m == months for m in months_away) > 10, f"customers {months} months away"
    assert sum(m > 12 for m in months_away) > 20, "customers lost for over a year"
    assert store.customers.filter(last_visit_on=None).exists(), "some never came back after joining"
    assert store.appointments.filter(starts_at__date__gt=TODAY).exists()
    assert Card.objects.filter(customer__store=store, kind=Card.Kind.VALUE, balance__gt=Decimal("0")).exists()
    assert Card.objects.filter(customer__store=store, kind=Card.Kind.SESSIONS, sessions_left__gt=0).exists()
    served = store.visits.values("beautician").annotate(n=Count("id"))
    assert len(served) == 6


@pytest.mark.django_db
def test_the_same_seed_builds_the_same_salon_and_another_seed_another():
    first = signature(seed(seed=3))
    assert signature(seed(seed=3)) == first
    assert signature(seed(seed=4)) != first


@pytest.mark.django_db
def test_reseeding_leaves_other_stores_alone(store):
    from tests.factories import CustomerFactory

    CustomerFactory(store=store)
    seed()
    seed()
    assert store.customers.count() == 1
    assert Store.objects.filter(code="DEMO").count() == 1


@pytest.mark.django_db
def test_seeding_refuses_a_real_installation_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", customers=5)
    assert not Customer.objects.exists()


@pytest.mark.django_db
def test_every_demo_login_finds_every_state_of_the_day(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 23, 4, 0, tzinfo=dt.UTC), tick=False)  # noon in Shanghai
    from customers.models import AftercareCall, Appointment
    from reactivation.selectors.calls import Queue, call_list_for, escalated_list_for

    store = seed(customers=400)
    callers = store.staff.filter(role__in=[Staff.Role.BEAUTICIAN, Staff.Role.FRONT_DESK], is_active=True)
    for person in callers:
        queue = [c.queue for c in call_list_for(person)]
        assert queue.count(Queue.DUE) >= 1, f"{person.username} has no follow-up due today"
    manager = store.staff.get(role=Staff.Role.MANAGER)
    assert escalated_list_for(manager).count() >= 1
    start = dt.datetime.combine(TODAY, dt.time.min, store.tzinfo)
    assert Appointment.objects.filter(store=store, starts_at__range=(start, start + dt.timedelta(days=1))).count() >= 2
    assert AftercareCall.objects.filter(store=store, due_on=TODAY).exists()
    from reactivation.selectors.audit_trail import Kind, TrailFilters, audit_trail

    done_by_people = {e.kind for e in audit_trail(store, TrailFilters()).entries if e.actor is not None}
    assert done_by_people >= {Kind.CUSTOMERS, Kind.ASSIGNMENTS, Kind.DATA_ACCESS}, "the manager's trail has entries"


@pytest.mark.django_db
def test_the_demo_has_twelve_weeks_of_history_for_the_manager():
    from reactivation.models import CustomerReturn, SegmentRun
    from reactivation.selectors.dashboard import store_dashboard
    from reactivation.selectors.rewards import reward_sheet

    store = seed(customers=300)
    nights = SegmentRun.objects.filter(store=store, status="done")
    assert nights.count() >= 84 and nights.filter(run_date=TODAY).exists()
    returns = CustomerReturn.objects.filter(store=store)
    assert returns.exists() and returns.filter(credited_to__isnull=False).exists()
    board = store_dashboard(store, TODAY)
    assert len(board.trend["days"]) >= 84
    assert board.funnel[0].now and board.funnel[0].before  # dormant this month and last
    assert reward_sheet(store, TODAY - dt.timedelta(days=31)).total > 0
