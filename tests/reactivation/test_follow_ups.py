import datetime as dt
import uuid

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from reactivation.models import FollowUp
from reactivation.selectors.calls import call_list_for, escalated_list_for
from reactivation.services.follow_ups import follow_up_log
from reactivation.services.segment import segment_store
from tests.factories import CustomerFactory


@pytest.fixture
def dormant(store, beautician_a, manager):
    today = store.today()
    customer = CustomerFactory(store=store, last_visit_on=today - relativedelta(months=1, days=5))
    segment_store(store=store, today=today)
    customer.refresh_from_db()
    return customer


def test_three_failed_calls_in_one_spell_escalate_to_the_manager(dormant, beautician_a, manager):
    for outcome in ("no_answer", "refused"):
        follow_up_log(by=beautician_a, customer=dormant, outcome=outcome)
    assert dormant not in escalated_list_for(manager)
    follow_up_log(by=beautician_a, customer=dormant, outcome="unreachable")
    dormant.refresh_from_db()
    assert dormant.escalated_on == dormant.store.today()
    assert dormant in escalated_list_for(manager), "on the manager's escalated tab"
    assert dormant in call_list_for(beautician_a), "her beautician keeps her too"


def test_reaching_her_in_between_prevents_escalation(dormant, beautician_a):
    for outcome in ("no_answer", "no_answer", "reached", "no_answer"):
        follow_up_log(by=beautician_a, customer=dormant, outcome=outcome)
    dormant.refresh_from_db()
    assert dormant.escalated_on is None


def test_failures_before_her_current_dormant_spell_do_not_count(dormant, beautician_a):
    before_spell = timezone.make_aware(dt.datetime.combine(dormant.dormant_since - dt.timedelta(days=3), dt.time(12)))
    for _ in range(2):
        follow_up_log(by=beautician_a, customer=dormant, outcome="no_answer", contacted_at=before_spell)
    follow_up_log(by=beautician_a, customer=dormant, outcome="no_answer")
    dormant.refresh_from_db()
    assert dormant.escalated_on is None


def test_a_double_tap_logs_one_follow_up(dormant, beautician_a):
    token = uuid.uuid4()
    first = follow_up_log(by=beautician_a, customer=dormant, outcome="reached", client_token=token)
    second = follow_up_log(by=beautician_a, customer=dormant, outcome="reached", client_token=token)
    assert first == second
    assert FollowUp.objects.count() == 1


def test_reasons_are_stored_once_each_and_a_booking_takes_her_off_the_list(dormant, beautician_a):
    starts = timezone.now() + dt.timedelta(days=2)
    follow_up = follow_up_log(
        by=beautician_a, customer=dormant, outcome="booked", reasons=["busy", "busy", "price"], appointment_at=starts
    )
    assert sorted(follow_up.reasons.values_list("reason", flat=True)) == ["busy", "price"]
    assert follow_up.appointment.starts_at == starts
    assert dormant not in call_list_for(beautician_a)


def test_her_row_keeps_her_latest_contact_even_when_an_older_one_is_logged_after_it(dormant, beautician_a):
    now = timezone.now()
    tomorrow = dormant.store.today() + dt.timedelta(days=1)
    follow_up_log(by=beautician_a, customer=dormant, outcome="no_answer", next_follow_up_on=tomorrow, contacted_at=now)
    follow_up_log(by=beautician_a, customer=dormant, outcome="reached", contacted_at=now - dt.timedelta(days=3))
    dormant.refresh_from_db()
    assert (dormant.last_contact_at, dormant.last_contact_outcome, dormant.next_follow_up_on) == (
        now,
        "no_answer",
        tomorrow,
    )


def test_refreshing_in_bulk_gives_the_same_copy_as_logging_one_by_one(dormant, beautician_a):
    from customers.models import Customer
    from reactivation.services.follow_ups import latest_contacts_refresh

    follow_up_log(by=beautician_a, customer=dormant, outcome="call_back", next_follow_up_on=dt.date(2031, 1, 1))
    logged = Customer.objects.values("last_contact_at", "last_contact_outcome", "next_follow_up_on").get(pk=dormant.pk)
    Customer.objects.filter(pk=dormant.pk).update(last_contact_at=None, last_contact_outcome="", next_follow_up_on=None)
    latest_contacts_refresh(Customer.objects.filter(pk=dormant.pk))
    assert Customer.objects.values(*logged).get(pk=dormant.pk) == logged
    FollowUp.objects.filter(customer=dormant).delete()
    latest_contacts_refresh(Customer.objects.filter(pk=dormant.pk))
    assert Customer.objects.values(*logged).get(pk=dormant.pk) == {
        "last_contact_at": None,
        "last_contact_outcome": "",
        "next_follow_up_on": None,
    }
