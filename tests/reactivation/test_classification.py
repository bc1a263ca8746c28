"""One night's plan: states and the reason each assignee changed. Pure, no database."""

import datetime as dt

from reactivation.assignment import Staffing
from reactivation.classification import Cause, CustomerFacts, CustomerState, plan_night

TODAY = dt.date(2026, 11, 23)
STAFF = Staffing(beauticians=(11, 12), front_desk=(21,), managers=(31,))
DEFAULT = ["m1", "m2"]


def facts(cid, last_seen, *, state=None, contactable=True, served_by=None):
    return CustomerFacts(cid, last_seen, contactable, served_by, state or CustomerState())


def night(*customers, staffing=STAFF):
    return plan_night(customers, staffing=staffing, beautician_buckets=DEFAULT, today=TODAY)


def test_a_customer_one_month_away_becomes_a_beauticians_job_with_her_spell_dated():
    plan = night(facts(1, dt.date(2026, 10, 23), served_by=12))
    (change,) = plan.changes
    assert change.after == CustomerState("m1", 1, 12, dt.date(2026, 11, 23))
    assert change.cause == Cause.NEWLY_DORMANT


def test_an_active_customer_is_left_alone():
    assert night(facts(1, dt.date(2026, 11, 1))).changes == []


def test_moving_from_two_to_three_months_hands_her_to_the_front_desk():
    before = CustomerState("m2", 2, 11, dt.date(2026, 9, 22))
    (change,) = night(facts(1, dt.date(2026, 8, 22), state=before)).changes
    assert (change.after.bucket, change.after.assignee, change.cause) == ("m3", 21, Cause.MOVED_GROUP)


def test_a_do_not_contact_customer_loses_her_assignee_but_keeps_her_bucket():
    before = CustomerState("m1", 1, 11, dt.date(2026, 11, 20))
    (change,) = night(facts(1, dt.date(2026, 10, 20), state=before, contactable=False)).changes
    assert change.after == CustomerState("m1", 1, None, dt.date(2026, 11, 20))
    assert change.cause == Cause.NOT_CONTACTABLE


def test_a_beautician_who_left_passes_her_customers_on():
    before = CustomerState("m1", 1, 13, dt.date(2026, 11, 20))  # 13 is no longer an active beautician
    (change,) = night(facts(1, dt.date(2026, 10, 20), state=before)).changes
    assert change.after.assignee in (11, 12)
    assert change.cause == Cause.STAFF_LEFT


def test_an_overloaded_beautician_is_rebalanced():
    state = CustomerState("m1", 1, 11, dt.date(2026, 11, 20))
    plan = night(*(facts(cid, dt.date(2026, 10, 20), state=state) for cid in range(1, 5)))
    assert [c.cause for c in plan.changes] == [Cause.REBALANCED, Cause.REBALANCED]
    assert plan.counts == {("m1", 11): 2, ("m1", 12): 2}


def test_a_store_with_nobody_counts_its_unassigned_dormant_customers():
    plan = night(facts(1, dt.date(2026, 6, 1)), facts(2, dt.date(2026, 6, 1), contactable=False), staffing=Staffing())
    assert plan.unassigned == 1
    assert plan.counts == {("m3plus", None): 2}


def test_tonights_plan_applied_and_planned_again_changes_nothing():
    customers = [
        facts(cid, dt.date(2026, 11, 23) - dt.timedelta(days=7 * cid), served_by=11 + cid % 2) for cid in range(40)
    ]
    first = night(*customers)
    after = {c.customer_id: c.after for c in first.changes}
    settled = [
        facts(f.customer_id, f.last_seen_on, state=after.get(f.customer_id, f.state), served_by=f.last_served_by)
        for f in customers
    ]
    assert night(*settled).changes == []
