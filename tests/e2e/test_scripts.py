"""In Chromium on a phone: a manager adjusts and previews a script; a beautician sees it filled in and sends it."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from customers.services.cards import card_open
from reactivation import messaging
from reactivation.models import FollowUp, Message
from tests.factories import CustomerFactory

pytestmark = pytest.mark.e2e

NEW_OPENING = "{name}您好，我是{store}的{staff}。您卡里的{card_balance}还给您留着，这周来坐坐吧！"


@pytest.fixture
def wang(store, beautician_a):
    today = store.today()
    customer = CustomerFactory(
        store=store,
        name="王丽娟",
        gender="F",
        phone="13912345678",
        assignee=beautician_a,
        last_beautician=beautician_a,
        last_visit_on=today - dt.timedelta(days=40),
        bucket="m1",
        months_away=1,
    )
    card_open(customer=customer, name="金卡", balance=Decimal("1280.00"), expires_on=today + dt.timedelta(days=200))
    return customer


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_manager_edits_and_previews_then_beautician_sends_it_from_the_card(
    sign_in, live_server, manager, beautician_a, wang
):
    messaging.outbox.clear()
    page = sign_in("manager")
    page.goto(f"{live_server.url}/scripts/")
    fits_the_phone(page)
    opening = page.locator("article[data-key='opening-m1']")
    opening.locator(".script-edit").click()

    page.fill("#id_body", NEW_OPENING + "{nickname}")
    page.click("#save-script")
    expect(page.locator(".invalid-feedback")).to_contain_text("无法识别的占位符：{nickname}")

    page.fill("#id_body", NEW_OPENING)
    page.fill("#id_preview_query", "王丽")
    page.click("#preview-button")
    expect(page.locator("#preview-text")).to_have_text(
        "王姐您好，我是丽颜美容会所的周店长。您卡里的1,280元还给您留着，这周来坐坐吧！"
    )
    fits_the_phone(page)
    page.click("#save-script")
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    expect(page.locator("article[data-key='opening-m1']")).to_contain_text("本店已修改")

    page.context.clear_cookies()
    page = sign_in("beautician_a")
    page.goto(f"{live_server.url}/customers/{wang.pk}/")
    fits_the_phone(page)
    opening = page.locator("#panel-opening")
    expect(opening).to_contain_text("王姐您好，我是丽颜美容会所的小美。您卡里的1,280元还给您留着，这周来坐坐吧！")

    sms = page.locator("details[data-key='no-answer-sms']")
    sms.locator("summary").click()
    expect(sms).to_contain_text("王姐您好，我是丽颜美容会所的小美，刚才给您打电话没接通")
    page.once("dialog", lambda dialog: dialog.accept())
    sms.locator(".send-sms").click()
    expect(page.locator("#panel-notice")).to_contain_text("已发送给 139****5678")
    # The cap now holds the next marketing message back, and says until when.
    expect(page.locator("details[data-key='birthday-sms'] .send-blocked")).to_contain_text(re.compile("下一条最早"))
    fits_the_phone(page)

    (sent,) = messaging.outbox
    assert sent.to == "13912345678" and sent.body.startswith("王姐您好，我是丽颜美容会所的小美，刚才给您打电话没接通")
    assert Message.objects.get().phone_masked == "139****5678"
    assert FollowUp.objects.get(customer=wang).outcome == FollowUp.Outcome.MESSAGE_SENT
