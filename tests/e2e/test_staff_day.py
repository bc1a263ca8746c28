"""A staff member's day on the phone, in Chromium at 390 px: call, log, book, register, aftercare, no-show."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from dateutil.relativedelta import relativedelta
from playwright.sync_api import expect

from customers.models import AftercareCall, Appointment, Card
from customers.services.cards import card_open
from reactivation.services.segment import segment_store
from tests.factories import AppointmentFactory, CustomerFactory, ServiceFactory, VisitFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def night(store, beautician_a, front_desk, manager):
    """Two dormant customers on beautician_a's list (she is the store's only beautician)."""
    today = store.today()
    wang = CustomerFactory(store=store, name="王芳", phone="13900001111")
    li = CustomerFactory(store=store, name="李娜", phone="13900002222")
    VisitFactory(customer=wang, visited_on=today - relativedelta(months=1, days=5), beautician=beautician_a)
    VisitFactory(customer=li, visited_on=today - relativedelta(months=2, days=5), beautician=beautician_a)
    segment_store(store=store, today=today)
    return {"wang": wang, "li": li}


def names_on_list(page) -> list[str]:
    return page.locator(".call-row .call-name").all_inner_texts()


def log_contact(page, outcome: str):
    """Pick the outcome, save, and wait until the history shows one contact more."""
    before = page.locator("#contact-history > li").count()
    form = page.locator("#follow-up-form")
    form.locator(f"input[name=outcome][value={outcome}]").check()
    form.get_by_role("button", name="保存回访").click()
    expect(page.locator("#contact-history > li")).to_have_count(before + 1)


def test_a_beautician_logs_a_no_answer_then_a_booking_and_her_list_follows(night, sign_in, store):
    page = sign_in("beautician_a")
    assert names_on_list(page) == ["李娜", "王芳"] or set(names_on_list(page)) == {"李娜", "王芳"}
    page.get_by_role("link", name="王芳").click()
    page.evaluate("window.notReloaded = true")

    log_contact(page, "no_answer")
    expect(page.locator("#contact-history")).to_contain_text("无人接听")
    tomorrow = (store.today() + dt.timedelta(days=1)).isoformat()
    expect(page.locator("#contact-history")).to_contain_text(tomorrow)
    assert page.evaluate("window.notReloaded === true"), "saved in place, without a reload"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(page.url.split("/customers/")[0] + "/calls/")
    assert names_on_list(page)[-1] == "王芳", "tried without success today: she sinks to the end"

    page.get_by_role("link", name="王芳").click()
    page.evaluate("window.notReloaded = true")
    when = (dt.datetime.now() + dt.timedelta(days=3)).strftime("%Y-%m-%dT15:00")
    page.locator("#follow-up-form input[name=outcome][value=booked]").check()
    page.locator("#follow-up-form [name=appointment_at]").fill(when)
    page.locator("#follow-up-form").get_by_role("button", name="保存回访").click()
    expect(page.locator("#follow-up-notice")).to_contain_text("已预约到店")
    assert page.evaluate("window.notReloaded === true")

    page.goto(page.url.split("/customers/")[0] + "/calls/")
    assert "王芳" not in names_on_list(page), "booked ahead: off the list"
    assert Appointment.objects.filter(customer=night["wang"], status="booked").count() == 1


def test_a_booking_without_a_time_is_refused_in_place_and_nothing_is_saved(night, sign_in):
    page = sign_in("beautician_a")
    page.get_by_role("link", name="李娜").click()
    page.locator("#follow-up-form input[name=outcome][value=booked]").check()
    page.locator("#follow-up-form").get_by_role("button", name="保存回访").click()
    expect(page.locator("#follow-up-form")).to_contain_text("请填写她到店的日期和时间")
    assert not night["li"].follow_ups.exists()


def test_three_failed_attempts_put_her_on_the_managers_escalated_tab(night, sign_in, live_server):
    page = sign_in("beautician_a")
    page.get_by_role("link", name="李娜").click()
    for outcome in ("no_answer", "refused", "unreachable"):
        log_contact(page, outcome)
    expect(page.locator("#escalated-badge")).to_be_visible()

    page.context.clear_cookies()  # signed out
    page = sign_in("manager")
    page.goto(f"{live_server.url}/calls/")
    page.locator("#escalated-tab").click()
    expect(page.locator(".call-row")).to_have_count(1)
    expect(page.locator(".call-row")).to_contain_text("李娜")


def test_the_front_desk_registers_a_visit_from_a_package_and_the_aftercare_call_appears(
    night, sign_in, live_server, store, beautician_a, front_desk
):
    li = night["li"]
    ServiceFactory(store=store, name="补水保湿护理")
    card = card_open(customer=li, name="补水疗程卡", kind=Card.Kind.SESSIONS, sessions=5)
    page = sign_in("front_desk")
    page.goto(f"{live_server.url}/visits/new/")
    page.locator("#visit-search").fill("李娜")
    page.get_by_role("button", name="搜索").click()
    page.locator("#visit-found a").first.click()

    form = page.locator("#visit-form")
    form.locator("[name=service]").select_option(label="补水保湿护理")
    form.locator("[name=beautician]").select_option(str(beautician_a.pk))
    form.locator("[name=card]").select_option(str(card.pk))
    form.locator("[name=card_sessions]").fill("1")
    when = (dt.datetime.now() + dt.timedelta(days=14)).strftime("%Y-%m-%dT11:00")
    form.locator("[name=next_appointment_at]").fill(when)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    form.get_by_role("button", name="登记到店").click()
    expect(page.locator(".alert-success")).to_contain_text("剩余：4 次")

    card.refresh_from_db()
    li.refresh_from_db()
    assert card.sessions_left == 4 and li.bucket == "active" and li.assignee is None
    aftercare = AftercareCall.objects.get(customer=li)
    assert aftercare.staff == beautician_a and aftercare.due_on == store.today() + dt.timedelta(days=2)

    page.context.clear_cookies()  # signed out
    page = sign_in("beautician_a")
    assert "李娜" not in names_on_list(page), "she came back: off every call list"
    AftercareCall.objects.filter(pk=aftercare.pk).update(due_on=store.today())  # two days later
    page.reload()
    row = page.locator(".call-row", has_text="李娜")
    expect(row).to_contain_text("到店后回访")


def test_a_no_show_puts_her_back_on_her_list(night, sign_in, live_server, store, beautician_a):
    wang = night["wang"]
    start = dt.datetime.combine(store.today(), dt.time(10), store.tzinfo)
    appointment = AppointmentFactory(customer=wang, starts_at=start, staff=beautician_a)
    segment_store(store=store, today=store.today(), replan=True)  # booked: nobody calls her tonight
    wang.refresh_from_db()
    assert wang.assignee is None

    page = sign_in("front_desk")
    page.goto(f"{live_server.url}/appointments/")
    row = page.locator(f".appointment-row[data-appointment='{appointment.pk}']")
    row.get_by_role("button", name="爽约").click()
    expect(page.locator(".alert-success")).to_contain_text("她已回到回访名单上")

    page.context.clear_cookies()  # signed out
    page = sign_in("beautician_a")
    expect(page.locator(".call-row", has_text="王芳")).to_have_count(1)
    assert re.search("王芳", page.content())
