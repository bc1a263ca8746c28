"""The call list's rows written in Python (`reactivation.call_rows`): what each row says, in the reader's language,
escaped, with its dates in the store's day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import translation

from customers.models import Customer, Staff
from reactivation.call_rows import call_rows_html
from reactivation.views.calls import _ids_in_urls

URLS = _ids_in_urls("reactivation:customer_card", "customers:reveal_phone")


def row(**values) -> Customer:
    rows = {"queue": 3, "aftercare_due": False, "card_balance": Decimal("0.00"), "sessions_left": 0}
    annotations = {name: values.pop(name, default) for name, default in rows.items()}
    fields = {"name": "王芳", "phone": "13812345678", "bucket": "m2", "months_away": 2, **values}
    customer = Customer(pk=7, **fields)
    for name, value in annotations.items():
        setattr(customer, name, value)
    return customer


def html(*customers: Customer, user: Staff | None = None, language: str = "zh-hans") -> str:
    with translation.override(language):
        user = user or Staff(pk=1, username="mei", role=Staff.Role.BEAUTICIAN)
        return call_rows_html(customers, user=user, urls=URLS, show_number="显示号码")


def test_a_row_links_her_card_and_her_number_and_escapes_her_name():
    text = html(row(name='<b>"王"</b>'))
    assert '<a class="fw-semibold call-name" href="/customers/7/">&lt;b&gt;&quot;王&quot;&lt;/b&gt;</a>' in text
    assert 'hx-post="/customers/7/phone/" hx-target="#phone-7"' in text and "138****5678" in text
    assert "13812345678" not in text


def test_a_row_says_her_bucket_section_and_months_away_in_her_language():
    assert '<span class="badge bucket-m2 ms-1">2个月未到店</span>' in html(row())
    assert "2 months away" in html(row(), language="en") and "1 month away" in html(row(months_away=1), language="en")
    assert "尚未联系" in html(row(queue=2)) and "Not contacted yet" in html(row(queue=2), language="en")
    assert "text-bg-warning" in html(row(queue=1)) and "text-bg-warning" not in html(row(queue=3))
    aftercare = html(row(aftercare_due=True, queue=0))
    assert "text-bg-info" in aftercare and "bucket-m2" not in aftercare


def test_a_row_says_what_is_left_on_her_cards():
    text = html(row(card_balance=Decimal("1234.50"), sessions_left=3), language="en")
    assert "¥1234.50 on card" in text and " · 3 sessions left" in text
    assert '<div class="small">' not in html(row())


def test_a_row_dates_her_last_contact_in_the_store_day():
    late = dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC)  # 01:30 on the 2nd in Shanghai
    text = html(row(last_contact_at=late, last_contact_outcome="no_answer", next_follow_up_on=dt.date(2026, 12, 3)))
    assert ": 12-02 无人接听 · " in text and " 12-03</div>" in text
    assert "2025-03-04" in html(row(last_visit_on=dt.date(2025, 3, 4)))


def test_a_manager_sees_whose_list_each_customer_is_on():
    manager = Staff(pk=9, username="boss", role=Staff.Role.MANAGER)
    mei = Staff(pk=1, username="mei", name="<美>", role=Staff.Role.BEAUTICIAN)
    theirs = row(assignee=mei)
    assert "&lt;美&gt;</div>" in html(theirs, user=manager)
    assert "—</div>" in html(row(), user=manager)
    assert 'small text-secondary">负责人' not in html(theirs) and "Assigned to" not in html(theirs, language="en")
