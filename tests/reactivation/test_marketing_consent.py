"""Marketing messages need her consent (PIPL), recorded apart from do-not-contact: without it, a
service message about her booking still goes, a marketing one does not."""

import datetime as dt

import pytest

from customers.models import Customer
from reactivation.contact_rules import DO_NOT_CONTACT, NO_MARKETING_CONSENT, send_refusal
from reactivation.models import Message, Script
from reactivation.services.messages import SendRefused, sms_send
from tests.customers.imports.files import import_rows
from tests.factories import AppointmentFactory, CustomerFactory

TODAY = dt.date(2026, 11, 24)


def sms(key):
    return Script.objects.get(store=None, key=key, language="zh-hans")


@pytest.mark.parametrize(
    ("do_not_contact", "consent", "marketing", "refusal"),
    [
        (False, False, True, NO_MARKETING_CONSENT),
        (False, False, False, None),
        (False, True, True, None),
        (True, True, False, DO_NOT_CONTACT),
        (True, False, True, DO_NOT_CONTACT),
    ],
)
def test_the_rule(do_not_contact, consent, marketing, refusal):
    decided = send_refusal(
        do_not_contact=do_not_contact,
        marketing_consent=consent,
        is_marketing=marketing,
        last_marketing_on=None,
        cap_days=7,
        today=TODAY,
    )
    assert decided == refusal


@pytest.fixture
def li(store, beautician_a):
    return CustomerFactory(store=store, name="李娜", assignee=beautician_a, marketing_consent=False)


@pytest.mark.django_db
def test_without_consent_a_marketing_sms_is_refused_and_nothing_is_logged(beautician_a, li, sms_outbox):
    with pytest.raises(SendRefused, match="营销"):
        sms_send(by=beautician_a, customer=li, script=sms("no-answer-sms"))
    assert sms_outbox == [] and not Message.objects.exists()


@pytest.mark.django_db
def test_without_consent_her_appointment_reminder_still_goes(beautician_a, li, sms_outbox):
    AppointmentFactory(customer=li, starts_at=dt.datetime(2030, 1, 1, 2, 0, tzinfo=dt.UTC))
    sms_send(by=beautician_a, customer=li, script=sms("reminder-sms"))
    assert len(sms_outbox) == 1


@pytest.mark.django_db
def test_with_consent_the_marketing_sms_goes(beautician_a, li, sms_outbox):
    li.marketing_consent = True
    li.save()
    sms_send(by=beautician_a, customer=li, script=sms("no-answer-sms"))
    assert len(sms_outbox) == 1


@pytest.mark.django_db
def test_the_card_says_why_before_anyone_presses_send(client, beautician_a, li):
    client.force_login(beautician_a)
    html = client.get(f"/customers/{li.pk}/").content.decode()
    assert "她没有同意接收营销短信" in html


@pytest.mark.django_db
def test_a_customer_file_records_consent_and_leaves_it_alone_when_the_column_is_missing(store, tmp_path):
    consenting = [["门店编码", "手机号", "姓名", "营销同意"], ["MAIN", "13812345678", "王丽", "是"]]
    import_rows(tmp_path, "customers", consenting)
    assert Customer.objects.get().marketing_consent is True
    import_rows(tmp_path, "customers", [["门店编码", "手机号", "姓名"], ["MAIN", "13812345678", "王丽丽"]])
    assert Customer.objects.get().marketing_consent is True


@pytest.mark.django_db
def test_a_new_customer_has_not_agreed_until_she_says_so(store):
    customer = Customer.objects.create(store=store, name="王丽", phone="13812345678", joined_on=TODAY)
    assert customer.marketing_consent is False
