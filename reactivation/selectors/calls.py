"""Reading call lists: what each person has to do, with bounded queries whatever the list's length."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import DecimalField, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from customers.access import visible_customers
from customers.models import Appointment, Card, Customer, Staff, Store

from ..models import AssignmentChange, FollowUp, SegmentRun
from ..segmentation import bookings_hold_from

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def contactable(customers: QuerySet[Customer], *, store: Store, today: dt.date) -> QuerySet[Customer]:
    """Drop customers who must not be called: do-not-contact, archived, or booked ahead (the nightly rule)."""
    booked_ahead = Appointment.objects.filter(
        customer=OuterRef("pk"),
        status=Appointment.Status.BOOKED,
        starts_at__gte=bookings_hold_from(today, store.tzinfo),
    )
    return customers.filter(do_not_contact=False, is_archived=False).exclude(Exists(booked_ahead))


def with_cards(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    """Annotate what is left on her cards: `card_balance` (yuan, all stored-value cards) and `sessions_left`."""
    cards = Card.objects.filter(customer=OuterRef("pk")).order_by().values("customer")
    balance = cards.filter(kind=Card.Kind.VALUE).annotate(total=Sum("balance")).values("total")
    sessions = cards.filter(kind=Card.Kind.SESSIONS).annotate(total=Sum("sessions_left")).values("total")
    money: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=2)
    return customers.annotate(
        card_balance=Coalesce(Subquery(balance, output_field=money), Value(0, output_field=money)),
        sessions_left=Coalesce(Subquery(sessions, output_field=IntegerField()), Value(0)),
    )


def with_last_contact(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    latest = FollowUp.objects.filter(customer=OuterRef("pk")).order_by("-contacted_at", "-id")
    return customers.annotate(
        last_contact_at=Subquery(latest.values("contacted_at")[:1]),
        last_contact_outcome=Subquery(latest.values("outcome")[:1]),
        next_follow_up_on=Subquery(latest.values("next_follow_up_on")[:1]),
    )


def call_list_for(user: Staff) -> QuerySet[Customer]:
    """The customers `user` should call, the most overdue first.

    Her assigned customers; a manager also sees the customers escalated to her
    after three failed attempts. A customer whose next follow-up is planned
    later sinks until that day.
    """
    mine = Q(assignee=user)
    if user.is_manager:
        mine |= Q(escalated_on__isnull=False)
    store = user.store
    if store is None:
        return Customer.objects.none()
    customers = contactable(visible_customers(user).filter(mine), store=store, today=store.today())
    customers = with_last_contact(with_cards(customers)).select_related("assignee")
    return customers.annotate(due_on=Coalesce("next_follow_up_on", "dormant_since")).order_by(
        "due_on", "last_visit_on", "pk"
    )


def export_rows(*, store: Store) -> QuerySet[Customer]:
    """Every contactable customer of `store` with an assignee, as the call-list export lists them (DESIGN §5.3)."""
    customers = Customer.objects.filter(store=store, assignee__isnull=False)
    return (
        with_cards(contactable(customers, store=store, today=store.today()))
        .select_related("store", "assignee")
        .order_by("assignee__username", "last_visit_on", "pk")
    )


@dataclass(frozen=True)
class OvernightChange:
    gained: bool  # True: the customer came onto her list; False: she left it
    cause: str
    customers: int

    @property
    def cause_label(self) -> StrOrPromise:
        return AssignmentChange.Cause(self.cause).label


def overnight_changes_for(user: Staff) -> list[OvernightChange]:
    """How `user`'s list changed at the store's latest nightly run, and why."""
    if user.store_id is None:  # no store, no nightly run
        return []
    run = SegmentRun.objects.filter(store_id=user.store_id, status=SegmentRun.Status.DONE).order_by("-run_date").first()
    if run is None:
        return []
    rows = (
        AssignmentChange.objects.filter(run=run)
        .filter(Q(to_staff=user) | Q(from_staff=user))
        .values_list("to_staff_id", "cause")
    )
    counts = Counter((to_staff_id == user.pk, cause) for to_staff_id, cause in rows)
    return [OvernightChange(gained, cause, n) for (gained, cause), n in sorted(counts.items(), reverse=True)]


def latest_run(store_id: int) -> SegmentRun | None:
    return SegmentRun.objects.filter(store_id=store_id).order_by("-run_date").first()


def customer_history(customer: Customer) -> dict:
    """What the customer card shows besides the profile: cards, recent visits, contacts, assignment history."""
    return {
        "cards": list(customer.cards.order_by("expires_on", "name")),
        "visits": list(customer.visits.select_related("service", "beautician").order_by("-visited_on", "-id")[:10]),
        "follow_ups": list(
            customer.follow_ups.select_related("by").prefetch_related("reasons").order_by("-contacted_at", "-id")[:10]
        ),
        "assignment_changes": list(
            customer.assignment_changes.select_related("from_staff", "to_staff").order_by("-changed_on", "-id")[:5]
        ),
    }
