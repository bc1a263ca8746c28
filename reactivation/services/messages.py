"""Sending a script's text to a customer as an SMS: the one way a message reaches a customer.

Side effects after commit, in three steps:

1. `sms_send` checks do-not-contact and the store's frequency cap with the customer's row
   locked (so two sends at the same moment cannot both slip under the cap), and records the
   message as queued. A refused send leaves no trace. A repeated form token (a double tap,
   a retried request) returns the message already recorded: one text, never two.
2. After the commit, a task (eager on the embedded default) calls `message_deliver`, which
   first claims the message (queued → sending, a conditional update: a second delivery of
   the same message finds nothing to claim) and only then calls the gateway, outside any
   transaction.
3. It marks the message sent (and logs the contact on her history) or failed, with the
   gateway's error.

A process that dies between the gateway call and step 3 leaves the message "sending": its
record exists, and nobody sends it a second time.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Channel, Customer, Staff

from ..contact_rules import send_refusal
from ..messaging import SmsMessage, SmsSendError, backend_name, get_connection
from ..models import FollowUp, Message, Script
from ..selectors.script_panel import last_marketing_on, refusal_text
from ..selectors.scripts import customer_facts, fill_script
from .follow_ups import follow_up_log

logger = logging.getLogger(__name__)
REQUEUE_AFTER = dt.timedelta(minutes=2)


class SendRefused(Exception):
    """The message may not go (do-not-contact, frequency cap, not an SMS script); the text says why."""


def sms_send(*, by: Staff, customer: Customer, script: Script, client_token: uuid.UUID | None = None) -> Message:
    """Record `script`, filled for `customer`, as a message to send after the commit; returns it as it is now.

    A repeated `client_token` returns the message already recorded, whatever its state.
    """
    if client_token is not None and (existing := _by_token(client_token)):
        return existing
    if not script.is_sms:
        raise SendRefused(_("This script is for a call, not a message."))
    if not script.is_active:
        raise SendRefused(_("This script is no longer in use."))
    try:
        with transaction.atomic():
            locked = Customer.objects.select_for_update().select_related("store").get(pk=customer.pk)
            _refuse_if_not_allowed(locked, script)
            message = Message.objects.create(
                store_id=locked.store_id,
                customer=locked,
                sent_by=by,
                script=script,
                body=_filled_body(script, locked, by),
                phone_masked=locked.masked_phone,
                is_marketing=script.is_marketing,
                backend="",
                status=Message.Status.QUEUED,
                sent_at=timezone.now(),
                client_token=client_token,
            )
            transaction.on_commit(lambda: _queue_delivery(message.pk))
    except IntegrityError:
        # The same token raced in from a second request, which recorded the message first.
        if client_token is not None and (existing := _by_token(client_token)):
            return existing
        raise
    message.refresh_from_db()
    return message


def message_deliver(*, message_id: int) -> Message | None:
    """Hand a queued message to the gateway, once, and mark what came of it. A rerun changes nothing."""
    claimed = Message.objects.filter(pk=message_id, status=Message.Status.QUEUED).update(status=Message.Status.SENDING)
    if not claimed:
        return None
    message = Message.objects.select_related("customer__store", "sent_by", "script").get(pk=message_id)
    connection = get_connection()
    customer = message.customer
    try:
        connection.send_messages([SmsMessage(to=customer.phone, body=message.body, store_code=customer.store.code)])
    except SmsSendError as error:
        _mark(message, Message.Status.FAILED, connection, error=str(error)[:500])
        return message
    with transaction.atomic():
        _mark(message, Message.Status.SENT, connection)
        if message.sent_by is not None:
            follow_up_log(
                by=message.sent_by,
                customer=customer,
                outcome=FollowUp.Outcome.MESSAGE_SENT,
                channel=Channel.SMS,
                script=message.script,
                notes=message.body,
                contacted_at=message.sent_at,
            )
    return message


def sent_notice(message: Message) -> tuple[str, bool]:
    """What the person who pressed "send" is told, for the message as it stands (a repeat gets the same)."""
    if message.status == Message.Status.SENT:
        return _("Message sent to %(phone)s.") % {"phone": message.phone_masked}, True
    if message.status == Message.Status.FAILED:
        return _("The message could not be sent (%(error)s). Try again later.") % {"error": message.error}, False
    return _("The message to %(phone)s is on its way.") % {"phone": message.phone_masked}, True


def _by_token(client_token: uuid.UUID) -> Message | None:
    return Message.objects.filter(client_token=client_token).first()


def _queue_delivery(message_id: int) -> None:
    """Hand the message to a worker. With the broker down the page still answers: the message stays
    queued, and `messages_requeue_waiting` (every few minutes, from beat) queues it again."""
    from ..tasks import deliver_message_task

    try:
        deliver_message_task.delay(message_id)
    except Exception:  # kombu raises its own errors and the socket's; nothing here may fail the request
        logger.warning(
            "message %s recorded, but the broker is unreachable: it is sent when it returns", message_id, exc_info=True
        )


def messages_requeue_waiting(*, older_than: dt.timedelta = REQUEUE_AFTER) -> int:
    """Queue again the messages that have waited longer than `older_than` (their task was never queued or lost).

    Safe however often it runs: a delivery claims its message first, so a message queued twice is sent once.
    """
    waiting = Message.objects.filter(status=Message.Status.QUEUED, sent_at__lt=timezone.now() - older_than)
    ids = list(waiting.order_by("pk").values_list("pk", flat=True)[:1000])
    for message_id in ids:
        _queue_delivery(message_id)
    return len(ids)


def _mark(message: Message, status: str, connection, *, error: str = "") -> None:
    message.status, message.error, message.backend = status, error, backend_name(connection)
    message.sent_at = timezone.now()
    message.save(update_fields=["status", "error", "backend", "sent_at"])


def _filled_body(script: Script, customer: Customer, by: Staff) -> str:
    filled = fill_script(script, customer_facts(customer=customer, staff=by))
    if blocking := [w for w in filled.warnings if w.blocks_sending]:
        raise SendRefused(str(blocking[0]))
    return filled.text


def _refuse_if_not_allowed(customer: Customer, script: Script) -> None:
    store = customer.store
    last_on = last_marketing_on(customer)
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
