"""Today in the demo salon: after the nightly run, every staff login finds each state of the workflow —
follow-ups due today, appointments today, an escalated customer, an aftercare call — so a newcomer sees
the whole day on first sign-in."""

from __future__ import annotations

import datetime as dt
import random

from auditlog.context import set_actor
from django.db import transaction

from customers.audit import audit_phone_reveal
from customers.models import AftercareCall, Appointment, Customer, Staff, Store, Visit
from customers.services.customers import customer_update_profile

from .models import FollowUp
from .outcomes import Outcome
from .services.follow_ups import follow_up_log, latest_contacts_refresh
from .services.reassign import customers_reassign
from .services.segment import segment_store

DUE_PER_PERSON = 3
APPOINTMENTS_TODAY = 4


def demo_day_prepare(*, store: Store, today: dt.date, seed: int = 1) -> None:
    rng = random.Random(seed)
    segment_store(store=store, today=today)
    with transaction.atomic():
        callers = list(
            Staff.objects.filter(store=store, is_active=True, role__in=[Staff.Role.BEAUTICIAN, Staff.Role.FRONT_DESK])
        )
        for person in callers:
            mine = list(Customer.objects.filter(assignee=person, do_not_contact=False).order_by("pk")[:40])
            rng.shuffle(mine)
            for customer in mine[:DUE_PER_PERSON]:
                _called_before(customer, person, today, rng, outcome=Outcome.CALL_BACK, next_on=today)
            if len(mine) > DUE_PER_PERSON:
                escalated = mine[DUE_PER_PERSON]
                for days_ago, outcome in ((9, Outcome.NO_ANSWER), (6, Outcome.NO_ANSWER), (2, Outcome.REFUSED)):
                    _called_before(escalated, person, today, rng, outcome=outcome, days_ago=days_ago)
            booked = mine[DUE_PER_PERSON + 1 : DUE_PER_PERSON + 2]
            for customer in booked:
                _appointment_today(store, customer, person, today, rng)
        _aftercare_today(store, today, rng)
        _trail_today(store)


def _called_before(customer, person, today, rng, *, outcome, next_on=None, days_ago=None):
    day = today - dt.timedelta(days=days_ago or rng.randint(2, 6))
    at = dt.datetime.combine(day, dt.time(rng.randint(10, 18), rng.choice([0, 15, 30, 45])), customer.store.tzinfo)
    follow_up_log(by=person, customer=customer, outcome=outcome, contacted_at=at, next_follow_up_on=next_on)


def _appointment_today(store, customer, person, today, rng):
    starts_at = dt.datetime.combine(today, dt.time(rng.choice([14, 15, 16, 19]), rng.choice([0, 30])), store.tzinfo)
    staff = person if person.role == Staff.Role.BEAUTICIAN else customer.last_beautician
    Appointment.objects.create(store=store, customer=customer, starts_at=starts_at, staff=staff, created_by=person)
    FollowUp.objects.filter(customer=customer).update(next_follow_up_on=None)
    latest_contacts_refresh(Customer.objects.filter(pk=customer.pk))


def _trail_today(store):
    """A few entries in the manager's audit trail: profiles noted down, numbers revealed, a customer moved."""
    manager = Staff.objects.filter(store=store, role=Staff.Role.MANAGER, is_active=True).first()
    beauticians = list(Staff.objects.filter(store=store, role=Staff.Role.BEAUTICIAN, is_active=True).order_by("pk"))
    if manager is None or len(beauticians) < 2:
        return
    for person in beauticians[:2]:
        customer = Customer.objects.filter(assignee=person).order_by("pk").first()
        if customer is None:
            continue
        with set_actor(person):
            customer_update_profile(customer=customer, values={"wechat_added": True, "preferred_channel": "wechat"})
        audit_phone_reveal(actor=person, customer=customer)
    moved = Customer.objects.filter(assignee=beauticians[0]).order_by("-pk")[:1]
    with set_actor(manager):
        customers_reassign(by=manager, customers=moved, to=beauticians[1])


def _aftercare_today(store, today, rng):
    """Each beautician has the aftercare call of a customer she served two days ago."""
    served = Visit.objects.filter(store=store, visited_on=today - dt.timedelta(days=2), beautician__isnull=False)
    taken = set()
    for visit in served.filter(beautician__is_active=True).order_by("pk"):
        if visit.beautician_id is None or visit.beautician_id in taken:
            continue
        taken.add(visit.beautician_id)
        AftercareCall.objects.create(
            store=store, customer_id=visit.customer_id, staff_id=visit.beautician_id, visit=visit, due_on=today
        )
