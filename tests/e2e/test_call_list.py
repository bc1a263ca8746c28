import re

import pytest
from dateutil.relativedelta import relativedelta
from playwright.sync_api import expect

from customers.models import AuditEvent
from reactivation.services.segment import segment_store
from tests.factories import CustomerFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def overnight(store, beautician_a, beautician_b, front_desk):
    today = store.today()
    for months in (1, 1, 2, 2, 5):
        CustomerFactory(store=store, last_visit_on=today - relativedelta(months=months, days=4))
    segment_store(store=store, today=today)


def test_a_beautician_opens_her_call_list_on_her_phone_and_calls_a_customer(overnight, sign_in, beautician_a):
    page = sign_in("beautician_a")
    expect(page).to_have_url(re.compile(r"/calls/$"))
    rows = page.locator(".call-row")
    expect(rows).to_have_count(2)
    expect(page.locator("#overnight-changes")).to_contain_text("新进入沉睡")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    first = rows.first
    masked = first.locator(".phone").inner_text()
    assert "****" in masked
    first.get_by_role("button", name="显示号码").click()
    call = first.locator("a[href^='tel:']")
    expect(call).to_be_visible()
    assert re.fullmatch(r"tel:1\d{10}", call.get_attribute("href"))
    assert AuditEvent.objects.filter(action="reveal_phone", actor=beautician_a).count() == 1

    first.locator("a").first.click()
    expect(page.locator("h1")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
