"""A customer's rights over her data (PIPL): a copy of everything we hold about her, on request; or
her made anonymous, so that nothing left identifies her.

Anonymising keeps every row — visits, cards and their ledgers, follow-ups — with its amounts, dates
and codes, so the salon's counts and money totals stay true; what it removes is what says who she
was: her name, number, birthday, soft profile and every free text written about her (notes, her
words in a follow-up, the texts sent to her), and her record's change history, which repeats them.
Her number becomes a placeholder (`#` and her id) that no real number can equal, so that the number
is free for a new customer and two anonymised customers never collide. She is archived, marked
do-not-contact and loses her assignee: nobody calls her again.

The records here cover `customers`; the workflow above (`reactivation`: follow-ups, messages)
registers what it holds about her through `on_personal_data`, so every door — the command, the
admin — exports and anonymises all of it through these two functions, and `customers` never
imports `reactivation`. Both are audited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.db import transaction
from django.forms.models import model_to_dict

from .models import Appointment, AuditEvent, Card, Customer, Staff, Visit
from .phones import anonymised_phone

PROFILE_FIELDS = (
    "name", "phone", "gender", "birthday", "joined_on", "level", "do_not_contact", "marketing_consent",
    "occupation", "family", "personality", "preferred_channel", "first_need", "wechat_added", "notes",
    "last_visit_on", "bucket", "created_at",
)  # fmt: skip
# What anonymising sets: nothing of her left, and nobody contacts her again.
FORGOTTEN = {
    "name": "", "gender": "", "birthday": None, "level": "", "occupation": "", "family": "", "personality": "",
    "preferred_channel": "", "first_need": "", "wechat_added": False, "notes": "", "do_not_contact": True,
    "marketing_consent": False, "is_archived": True, "assignee": None, "escalated_on": None,
}  # fmt: skip


@dataclass(frozen=True)
class PersonalData:
    """What one app holds about a customer: `export(customer)` returns it as JSON-able values,
    `anonymise(customer)` blanks its free text (inside the caller's transaction)."""

    name: str
    export: Callable[[Customer], Any]
    anonymise: Callable[[Customer], None]


_holders: list[PersonalData] = []


def on_personal_data(holder: PersonalData) -> PersonalData:
    """Register what an app holds about customers (idempotent by name)."""
    if all(existing.name != holder.name for existing in _holders):
        _holders.append(holder)
    return holder


def customer_export(*, customer: Customer, by: Staff | None) -> dict[str, Any]:
    """Everything we hold about `customer`, as plain values (dates, Decimals: DjangoJSONEncoder). Audited."""
    data: dict[str, Any] = {
        "customer": {"id": customer.pk, "store": customer.store.code, **model_to_dict(customer, PROFILE_FIELDS)},
        "visits": [_visit(visit) for visit in customer.visits.select_related("service").order_by("visited_on", "pk")],
        "cards": [_card(card) for card in Card.objects.filter(customer=customer).prefetch_related("entries")],
        "appointments": [
            {"starts_at": a.starts_at, "status": a.status, "note": a.note}
            for a in Appointment.objects.filter(customer=customer).order_by("starts_at")
        ],
    }
    data["customer"]["created_at"] = customer.created_at
    for holder in _holders:
        data[holder.name] = holder.export(customer)
    AuditEvent.objects.create(
        actor=by, action=AuditEvent.Action.EXPORT, store_id=customer.store_id, customer=customer,
        detail={"what": "personal_data"},
    )  # fmt: skip
    return data


def customer_anonymise(*, customer: Customer, by: Staff | None) -> None:
    """Make `customer` anonymous in one transaction, keeping every amount and count. Audited."""
    with transaction.atomic():
        Customer.objects.filter(pk=customer.pk).update(phone=anonymised_phone(customer.pk), **FORGOTTEN)
        Visit.objects.filter(customer=customer).update(note="")
        Appointment.objects.filter(customer=customer).update(note="")
        for holder in _holders:
            holder.anonymise(customer)
        LogEntry.objects.get_for_object(customer).delete()
        AuditEvent.objects.create(
            actor=by, action=AuditEvent.Action.ANONYMISE, store_id=customer.store_id, customer=customer
        )
    customer.refresh_from_db()


def _visit(visit: Visit) -> dict[str, Any]:
    return {
        "visited_on": visit.visited_on,
        "service": visit.service.name if visit.service else "",
        "amount": visit.amount,
        "card_amount": visit.card_amount,
        "card_sessions": visit.card_sessions,
        "note": visit.note,
    }


def _card(card: Card) -> dict[str, Any]:
    entries = [
        {"at": e.created_at, "kind": e.kind, "amount": e.amount, "sessions": e.sessions, "note": e.note}
        for e in card.entries.all()
    ]
    return {
        "name": card.name,
        "kind": card.kind,
        "balance": card.balance,
        "sessions_left": card.sessions_left,
        "expires_on": card.expires_on,
        "entries": entries,
    }
