"""Under the strict Content-Security-Policy (issue 12, defect 8g) the pages still work in Chromium:
the dashboard draws its ECharts chart, the store picker switches stores, the customer card's htmx
"show number" answers in place, and the console reports no violation."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from playwright.sync_api import expect

from reactivation.services.segment import segment_store
from tests.factories import CustomerFactory, StoreFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def violations(phone_page):
    """Every CSP violation the page reports, from the console and from the DOM event."""
    found: list[str] = []
    phone_page.on(
        "console", lambda message: found.append(message.text) if "Content Security Policy" in message.text else None
    )
    phone_page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return found


@pytest.fixture
def nights(store, beautician_a, front_desk):
    today = store.today()
    customers = [CustomerFactory(store=store, last_visit_on=today - relativedelta(months=m, days=4)) for m in (1, 2, 5)]
    for days_ago in (2, 1, 0):
        segment_store(store=store, today=today - dt.timedelta(days=days_ago))
    return customers


def test_the_dashboard_and_the_card_work_under_the_policy(live_server, sign_in, manager, nights, violations):
    response_headers = {}
    page = sign_in("manager")
    page.on("response", lambda r: response_headers.setdefault(r.url, r.headers))
    page.goto(f"{live_server.url}/dashboard/")
    policy = response_headers[f"{live_server.url}/dashboard/"]["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    expect(page.locator("#trend-chart svg")).to_be_visible()
    assert page.locator("#trend-chart svg path").count() > 0

    page.goto(f"{live_server.url}/calls/")
    expect(page.locator("progress.daily-progress")).to_be_visible()
    page.select_option("#staff-pick", "beautician_a")
    page.wait_for_url("**staff=beautician_a**")

    customer = nights[0]
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    page.get_by_role("button", name="显示号码").click()
    expect(page.locator(f"#phone-{customer.pk} a[href^='tel:']")).to_be_visible()
    assert not violations, violations


def test_head_office_switches_stores_with_the_picker(live_server, sign_in, owner, nights, violations):
    StoreFactory(code="SECOND", name="第二家店")
    page = sign_in("owner")
    page.goto(f"{live_server.url}/dashboard/?store=MAIN")
    page.select_option("select[name=store]", "SECOND")
    page.wait_for_url("**store=SECOND**")
    expect(page.locator("h1")).to_contain_text("第二家店")
    assert not violations, violations
