"""The card ledger: the only way a card's balance or sessions change.

Each entry is written in the same transaction as a guarded, single-statement
update of the card's cached balance (`UPDATE … SET balance = balance + x
WHERE balance >= -x`), so two deductions at the same moment can neither lose
one another nor take a card below zero, on SQLite and PostgreSQL alike.
`cards_post_entries_bulk` is the same for thousands of cards at once (imports,
the demo): it is the only other writer of entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..imports.bulk import array_text, insert_rows
from ..models import Card, CardEntry, Customer, Staff, Visit

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


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


@dataclass(frozen=True)
class LedgerLine:
    """One entry to post: which card, what kind, by how much (negative: drawn), and why."""

    card_id: int
    kind: str
    amount: Decimal = ZERO
    sessions: int = 0
    visit_id: int | None = None
    note: str = ""


def cards_post_entries_bulk(*, lines: Sequence[LedgerLine], by: Staff | None = None) -> int:
    """Post many ledger entries at once (an import, the demo), in the order given: `card_post_entry`'s
    guarantees for thousands of cards in a few statements.

    Each card's cached balance and sessions move by the sum of its lines in one guarded UPDATE
    (refused, and nothing kept, if any card would end below zero), and each entry's balance after it
    is the running balance from there, which must never dip below zero either: every balance is
    explained by its entries. Returns the number of entries written.
    """
    if not lines:
        return 0
    lines = [replace(line, amount=Decimal(line.amount).quantize(CENT)) for line in lines]
    moves: dict[int, tuple[Decimal, int]] = {}
    for line in lines:
        amount, sessions = moves.get(line.card_id, (ZERO, 0))
        moves[line.card_id] = (amount + line.amount, sessions + line.sessions)
    with transaction.atomic():
        after = _move_balances(moves)
        if len(after) != len(moves):
            raise InsufficientBalance(_("A card does not have enough left."))
        running = {
            card_id: (balance - moves[card_id][0], sessions - moves[card_id][1])
            for card_id, (balance, sessions) in after.items()
        }
        now, entries = timezone.now(), []
        for line in lines:
            balance, sessions = running[line.card_id]
            balance, sessions = balance + line.amount, sessions + line.sessions
            if balance < 0 or sessions < 0:
                raise InsufficientBalance(_("A card does not have enough left."))
            running[line.card_id] = (balance, sessions)
            entries.append(
                {
                    "card_id": line.card_id,
                    "kind": line.kind,
                    "amount": line.amount,
                    "sessions": line.sessions,
                    "balance_after": balance,
                    "sessions_after": sessions,
                    "visit_id": line.visit_id,
                    "note": line.note,
                    "created_by_id": by.pk if by else None,
                    "created_at": now,
                }
            )
        for start in range(0, len(entries), 20_000):
            insert_rows(CardEntry, entries[start : start + 20_000])
    return len(entries)


def _move_balances(moves: dict[int, tuple[Decimal, int]]) -> dict[int, tuple[Decimal, int]]:
    """Add each card's move to its balance where that leaves it at zero or more; the cards moved,
    with their balance after."""
    table = Card._meta.db_table
    ids = list(moves)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""UPDATE {table} AS c SET balance = c.balance + m.amount, sessions_left = c.sessions_left + m.sessions
                      FROM unnest(%s::bigint[], %s::numeric[], %s::integer[]) AS m(id, amount, sessions)
                     WHERE c.id = m.id AND c.balance + m.amount >= 0 AND c.sessions_left + m.sessions >= 0
                 RETURNING c.id, c.balance, c.sessions_left""",
                [
                    array_text(ids),
                    array_text([m[0] for m in moves.values()]),
                    array_text([m[1] for m in moves.values()]),
                ],
            )
            return {pk: (Decimal(balance).quantize(CENT), sessions) for pk, balance, sessions in cursor.fetchall()}
        moved = []
        for pk, (amount, sessions) in moves.items():
            cursor.execute(
                f"UPDATE {table} SET balance = balance + %s, sessions_left = sessions_left + %s "
                "WHERE id = %s AND balance + %s >= 0 AND sessions_left + %s >= 0",
                [amount, sessions, pk, amount, sessions],
            )
            if cursor.rowcount:
                moved.append(pk)
    found = {}
    for start in range(0, len(moved), 500):
        rows = Card.objects.filter(pk__in=moved[start : start + 500]).values_list("pk", "balance", "sessions_left")
        found.update({pk: (Decimal(balance).quantize(CENT), sessions) for pk, balance, sessions in rows})
    return found
