"""A manager imports her customers on a phone: one bad row explained, fixed, uploaded again, confirmed."""

import os
import re

import pytest
from playwright.sync_api import expect

from customers.models import Customer
from tests.customers.imports.files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.e2e

HEADER = ["门店编码", "手机号", "姓名", "性别", "生日"]
FIXED = [
    HEADER,
    ["MAIN", "138 1234 5678", "王丽", "女", "1985/3/5"],
    ["MAIN", "139-0000-1111", "李娜", "女", "1990年1月2日"],
]
ONE_BAD = [FIXED[0], FIXED[1], ["MAIN", "139-0000-111", "李娜", "女", "1990年1月2日"]]  # a digit short
SCREENSHOTS = os.environ.get("SCREENSHOTS_DIR")


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def snap(page, name):
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def test_a_manager_fixes_a_bad_row_and_imports_her_customers(sign_in, manager, live_server):
    page = sign_in("manager")
    page.goto(f"{live_server.url}/imports/")
    expect(page.locator("h1")).to_have_text("导入")
    assert fits_the_phone(page)
    snap(page, "1-imports")

    page.select_option("select[name=kind]", "customers")
    page.set_input_files(
        "input[name=file]", {"name": "顾客.xlsx", "mimeType": "application/octet-stream", "buffer": xlsx_bytes(ONE_BAD)}
    )
    page.click("#check-file")

    expect(page.locator("#bad-rows-summary")).to_contain_text("1 行有问题，因此没有保存任何内容")
    bad_row = page.locator(".bad-row")
    expect(bad_row).to_have_count(1)
    expect(bad_row).to_contain_text("第 3 行 · 手机号")
    expect(bad_row).to_contain_text("139-0000-111")
    expect(bad_row).to_contain_text("不是有效的大陆手机号")
    expect(page.locator("#confirm-import")).to_have_count(0)
    assert fits_the_phone(page)
    snap(page, "2-bad-row")
    assert Customer.objects.count() == 0

    page.set_input_files(
        "input[name=file]", {"name": "顾客.csv", "mimeType": "text/csv", "buffer": csv_bytes(FIXED, encoding="gbk")}
    )
    page.click("#check-file")
    expect(page.locator("#import-preview")).to_contain_text("全部 2 行都可以导入")
    expect(page.locator("#import-preview")).to_contain_text("新增 2 条")
    assert fits_the_phone(page)
    snap(page, "3-preview")
    assert Customer.objects.count() == 0

    page.click("#confirm-import")
    expect(page.locator("#import-done")).to_contain_text("新增 2")
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    assert fits_the_phone(page)
    snap(page, "4-imported")
    assert sorted(Customer.objects.values_list("name", "phone")) == [("李娜", "13900001111"), ("王丽", "13812345678")]

    page.goto(f"{live_server.url}/imports/")
    expect(page.locator("#import-history li").first).to_contain_text("新增 2")
    assert fits_the_phone(page)


def test_the_manager_sets_a_password_for_an_imported_beautician(sign_in, manager, live_server):
    from customers.models import Staff

    member = Staff(username="xiaoli", name="小丽", role=Staff.Role.BEAUTICIAN, store=manager.store)
    member.set_unusable_password()
    member.save()
    page = sign_in("manager")
    page.goto(f"{live_server.url}/staff/")
    row = page.locator("#staff-list li", has_text="小丽")
    expect(row).to_contain_text("尚未设置密码")
    assert fits_the_phone(page)
    snap(page, "5-staff")
    row.get_by_role("link", name="设置密码").click()
    page.fill("input[name=new_password1]", "lily-of-the-valley-42")
    page.fill("input[name=new_password2]", "lily-of-the-valley-42")
    assert fits_the_phone(page)
    snap(page, "6-password")
    page.click("#set-password")
    expect(page.locator(".alert-success")).to_contain_text("小丽")
    member.refresh_from_db()
    assert member.check_password("lily-of-the-valley-42")
