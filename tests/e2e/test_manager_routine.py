"""In Chromium: the manager opens the dashboard and its charts render, drills into a reason, changes a
reward rule and sees the reward sheet change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from playwright.sync_api import expect

from reactivation.models import CustomerReturn, FollowUp, FollowUpReason
from reactivation.services.segment import segment_store
from tests.factories import CustomerFactory, VisitFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def a_month(store, manager, beautician_a, beautician_b):
    today = store.today()
    for _ in range(3):
        CustomerFactory(store=store, last_visit_on=today - relativedelta(months=1, days=3))
    segment_store(store=store, today=today)
    back = CustomerFactory(store=store, name="回店的李女士")
    visit = VisitFactory(customer=back, visited_on=today, amount=Decimal("1200"))
    CustomerReturn.objects.create(
        store=store, customer=back, visit=visit, returned_on=today, bucket="m2", months_away=2, credited_to=beautician_a
    )
    contact = FollowUp.objects.create(
        store=store, customer=back, by=beautician_a, contacted_at=dt.datetime.now(dt.UTC), outcome="booked",
        notes="说最近太忙，周末来",
    )  # fmt: skip
    FollowUpReason.objects.create(follow_up=contact, store=store, reason="busy")


def test_the_manager_reads_her_dashboard_and_changes_a_reward_rule(a_month, sign_in, live_server):
    page = sign_in("manager")
    page.goto(f"{live_server.url}/dashboard/")
    for chart in ("#trend-chart", "#funnel-chart", "#reasons-chart", "#liability-chart"):
        expect(page.locator(f"{chart}[data-rendered='1'] svg").first).to_be_attached()
    expect(page.locator("#funnel-table tr[data-step='returned'] .step-now")).to_have_text("1")

    page.locator("#top-reasons a").first.click()
    expect(page.locator("#reason-contacts")).to_contain_text("说最近太忙，周末来")

    page.goto(f"{live_server.url}/rewards/")
    total = page.locator("tr[data-username='beautician_a'] .reward-total")
    expect(total).to_have_text("¥45.00")  # ¥5 for the visit + ¥40 for a ¥1200 return

    page.goto(f"{live_server.url}/settings/")
    page.fill("input[name=reward_per_return_visit]", "15")
    page.click("#save-settings")
    expect(page.locator(".alert-success")).to_be_visible()
    page.click("text=查看本月奖励")
    expect(total).to_have_text("¥55.00")


def test_the_manager_reassigns_a_customer_and_downloads_the_sheet(a_month, sign_in, live_server, beautician_b):
    from customers.models import Customer

    page = sign_in("manager")
    page.goto(f"{live_server.url}/dashboard/")
    page.locator("#assignee-table tr", has_text="小美").get_by_role("link", name="转交").click()
    page.locator("#reassign-list input[type=checkbox]").first.check()
    page.select_option("#reassign-to", str(beautician_b.pk))
    page.click("#reassign-submit")
    expect(page.locator(".alert-success")).to_contain_text("小雅")
    assert Customer.objects.filter(assignee=beautician_b).count() == 2

    page.goto(f"{live_server.url}/rewards/")
    with page.expect_download() as download:
        page.click("#download-xlsx")
    assert download.value.suggested_filename.endswith(".xlsx")


def test_the_owner_compares_two_stores(a_month, other_store, owner, sign_in, live_server):
    page = sign_in("owner")
    page.goto(f"{live_server.url}/dashboard/stores/")
    expect(page.locator("#chain-table tr[data-store]")).to_have_count(2)
    expect(page.locator("#chain-totals")).to_contain_text("¥")
    page.locator("tr[data-store='MAIN'] a").click()
    expect(page.locator("h1")).to_contain_text("丽颜美容会所")


def test_the_managers_pages_run_under_the_content_security_policy(a_month, sign_in, live_server, beautician_b):
    from customers.models import Staff

    page = sign_in("manager")
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)
    for path in ("/dashboard/", "/rewards/", "/settings/", "/reassign/?staff=beautician_a", "/staff/"):
        page.goto(f"{live_server.url}{path}")
    page.once("dialog", lambda dialog: dialog.accept())  # "she has left?" asked in a script, not inline
    page.locator(f"form[action='/staff/{beautician_b.pk}/deactivate/'] button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert not Staff.objects.get(pk=beautician_b.pk).is_active
    assert not found, found
