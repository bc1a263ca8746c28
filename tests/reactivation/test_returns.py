"""DESIGN §4.6: a visit ends the dormant spell at once, and the return is credited to the last contact."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from reactivation.models import AssignmentChange, CustomerReturn
from reactivation.selectors.calls import call_list_for
from reactivation.services.follow_ups import follow_up_log
from reactivation.services.returns import visits_recorded
from reactivation.services.segment import segment_store
from reactivation.services.visits import visit_register
from tests.factories import CustomerFactory, VisitFactory

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def dormant(store, beautician_a, front_desk):
    customer = CustomerFactory(store=store, last_visit_on=TODAY - relativedelta(months=1, days=5))
    segment_store(store=store, today=TODAY)
    customer.refresh_from_db()
    assert customer.assignee == beautician_a
    return customer


def at(day, hour=15):
    return dt.datetime.combine(day, dt.time(hour), timezone.get_current_timezone())


def test_a_visit_takes_her_off_the_call_list_at_once(dormant, beautician_a):
    assert dormant in call_list_for(beautician_a)
    visit_register(customer=dormant, visited_on=TODAY, by=beautician_a)
    dormant.refresh_from_db()
    assert (dormant.bucket, dormant.assignee, dormant.dormant_since) == ("active", None, None)
    assert dormant.last_visit_on == TODAY
    assert dormant not in call_list_for(beautician_a)
    assert AssignmentChange.objects.filter(customer=dormant, cause="returned", from_staff=beautician_a).exists()


def test_the_return_is_credited_to_the_latest_contact_within_thirty_days(dormant, beautician_a, manager):
    follow_up_log(by=beautician_a, customer=dormant, outcome="reached", contacted_at=at(TODAY - dt.timedelta(days=20)))
    credited = follow_up_log(
        by=manager, customer=dormant, outcome="booked", contacted_at=at(TODAY - dt.timedelta(days=2))
    )
    visit_register(customer=dormant, visited_on=TODAY)
    customer_return = CustomerReturn.objects.get(customer=dormant)
    assert (customer_return.credited_to, customer_return.follow_up) == (manager, credited)
    assert (customer_return.bucket, customer_return.months_away) == ("m1", 1)


def test_a_contact_older_than_the_window_earns_no_credit(dormant, beautician_a):
    follow_up_log(by=beautician_a, customer=dormant, outcome="reached", contacted_at=at(TODAY - dt.timedelta(days=31)))
    visit_register(customer=dormant, visited_on=TODAY)
    assert CustomerReturn.objects.get(customer=dormant).credited_to is None


def test_the_window_is_a_store_setting(dormant, beautician_a, store):
    store.attribution_days = 45
    store.save()
    follow_up_log(by=beautician_a, customer=dormant, outcome="reached", contacted_at=at(TODAY - dt.timedelta(days=40)))
    visit_register(customer=dormant, visited_on=TODAY)
    assert CustomerReturn.objects.get(customer=dormant).credited_to == beautician_a


def test_an_old_visit_entered_late_ends_nothing(dormant):
    old = VisitFactory(customer=dormant, visited_on=dormant.last_visit_on - dt.timedelta(days=30))
    visits_recorded(store=dormant.store, visits=[old])
    dormant.refresh_from_db()
    assert dormant.bucket == "m1" and dormant.assignee is not None
    assert not CustomerReturn.objects.exists()


def test_recording_the_same_visits_twice_records_one_return(dormant):
    visit = VisitFactory(customer=dormant, visited_on=TODAY)
    visits_recorded(store=dormant.store, visits=[visit])
    visits_recorded(store=dormant.store, visits=[visit])
    assert CustomerReturn.objects.count() == 1


def test_a_visit_by_an_active_customer_is_not_a_return(store):
    regular = CustomerFactory(store=store, last_visit_on=TODAY - dt.timedelta(days=10))
    visit_register(customer=regular, visited_on=TODAY)
    regular.refresh_from_db()
    assert regular.last_visit_on == TODAY
    assert not CustomerReturn.objects.exists()


def test_coming_back_clears_an_escalation(dormant, beautician_a):
    for _ in range(3):
        follow_up_log(by=beautician_a, customer=dormant, outcome="no_answer")
    dormant.refresh_from_db()
    assert dormant.escalated_on is not None
    visit_register(customer=dormant, visited_on=TODAY)
    dormant.refresh_from_db()
    assert dormant.escalated_on is None
