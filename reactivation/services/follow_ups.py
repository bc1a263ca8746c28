"""Logging a contact with a customer: the one way follow-ups are written."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from customers.models import Appointment, Channel, Customer, Staff

from ..escalation import should_escalate
from ..models import FollowUp, FollowUpReason, Script


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
    script: Script | None = None,
    client_token: uuid.UUID | None = None,
    contacted_at: dt.datetime | None = None,
) -> FollowUp:
    """Record one contact, its reasons and any booked visit; escalate after repeated failures.

    A repeated `client_token` (a double tap, a retried request) returns the
    follow-up already logged instead of logging a second one.
    """
    if client_token is not None and (existing := FollowUp.objects.filter(client_token=client_token).first()):
        return existing
    contacted_at = contacted_at or timezone.now()
    try:
        with transaction.atomic():
            appointment = None
            if appointment_at is not None:
                appointment = Appointment.objects.create(
                    store_id=customer.store_id, customer=customer, starts_at=appointment_at, staff=by, created_by=by
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
                    for r in dict.fromkeys(reasons)
                ]
            )
            _escalate_if_due(customer=customer, today=timezone.localdate(contacted_at, customer.store.tzinfo))
    except IntegrityError:
        # The same token raced in from a second request; the first one won.
        if client_token is not None and (existing := FollowUp.objects.filter(client_token=client_token).first()):
            return existing
        raise
    return follow_up


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
        Customer.objects.filter(pk=customer.pk, escalated_on__isnull=True).update(escalated_on=today)
        customer.escalated_on = today
