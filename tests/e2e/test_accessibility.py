"""Every page, as each role reaches it, passes axe-core (from npm) with no serious or critical violation."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from customers.services.cards import card_open
from reactivation.services.follow_ups import follow_up_log
from reactivation.services.segment import segment_store
from tests.factories import AppointmentFactory, CustomerFactory, VisitFactory
from tests.processes import ROOT

pytestmark = pytest.mark.e2e

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "beautician_a": ["/calls/", "/scripts/", "CARD"],
    "front_desk": ["/calls/", "/appointments/", "/visits/new/", "/visits/new/?q=王", "VISIT"],
    "manager": [
        "/dashboard/",
        "/calls/",
        "/calls/?escalated=1",
        "/appointments/",
        "/scripts/",
        "/imports/",
        "/staff/",
        "/rewards/",
        "/audit/",
        "/settings/",
        "/reassign/",
        "/reassign/?staff=beautician_a",
        "/exports/call-lists/",
        "/dashboard/reasons/price/",
    ],
    "owner": [
        "/dashboard/",
        "/scripts/",
        "/dashboard/stores/",
        "/rewards/?store=MAIN",
        "/settings/?store=MAIN",
        "/audit/?store=MAIN",
    ],
}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """axe-core goes in as an inline script, which the Content-Security-Policy rightly blocks: this module's
    browser ignores the policy (tests/e2e/test_content_security_policy.py checks the pages under it)."""
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def salon(store, manager, beautician_a, front_desk, owner):
    today = store.today()
    wang = CustomerFactory(store=store, name="王芳", occupation="教师")
    VisitFactory(customer=wang, visited_on=today - relativedelta(months=1, days=3), beautician=beautician_a)
    card_open(customer=wang, name="储值卡", balance=500)
    segment_store(store=store, today=today)
    follow_up_log(by=beautician_a, customer=wang, outcome="reached", reasons=["busy"], notes="下周再约")
    AppointmentFactory(customer=wang, starts_at=dt.datetime.combine(today, dt.time(15), store.tzinfo))
    return wang


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {len(v['nodes'])}× e.g. {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("username", list(PAGES))
def test_no_serious_accessibility_violation_on_any_page(salon, sign_in, live_server, username):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run scripts/setup.sh (npm ci)")
    page = sign_in(username)
    found = {}
    for path in PAGES[username]:
        path = {"CARD": f"/customers/{salon.pk}/", "VISIT": f"/visits/new/?customer={salon.pk}"}.get(path, path)
        page.goto(f"{live_server.url}{path}")
        if problems := serious_violations(page):
            found[path] = problems
    assert not found, found
