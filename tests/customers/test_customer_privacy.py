"""A customer's rights under PIPL: her data exported on request, or her made anonymous — by command
(`customer_privacy export|anonymise --store CODE --phone N`) or from the admin — audited, with the
salon's counts and money totals unchanged."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from customers.models import AuditEvent, Card, Customer, Visit
from customers.services.cards import card_open
from reactivation.models import FollowUp, FollowUpReason
from reactivation.services.follow_ups import follow_up_log
from tests.factories import CustomerFactory, VisitFactory

PHONE = "13912345678"


@pytest.fixture
def wang(store, beautician_a):
    customer = CustomerFactory(
        store=store, name="王丽", phone=PHONE, notes="女儿电话13800001111", family="女儿在读大学", occupation="教师",
        birthday=dt.date(1985, 3, 5), assignee=beautician_a,
    )  # fmt: skip
    customer.notes = "怕痛，喜欢安静"
    customer.save()  # a change in her history
    VisitFactory(customer=customer, visited_on=dt.date(2026, 3, 1), amount=Decimal("298.00"), note="王姐带了朋友")
    card_open(customer=customer, name="金卡", balance=Decimal("1000.00"))
    follow_up_log(by=beautician_a, customer=customer, outcome="reached", notes="王姐说下周来", reasons=["busy"],
                  reason_detail="工作太忙")  # fmt: skip
    return customer


def run(*args):
    out = io.StringIO()
    call_command("customer_privacy", *args, stdout=out)
    return out.getvalue()


def totals():
    return (
        Customer.objects.count(),
        Visit.objects.count(),
        Visit.objects.aggregate(total=Sum("amount"))["total"],
        Card.objects.aggregate(total=Sum("balance"))["total"],
        FollowUp.objects.count(),
    )


def test_the_export_holds_everything_about_her(wang):
    data = json.loads(run("export", "--store", "MAIN", "--phone", "139 1234 5678"))
    assert data["customer"]["name"] == "王丽" and data["customer"]["phone"] == PHONE
    assert data["customer"]["birthday"] == "1985-03-05"
    assert [visit["amount"] for visit in data["visits"]] == ["298.00"]
    assert data["cards"][0]["name"] == "金卡" and data["cards"][0]["entries"]
    assert data["follow_ups"][0]["notes"] == "王姐说下周来"
    assert data["follow_ups"][0]["reasons"] == [{"reason": "busy", "detail": "工作太忙"}]
    (event,) = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT)
    assert (event.customer, event.detail["what"]) == (wang, "personal_data")


def test_anonymising_keeps_the_counts_and_money_and_forgets_her(wang, store):
    from django.utils import timezone

    from reactivation.models import Message

    waiting = Message.objects.create(
        store=store, customer=wang, body="王姐，本月补水特惠", backend="test", status="queued", sent_at=timezone.now()
    )
    before = totals()
    run("anonymise", "--store", "MAIN", "--phone", PHONE)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.body) == ("failed", "")
    assert totals() == before
    wang.refresh_from_db()
    assert (wang.name, wang.notes, wang.family, wang.occupation, wang.birthday) == ("", "", "", "", None)
    assert wang.phone != PHONE and not wang.phone.startswith("1")
    assert wang.do_not_contact and not wang.marketing_consent and wang.is_archived and wang.assignee is None
    assert FollowUp.objects.get().notes == "" and FollowUpReason.objects.get().detail == ""
    assert Visit.objects.get().note == ""
    assert not Customer.objects.filter(phone=PHONE).exists()
    history = "".join(str(entry.changes) for entry in LogEntry.objects.get_for_object(wang))
    assert "王丽" not in history and "怕痛" not in history
    (event,) = AuditEvent.objects.filter(action=AuditEvent.Action.ANONYMISE)
    assert event.customer == wang and event.store == store


def test_two_anonymised_customers_of_one_store_do_not_collide(store, wang):
    CustomerFactory(store=store, phone="13900000002")
    run("anonymise", "--store", "MAIN", "--phone", PHONE)
    run("anonymise", "--store", "MAIN", "--phone", "13900000002")
    assert Customer.objects.filter(store=store, is_archived=True).count() == 2


def test_an_unknown_customer_is_an_error(store):
    with pytest.raises(CommandError, match="13900000009"):
        run("export", "--store", "MAIN", "--phone", "13900000009")


def test_the_admin_exports_and_anonymises_the_selected_customers(client, wang, store):
    from customers.models import Staff

    admin = Staff.objects.create_superuser("root", password="root-password-long-enough")
    client.force_login(admin)
    url = "/admin/customers/customer/"
    exported = client.post(url, {"action": "export_personal_data", "_selected_action": [wang.pk]})
    assert exported["Content-Type"].startswith("application/json")
    assert json.loads(exported.content)[0]["customer"]["name"] == "王丽"
    before = totals()
    assert client.post(url, {"action": "anonymise", "_selected_action": [wang.pk]}).status_code == 302
    wang.refresh_from_db()
    assert wang.name == "" and totals() == before
    actions = set(AuditEvent.objects.filter(actor=admin).values_list("action", flat=True))
    assert actions == {AuditEvent.Action.EXPORT, AuditEvent.Action.ANONYMISE}
