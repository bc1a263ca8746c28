"""Sending a script as an SMS from the card: logged and recorded when it goes, blocked without a trace when not."""

import datetime as dt
import io
import uuid

import pytest
from django.db import transaction

from reactivation.messaging import SmsMessage, get_connection
from reactivation.messaging.backends import ConsoleBackend, FileBackend
from reactivation.models import FollowUp, Message, Script
from reactivation.services.messages import SendRefused, message_deliver, sms_send
from tests.factories import AppointmentFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def sms(key="no-answer-sms", language="zh-hans"):
    return Script.objects.get(store=None, key=key, language=language)


@pytest.fixture
def li(store, beautician_a):
    return CustomerFactory(
        store=store, name="李娜", gender="F", phone="13812345678", assignee=beautician_a, bucket="m1", months_away=1
    )


def send(client, customer, script, token=None, **headers):
    data = {"script": script.pk, "client_token": str(token or uuid.uuid4())}
    return client.post(f"/customers/{customer.pk}/sms/", data, **headers)


def test_a_send_from_the_card_goes_out_and_is_logged_and_recorded_as_a_follow_up(client, beautician_a, li, sms_outbox):
    client.force_login(beautician_a)
    response = send(client, li, sms())
    assert response.status_code == 302
    (sent,) = sms_outbox
    assert sent.to == "13812345678" and sent.body.startswith("李姐您好，我是丽颜美容会所的小美")
    message = Message.objects.get()
    assert (message.status, message.phone_masked, message.body) == ("sent", "138****5678", sent.body)
    assert message.backend == "reactivation.messaging.backends.LocmemBackend"
    follow_up = FollowUp.objects.get()
    assert (follow_up.outcome, follow_up.channel, follow_up.script, follow_up.by) == (
        "message_sent",
        "sms",
        sms(),
        beautician_a,
    )


def test_htmx_gets_the_panel_back_with_what_happened(client, beautician_a, li, sms_outbox):
    client.force_login(beautician_a)
    response = send(client, li, sms(), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="scripts-panel"' in html and "138****5678" in html
    assert "13812345678" not in html.split('id="panel-notice"')[1][:300]


def test_do_not_contact_blocks_every_message_and_nothing_is_logged(client, beautician_a, li, sms_outbox):
    li.do_not_contact = True
    li.save()
    client.force_login(beautician_a)
    send(client, li, sms("confirmation-sms"))
    send(client, li, sms())
    assert sms_outbox == []
    assert not Message.objects.exists() and not FollowUp.objects.exists()


def test_the_frequency_cap_allows_one_marketing_message_per_week(client, beautician_a, li, sms_outbox, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC), tick=False)
    client.force_login(beautician_a)
    send(client, li, sms())
    send(client, li, sms("birthday-sms"))
    assert len(sms_outbox) == 1 and Message.objects.filter(status="sent").count() == 1
    assert FollowUp.objects.count() == 1

    AppointmentFactory(customer=li, starts_at=dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC))
    send(client, li, sms("reminder-sms"))  # about her booking: not marketing, not capped
    assert len(sms_outbox) == 2

    time_machine.move_to(dt.datetime(2026, 11, 30, 23, 0, tzinfo=dt.UTC), tick=False)  # 1 Dec in Shanghai
    client.force_login(beautician_a)
    send(client, li, sms("birthday-sms"))
    assert len(sms_outbox) == 3


def test_the_cap_follows_the_store_setting(store, beautician_a, li, sms_outbox):
    store.marketing_cap_days = 0
    store.save()
    sms_send(by=beautician_a, customer=li, script=sms())
    sms_send(by=beautician_a, customer=li, script=sms("birthday-sms"))
    assert len(sms_outbox) == 2


def test_a_double_tap_sends_once(client, beautician_a, li, sms_outbox):
    client.force_login(beautician_a)
    token = uuid.uuid4()
    AppointmentFactory(customer=li, starts_at=dt.datetime(2030, 1, 1, 2, 0, tzinfo=dt.UTC))
    send(client, li, sms("reminder-sms"), token)
    send(client, li, sms("reminder-sms"), token)
    assert len(sms_outbox) == 1 and Message.objects.count() == 1


