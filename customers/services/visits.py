"""Registering a visit: the one way a customer's last visit moves forward."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from ..models import Card, CardEntry, Customer, Service, Staff, Visit
from .cards import ZERO, card_post_entry


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
        customer_note_visit(customer=customer, visited_on=visited_on, beautician=beautician)
    return visit


def customer_note_visit(*, customer: Customer, visited_on: dt.date, beautician: Staff | None) -> bool:
    """Move `last_visit_on` (and who served her) forward; an older visit entered late changes nothing."""
    changes = {"last_visit_on": visited_on}
    if beautician is not None:
        changes["last_beautician"] = beautician
    moved = Customer.objects.filter(
        Q(last_visit_on__isnull=True) | Q(last_visit_on__lte=visited_on), pk=customer.pk
    ).update(**changes)
    if moved:
        for field, value in changes.items():
            setattr(customer, field, value)
    return bool(moved)
