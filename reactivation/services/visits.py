"""Registering a visit: the one way a customer's last visit moves forward."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from customers.models import Card, CardEntry, Customer, Service, Staff, Visit
from customers.services.cards import ZERO, card_post_entry
from customers.visit_hooks import visits_saved


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
) -> Visit:
    """Record a visit, draw from the card if one is used, and move the customer's last visit forward."""
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
    customer.refresh_from_db()
    return visit
