"""The card ledger: the only way a card's balance or sessions change.

Each entry is written in the same transaction as a guarded, single-statement
update of the card's cached balance (`UPDATE … SET balance = balance + x
WHERE balance >= -x`), so two deductions at the same moment can neither lose
one another nor take a card below zero, on SQLite and PostgreSQL alike.
`cards_post_entries_bulk` is the same for thousands of cards at once (imports,
the demo): it is the only other writer of entries.

Both also move the customer's copy of what her cards hold (`Customer.prepaid_yuan`,
`prepaid_sessions`, read by the dashboards) by the same amount, in the same transaction,
relatively (`SET prepaid_yuan = prepaid_yuan + x`), so concurrent moves add up there too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
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
        held_amount, held_sessions = _held(card.kind, amount, sessions)
        if held_amount or held_sessions:
            Customer.objects.filter(pk=card.customer_id).update(
                prepaid_yuan=F("prepaid_yuan") + held_amount, prepaid_sessions=F("prepaid_sessions") + held_sessions
            )
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
        after, holders = _move_balances(moves)
        if len(after) != len(moves):
            raise InsufficientBalance(_("A card does not have enough left."))
        _move_prepaid(moves, holders)
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


Holders = dict[int, tuple[int, str]]  # card id: (customer id, card kind)


def _move_balances(moves: dict[int, tuple[Decimal, int]]) -> tuple[dict[int, tuple[Decimal, int]], Holders]:
    """Add each card's move to its balance where that leaves it at zero or more; the cards moved,
    with their balance after, and whose they are."""
    table = Card._meta.db_table
    ids = list(moves)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""UPDATE {table} AS c SET balance = c.balance + m.amount, sessions_left = c.sessions_left + m.sessions
                      FROM unnest(%s::bigint[], %s::numeric[], %s::integer[]) AS m(id, amount, sessions)
                     WHERE c.id = m.id AND c.balance + m.amount >= 0 AND c.sessions_left + m.sessions >= 0
                 RETURNING c.id, c.balance, c.sessions_left, c.customer_id, c.kind""",
                [
                    array_text(ids),
                    array_text([m[0] for m in moves.values()]),
                    array_text([m[1] for m in moves.values()]),
                ],
            )
            rows = cursor.fetchall()
            return (
                {pk: (Decimal(balance).quantize(CENT), sessions) for pk, balance, sessions, _c, _k in rows},
                {pk: (customer_id, kind) for pk, _b, _s, customer_id, kind in rows},
            )
        moved = []
        for pk, (amount, sessions) in moves.items():
            cursor.execute(
                f"UPDATE {table} SET balance = balance + %s, sessions_left = sessions_left + %s "
                "WHERE id = %s AND balance + %s >= 0 AND sessions_left + %s >= 0",
                [amount, sessions, pk, amount, sessions],
            )
            if cursor.rowcount:
                moved.append(pk)
    found, holders = {}, {}
    for start in range(0, len(moved), 500):
        rows = Card.objects.filter(pk__in=moved[start : start + 500]).values_list(
            "pk", "balance", "sessions_left", "customer_id", "kind"
        )
        for pk, balance, sessions, customer_id, kind in rows:
            found[pk] = (Decimal(balance).quantize(CENT), sessions)
            holders[pk] = (customer_id, kind)
    return found, holders


def _held(kind: str, amount: Decimal, sessions: int) -> tuple[Decimal, int]:
    """What a card's move changes in what its holder holds: yuan on a stored-value card, sessions on a session card
    (the dashboards' liability, 未消耗卡金)."""
    return (amount, 0) if kind == Card.Kind.VALUE else (ZERO, sessions)


def _move_prepaid(moves: dict[int, tuple[Decimal, int]], holders: Holders) -> None:
    """Move each holder's `prepaid_yuan` / `prepaid_sessions` by her cards' moves, relatively."""
    per_customer: dict[int, tuple[Decimal, int]] = {}
    for card_id, (customer_id, kind) in holders.items():
        amount, sessions = _held(kind, *moves[card_id])
        before = per_customer.get(customer_id, (ZERO, 0))
        per_customer[customer_id] = (before[0] + amount, before[1] + sessions)
    per_customer = {pk: move for pk, move in per_customer.items() if move[0] or move[1]}
    if not per_customer:
        return
    table = Customer._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""UPDATE {table} AS c SET prepaid_yuan = c.prepaid_yuan + m.amount,
                                             prepaid_sessions = c.prepaid_sessions + m.sessions
                      FROM unnest(%s::bigint[], %s::numeric[], %s::integer[]) AS m(id, amount, sessions)
                     WHERE c.id = m.id""",
                [
                    array_text(list(per_customer)),
                    array_text([m[0] for m in per_customer.values()]),
                    array_text([m[1] for m in per_customer.values()]),
                ],
            )
            return
        cursor.executemany(
            f"UPDATE {table} SET prepaid_yuan = prepaid_yuan + %s, prepaid_sessions = prepaid_sessions + %s "
            "WHERE id = %s",
            [(amount, sessions, pk) for pk, (amount, sessions) in per_customer.items()],
        )


def prepaid_refresh(customers: QuerySet[Customer]) -> int:
    """Set each customer's copy of what her cards hold from the cards, in one statement: for writers that
    bypass the ledger (a benchmark's raw SQL) or to check the copy. Returns the rows updated."""
    cards = Card.objects.filter(customer=OuterRef("pk")).order_by().values("customer")
    money: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=2)
    return customers.update(
        prepaid_yuan=Coalesce(
            Subquery(cards.filter(kind=Card.Kind.VALUE).annotate(s=Sum("balance")).values("s"), output_field=money),
            Value(0, output_field=money),
        ),
        prepaid_sessions=Coalesce(
            Subquery(cards.filter(kind=Card.Kind.SESSIONS).annotate(s=Sum("sessions_left")).values("s")), Value(0)
        ),
    )
