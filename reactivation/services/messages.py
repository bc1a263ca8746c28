"""Sending a script's text to a customer as an SMS: the one way a message reaches a customer.

Do-not-contact and the store's frequency cap are checked with the customer's
row locked, so two sends at the same moment cannot both slip under the cap.
A refused send leaves no trace; a sent one is logged as a `Message` and as a
follow-up on her history; a backend failure is logged as a failed `Message`.

The backend is called inside the transaction, so a refusal or a failure leaves
nothing half-written. A real gateway that accepted a message just before the
database failed would leave a message sent but not logged: when one is added,
give it a queue (claim a `Message` row first, send after commit).
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Customer, Staff

from ..contact_rules import send_refusal
from ..messaging import SmsMessage, SmsSendError, backend_name, get_connection
from ..models import FollowUp, Message, Script
from ..selectors.script_panel import refusal_text
from ..selectors.scripts import customer_facts, fill_script
from .follow_ups import follow_up_log


class SendRefused(Exception):
    """The message may not go (do-not-contact, frequency cap, not an SMS script); the text says why."""


def sms_send(*, by: Staff, customer: Customer, script: Script, client_token: uuid.UUID | None = None) -> Message:
    """Fill `script` for `customer` and send it; a repeated `client_token` returns the message already sent."""
    if client_token is not None and (existing := Message.objects.filter(client_token=client_token).first()):
        return existing
    if not script.is_sms:
        raise SendRefused(_("This script is for a call, not a message."))
    if not script.is_active:
        raise SendRefused(_("This script is no longer in use."))
    connection, body = get_connection(), ""
    try:
        with transaction.atomic():
            locked = Customer.objects.select_for_update().select_related("store").get(pk=customer.pk)
            _refuse_if_not_allowed(locked, script)
            body = _filled_body(script, locked, by)
            connection.send_messages([SmsMessage(to=locked.phone, body=body, store_code=locked.store.code)])
            message = _log(locked, by, script, body, connection, Message.Status.SENT, client_token)
            follow_up_log(
                by=by,
                customer=locked,
                outcome=FollowUp.Outcome.MESSAGE_SENT,
                channel="sms",
                script=script,
                notes=body,
                contacted_at=message.sent_at,
            )
    except SmsSendError as error:
        _log(customer, by, script, body, connection, Message.Status.FAILED, None)
        raise SendRefused(
            _("The message could not be sent (%(error)s). Try again later.") % {"error": error}
        ) from error
    return message


def _filled_body(script: Script, customer: Customer, by: Staff) -> str:
    filled = fill_script(script, customer_facts(customer=customer, staff=by))
    if blocking := [w for w in filled.warnings if w.blocks_sending]:
        raise SendRefused(str(blocking[0]))
    return filled.text


def _refuse_if_not_allowed(customer: Customer, script: Script) -> None:
    store = customer.store
    last = (
        Message.objects.filter(customer=customer, is_marketing=True, status=Message.Status.SENT)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    last_on = timezone.localdate(last, store.tzinfo) if last else None
    refusal = send_refusal(
        do_not_contact=customer.do_not_contact,
        marketing_consent=customer.marketing_consent,
        is_marketing=script.is_marketing,
        last_marketing_on=last_on,
        cap_days=store.marketing_cap_days,
        today=store.today(),
    )
    if refusal:
        raise SendRefused(refusal_text(refusal, store_cap_days=store.marketing_cap_days, last_marketing_on=last_on))


def _log(customer, by, script, body, connection, status, client_token) -> Message:
    return Message.objects.create(
        store_id=customer.store_id,
        customer=customer,
        sent_by=by,
        script=script,
        body=body,
        phone_masked=customer.masked_phone,
        is_marketing=script.is_marketing,
        backend=backend_name(connection),
        status=status,
        sent_at=timezone.now(),
        client_token=client_token,
    )