def test_a_message_that_would_say_something_untrue_is_not_sent(beautician_a, li, sms_outbox):
    with pytest.raises(SendRefused):
        sms_send(by=beautician_a, customer=li, script=sms("reminder-sms"))  # she has no booked visit
    with pytest.raises(SendRefused):
        sms_send(by=beautician_a, customer=li, script=sms("reason-unused-balance-sms"))  # she has no card
    assert sms_outbox == [] and not Message.objects.exists()


def test_a_call_script_or_a_retired_one_is_not_sent(beautician_a, li, sms_outbox):
    with pytest.raises(SendRefused):
        sms_send(by=beautician_a, customer=li, script=sms("opening-m1"))
    retired = sms()
    retired.is_active = False
    with pytest.raises(SendRefused):
        sms_send(by=beautician_a, customer=li, script=retired)
    assert sms_outbox == [] and not Message.objects.exists()


def test_only_who_may_see_her_can_send_and_only_by_post(client, beautician_b, stranger, beautician_a, li, sms_outbox):
    client.force_login(beautician_b)
    assert send(client, li, sms()).status_code == 404
    client.force_login(stranger)
    assert send(client, li, sms()).status_code == 404
    client.force_login(beautician_a)
    assert client.get(f"/customers/{li.pk}/sms/").status_code == 405
    assert sms_outbox == [] and not Message.objects.exists()


def test_another_stores_script_cannot_be_sent(client, other_store, manager, beautician_a, li, sms_outbox):
    theirs = Script.objects.create(
        store=other_store, key="store-theirs", situation="festival", channel="sms", title="x", when_to_use="x", body="x"
    )
    client.force_login(beautician_a)
    assert send(client, li, theirs).status_code == 404
    assert sms_outbox == []


def test_console_and_file_backends_never_write_a_full_phone_number(tmp_path):
    message = SmsMessage(to="13812345678", body="王姐，有事请回电13900001111", store_code="MAIN")
    stream = io.StringIO()
    ConsoleBackend(stream=stream).send_messages([message])
    backend = get_connection("reactivation.messaging.backends.FileBackend", file_path=str(tmp_path))
    assert isinstance(backend, FileBackend) and backend.send_messages([message]) == 1
    for text in (stream.getvalue(), next(tmp_path.iterdir()).read_text(encoding="utf-8")):
        assert "138****5678" in text and "139****1111" in text
        assert "13812345678" not in text and "13900001111" not in text


class BrokenGateway:
    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        from reactivation.messaging import SmsSendError

        raise SmsSendError("gateway down")


def test_a_gateway_failure_is_logged_as_failed_and_not_recorded_as_contact(
    settings, client, beautician_a, li, sms_outbox
):
    settings.SMS_BACKEND = "tests.reactivation.test_messages.BrokenGateway"
    client.force_login(beautician_a)
    send(client, li, sms())
    assert list(Message.objects.values_list("status", "phone_masked", "error")) == [
        ("failed", "138****5678", "gateway down")
    ]
    assert not FollowUp.objects.exists()
    page = client.get(f"/customers/{li.pk}/").content.decode()
    assert "gateway down" in page  # she is told the text did not go


def test_a_message_is_recorded_before_the_gateway_is_called(
    beautician_a, li, sms_outbox, django_capture_on_commit_callbacks
):
    """Nothing reaches the gateway inside the transaction: the record exists first, the send follows the commit."""
    with transaction.atomic(), django_capture_on_commit_callbacks() as callbacks:
        message = sms_send(by=beautician_a, customer=li, script=sms())
        assert message.status == "queued" and sms_outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    message.refresh_from_db()
    assert message.status == "sent" and len(sms_outbox) == 1


def test_delivering_a_message_twice_sends_it_once(beautician_a, li, sms_outbox):
    message = sms_send(by=beautician_a, customer=li, script=sms())
    assert message_deliver(message_id=message.pk) is None
    assert len(sms_outbox) == 1 and FollowUp.objects.count() == 1
