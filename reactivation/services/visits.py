"""Registering a visit at the till: the visit, what is drawn from a card, and what the seeds insist on after it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from customers.models import AftercareCall, Appointment, Card, CardEntry, Customer, Service, Staff, Visit
from customers.services.cards import ZERO, card_post_entry
from customers.visit_hooks import visits_saved

AFTERCARE_AFTER = dt.timedelta(days=2)  # the seeds: call her two days after the visit (回访)


def visit_register(
    *,
    customer: Customer,
    visited_on: dt.date,
    beautician: Staff | None = None,
    service: Service | None = None,
    amount: Decimal = ZERO,
    card: Card | None = None,
    card_amount: Decimal = ZERO,
    card_sessions: int = 0,
    by: Staff | None = None,
    note: str = "",
    next_appointment_at: dt.datetime | None = None,
    aftercare_on: dt.date | None = None,
    appointment: Appointment | None = None,
) -> Visit:
    """Record a visit in one transaction: draw from the card through its ledger (InsufficientBalance, and nothing
    saved, when it holds too little), end her dormant spell and credit the return, book her next visit at the bed
    (床前预约) and schedule the aftercare call on the serving beautician's list."""
    with transaction.atomic():
        visit = Visit.objects.create(
            store_id=customer.store_id,
            customer=customer,
            visited_on=visited_on,
            beautician=beautician,
            service=service,
            amount=amount,
            card_amount=card_amount,
            card_sessions=card_sessions,
            created_by=by,
            note=note,
        )
        if card is not None and (card_amount or card_sessions):
            card_post_entry(
                card=card, kind=CardEntry.Kind.CONSUME, amount=-card_amount, sessions=-card_sessions, by=by, visit=visit
            )
        # Her last visit moves forward and, if she was dormant, her dormant spell ends now.
        visits_saved(store=customer.store, visits=[visit])
        if appointment is not None:  # she came for this one
            Appointment.objects.filter(pk=appointment.pk, status=Appointment.Status.BOOKED).update(
                status=Appointment.Status.ATTENDED
            )
        if next_appointment_at is not None:
            Appointment.objects.create(
                store_id=customer.store_id,
                customer=customer,
                starts_at=next_appointment_at,
                staff=beautician,
                service=service,
                created_by=by,
            )
        caller = beautician or by
        if aftercare_on is not None and caller is not None:
            AftercareCall.objects.create(
                store_id=customer.store_id, customer=customer, staff=caller, visit=visit, due_on=aftercare_on
            )
    customer.refresh_from_db()
    return visit
