"""A message is recorded before it is sent, sent once however often "send" is pressed, and a send that dies
half-way leaves a record that says so (side effects after commit)."""

from __future__ import annotations

import datetime as dt
import subprocess
import uuid

import pytest
from django.test import Client

from reactivation.models import Message, Script
from tests.concurrency import at_once
from tests.factories import CustomerFactory
from tests.processes import ROOT, manage, process_env


def sms(key="no-answer-sms"):
    return Script.objects.get(store=None, key=key, language="zh-hans")


@pytest.fixture
def li(store, beautician_a):
    return CustomerFactory(
        store=store, name="李娜", phone="13812345678", assignee=beautician_a, bucket="m1", months_away=1
    )


def test_three_simultaneous_taps_with_one_token_send_one_text_and_answer_each(beautician_a, li, sms_outbox):
    token, script = str(uuid.uuid4()), sms()

    def tap():
        client = Client()
        client.force_login(beautician_a)
        return client.post(f"/customers/{li.pk}/sms/", {"script": script.pk, "client_token": token})

    answers = at_once(3, tap)
    assert [a.status_code for a in answers] == [302, 302, 302]
    assert len(sms_outbox) == 1
    assert list(Message.objects.values_list("status", flat=True)) == ["sent"]


class DyingGateway:
    """Takes the message, then the process dies before anyone hears back."""

    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        import os

        with open(os.environ["GATEWAY_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{messages[0].masked_to}\n")
        os._exit(9)


def test_a_send_killed_after_the_gateway_took_it_leaves_a_consistent_record(
    beautician_a, li, transactional_db, tmp_path
):
    message = Message.objects.create(
        store=li.store, customer=li, sent_by=beautician_a, script=sms(), body="您好", phone_masked=li.masked_phone,
        backend="", status=Message.Status.QUEUED, sent_at="2026-12-01T10:00:00+08:00",
    )  # fmt: skip
    gateway_log = tmp_path / "gateway.log"
    deliver = f"from reactivation.services.messages import message_deliver; message_deliver(message_id={message.pk})"
    env = process_env(SMS_BACKEND="tests.reactivation.test_message_delivery.DyingGateway", GATEWAY_LOG=str(gateway_log))
    died = subprocess.run(
        manage("shell", "-c", deliver), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )

    assert died.returncode == 9, died.stderr[-2000:]
    assert gateway_log.read_text() == "138****5678\n"  # the text went out
    message.refresh_from_db()
    assert message.status == "sending"  # …and the record says it was handed over, unconfirmed
    again = subprocess.run(
        manage("shell", "-c", deliver), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert again.returncode == 0, again.stderr[-2000:]
    assert gateway_log.read_text() == "138****5678\n", "a second delivery must not send it again"


@pytest.fixture
def broker_down():
    """The Celery app as production runs it (not eager), pointed at a broker nobody answers."""
    from salon_crm.celery import app

    def fresh_connections():  # the next publish connects anew, to the broker now configured
        app._pool = None
        app.amqp._producer_pool = None

    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "task_publish_retry")}
    app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:9/0", task_publish_retry=False)
    fresh_connections()
    yield
    app.conf.update(saved)
    fresh_connections()


def test_with_the_broker_down_the_page_answers_and_the_text_goes_when_it_returns(
    client, beautician_a, li, sms_outbox, broker_down
):
    from salon_crm.celery import app

    client.force_login(beautician_a)
    response = client.post(f"/customers/{li.pk}/sms/", {"script": sms().pk, "client_token": str(uuid.uuid4())})
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.status == "queued" and sms_outbox == []
    assert client.get(f"/customers/{li.pk}/").status_code == 200, "the card still opens"

    app.conf.task_always_eager = True  # the broker is back
    from reactivation.services.messages import messages_requeue_waiting

    assert messages_requeue_waiting(older_than=dt.timedelta(0)) == 1
    message.refresh_from_db()
    assert message.status == "sent" and len(sms_outbox) == 1
    assert messages_requeue_waiting(older_than=dt.timedelta(0)) == 0
