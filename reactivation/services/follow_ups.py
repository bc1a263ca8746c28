"""Logging a contact with a customer: the one way follow-ups are written."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from customers.models import AftercareCall, Appointment, Channel, Customer, Service, Staff

from ..escalation import should_escalate
from ..follow_up_rules import is_complaint
from ..models import FollowUp, FollowUpReason, Script
from ..outcomes import Outcome


def follow_up_log(
    *,
    by: Staff,
    customer: Customer,
    outcome: str,
    channel: str = Channel.PHONE,
    reasons: Iterable[str] = (),
    reason_detail: str = "",
    notes: str = "",
    next_follow_up_on: dt.date | None = None,
    appointment_at: dt.datetime | None = None,
    service: Service | None = None,
    script: Script | None = None,
    client_token: uuid.UUID | None = None,
    contacted_at: dt.datetime | None = None,
) -> FollowUp:
    """Record one contact, its reasons and any booked visit, in one transaction, and what follows from it:

    - "asked not to be contacted" sets do-not-contact at once;
    - a complaint (service, results, pushy selling) puts her on the manager's list today;
    - three failed attempts in her dormant spell escalate her to the manager (DESIGN §4.4);
    - a contact by the person due to make her aftercare call makes it.

    A repeated `client_token` (a double tap, a retried request) returns the
    follow-up already logged instead of logging a second one.
    """
    if client_token is not None and (existing := FollowUp.objects.filter(client_token=client_token).first()):
        return existing
    contacted_at = contacted_at or timezone.now()
    reasons = list(dict.fromkeys(reasons))
    today = timezone.localdate(contacted_at, customer.store.tzinfo)
    try:
        with transaction.atomic():
            appointment = None
            if appointment_at is not None:
                appointment = Appointment.objects.create(
                    store_id=customer.store_id,
                    customer=customer,
                    starts_at=appointment_at,
                    staff=by,
                    service=service,
                    created_by=by,
                )
            follow_up = FollowUp.objects.create(
                store_id=customer.store_id,
                customer=customer,
                by=by,
                contacted_at=contacted_at,
                channel=channel,
                outcome=outcome,
                notes=notes,
                next_follow_up_on=next_follow_up_on,
                appointment=appointment,
                script=script,
                client_token=client_token or uuid.uuid4(),
            )
            FollowUpReason.objects.bulk_create(
                [
                    FollowUpReason(follow_up=follow_up, store_id=customer.store_id, reason=r, detail=reason_detail)
                    for r in reasons
                ]
            )
            _note_latest_contact(customer, follow_up)
            if outcome == Outcome.DO_NOT_CONTACT:
                Customer.objects.filter(pk=customer.pk).update(do_not_contact=True)
                customer.do_not_contact = True
            if is_complaint(reasons):
                _escalate(customer, today)
            else:
                _escalate_if_due(customer=customer, today=today)
            AftercareCall.objects.filter(customer=customer, staff=by, done_at__isnull=True).update(done_at=contacted_at)
    except IntegrityError:
        # The same token raced in from a second request; the first one won.
        if client_token is not None and (existing := FollowUp.objects.filter(client_token=client_token).first()):
            return existing
        raise
    return follow_up


def _note_latest_contact(customer: Customer, follow_up: FollowUp) -> None:
    """Copy the contact onto her row, unless a later one is there already (a contact logged after the fact)."""
    latest = {
        "last_contact_at": follow_up.contacted_at,
        "last_contact_outcome": follow_up.outcome,
        "next_follow_up_on": follow_up.next_follow_up_on,
    }
    not_older = Q(last_contact_at__isnull=True) | Q(last_contact_at__lte=follow_up.contacted_at)
    if Customer.objects.filter(not_older, pk=customer.pk).update(**latest):
        for field, value in latest.items():
            setattr(customer, field, value)


def latest_contacts_refresh(customers: QuerySet[Customer]) -> int:
    """Set each customer's copy of her latest contact from her follow-ups, in one statement: for writers that
    create follow-ups in bulk (the demo, benchmarks) or change them after the fact. Returns the rows updated."""
    latest = FollowUp.objects.filter(customer=OuterRef("pk")).order_by("-contacted_at", "-id")
    return customers.update(
        last_contact_at=Subquery(latest.values("contacted_at")[:1]),
        last_contact_outcome=Coalesce(Subquery(latest.values("outcome")[:1]), Value("")),
        next_follow_up_on=Subquery(latest.values("next_follow_up_on")[:1]),
    )


def _escalate(customer: Customer, today: dt.date) -> None:
    Customer.objects.filter(pk=customer.pk, escalated_on__isnull=True).update(escalated_on=today)
    customer.escalated_on = customer.escalated_on or today


def _escalate_if_due(*, customer: Customer, today: dt.date) -> None:
    if customer.escalated_on is not None or customer.dormant_since is None:
        return
    spell_start = dt.datetime.combine(customer.dormant_since, dt.time.min, customer.store.tzinfo)
    outcomes = (
        FollowUp.objects.filter(customer=customer, contacted_at__gte=spell_start)
        .order_by("contacted_at", "id")
        .values_list("outcome", flat=True)
    )
    if should_escalate(outcomes):
        _escalate(customer, today)
