"""The card ledger: the only way a card's balance or sessions change.

Each entry is written in the same transaction as a guarded, single-statement
update of the card's cached balance (`UPDATE … SET balance = balance + x
WHERE balance >= -x`), so two deductions at the same moment can neither lose
one another nor take a card below zero, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ..models import Card, CardEntry, Customer, Staff, Visit

ZERO = Decimal("0.00")


class InsufficientBalance(Exception):
    """The card does not hold enough money or sessions for this deduction."""


def card_post_entry(
    *,
    card: Card,
    kind: str,
    amount: Decimal = ZERO,
    sessions: int = 0,
    by: Staff | None = None,
    visit: Visit | None = None,
    note: str = "",
) -> CardEntry:
    """Add one ledger entry and move the card's balance by exactly that much; refuse to go below zero."""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    with transaction.atomic():
        moved = Card.objects.filter(pk=card.pk, balance__gte=-amount, sessions_left__gte=-sessions).update(
            balance=F("balance") + amount, sessions_left=F("sessions_left") + sessions
        )
        if not moved:
            raise InsufficientBalance(_("The card “%(card)s” does not have enough left.") % {"card": card.name})
        card.refresh_from_db(fields=["balance", "sessions_left"])
        return CardEntry.objects.create(
            card=card,
            kind=kind,
            amount=amount,
            sessions=sessions,
            balance_after=card.balance,
            sessions_after=card.sessions_left,
            visit=visit,
            note=note,
            created_by=by,
        )


def card_open(
    *,
    customer: Customer,
    name: str,
    kind: str = Card.Kind.VALUE,
    balance: Decimal = ZERO,
    sessions: int = 0,
    expires_on: dt.date | None = None,
    by: Staff | None = None,
) -> Card:
    """A new card with its opening ledger entry."""
    with transaction.atomic():
        card = Card.objects.create(customer=customer, name=name, kind=kind, expires_on=expires_on)
        card_post_entry(card=card, kind=CardEntry.Kind.OPENING, amount=balance, sessions=sessions, by=by)
    return card


def card_set_balance(
    *, card: Card, balance: Decimal, sessions: int, by: Staff | None = None, note: str = ""
) -> CardEntry | None:
    """Bring the card to a known balance (an import, a stock-take) with one adjustment entry.

    Returns None when nothing differs.
    """
    delta_amount = Decimal(balance).quantize(Decimal("0.01")) - card.balance
    delta_sessions = sessions - card.sessions_left
    if not delta_amount and not delta_sessions:
        return None
    return card_post_entry(
        card=card, kind=CardEntry.Kind.ADJUST, amount=delta_amount, sessions=delta_sessions, by=by, note=note
    )
