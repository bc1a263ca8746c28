import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_the_manager_signs_in_on_a_phone_and_lands_on_the_dashboard(sign_in, manager, live_server):
    page = sign_in("manager")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("h1")).to_contain_text("看板")
    expect(page.locator("#trend-chart svg")).to_be_attached()  # ECharts, from npm, drew the chart
    # Nothing sticks out sideways on a 390-px-wide phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_wrong_password_is_explained_in_chinese(sign_in, manager):
    page = sign_in("manager", "not-the-password")
    expect(page.locator(".alert-danger, .invalid-feedback, .alert")).to_contain_text("用户名")
