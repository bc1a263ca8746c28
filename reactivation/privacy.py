"""What the workflow holds about a customer, for her PIPL requests (customers/privacy.py): her
follow-ups with the reasons she gave, and the messages sent to her. Anonymising blanks their free
text — notes, her words, the texts — and keeps outcomes, channels, reasons and dates, so the
dashboard's counts and the staff's rewards stay as they were."""

from __future__ import annotations

from typing import Any

from customers.models import Customer
from customers.privacy import PersonalData

from .models import FollowUp, FollowUpReason, Message


def _export_follow_ups(customer: Customer) -> list[dict[str, Any]]:
    follow_ups = FollowUp.objects.filter(customer=customer).prefetch_related("reasons").order_by("contacted_at", "pk")
    return [
        {
            "contacted_at": f.contacted_at,
            "channel": f.channel,
            "outcome": f.outcome,
            "notes": f.notes,
            "next_follow_up_on": f.next_follow_up_on,
            "reasons": [{"reason": r.reason, "detail": r.detail} for r in f.reasons.all()],
        }
        for f in follow_ups
    ]


def _export_messages(customer: Customer) -> list[dict[str, Any]]:
    messages = Message.objects.filter(customer=customer).order_by("sent_at", "pk")
    return [{"sent_at": m.sent_at, "body": m.body, "marketing": m.is_marketing, "status": m.status} for m in messages]


def _anonymise_follow_ups(customer: Customer) -> None:
    FollowUp.objects.filter(customer=customer).update(notes="")
    FollowUpReason.objects.filter(follow_up__customer=customer).update(detail="")


def _anonymise_messages(customer: Customer) -> None:
    # A message still waiting for the gateway is not sent to someone who has just been forgotten.
    waiting = Message.objects.filter(customer=customer, status=Message.Status.QUEUED)
    waiting.update(status=Message.Status.FAILED, error="not sent: the customer was made anonymous")
    Message.objects.filter(customer=customer).update(body="", phone_masked="")


FOLLOW_UPS = PersonalData(name="follow_ups", export=_export_follow_ups, anonymise=_anonymise_follow_ups)
MESSAGES = PersonalData(name="messages", export=_export_messages, anonymise=_anonymise_messages)
