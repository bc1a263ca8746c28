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
