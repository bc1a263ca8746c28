"""On the customer card a staff member sees the right scripts for the customer in front of her, filled in."""

import datetime as dt
from decimal import Decimal
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from customers.models import Card
from customers.services.cards import card_open
from reactivation.models import FollowUp, StoreOffer
from reactivation.selectors.script_panel import scripts_for_customer
from reactivation.services.follow_ups import follow_up_log
from tests.factories import AppointmentFactory, CustomerFactory

TODAY = dt.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)


@pytest.fixture(autouse=True)
def english_notes():
    # Warnings and notes are for staff, in the UI language; these tests read them in English.
    with translation.override("en"):
        yield


@pytest.fixture
def wang(store, beautician_a):
    """A customer one month away, with money on her card, looked after by 小美."""
    customer = CustomerFactory(
        store=store,
        name="王丽娟",
        gender="F",
        assignee=beautician_a,
        last_beautician=beautician_a,
        last_visit_on=dt.date(2026, 10, 20),
        bucket="m1",
        months_away=1,
    )
    card_open(customer=customer, name="金卡", balance=Decimal("1280.00"), expires_on=dt.date(2027, 6, 30))
    return customer


def card_html(client, user, customer, language="zh-hans"):
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(f"/customers/{customer.pk}/")
    assert response.status_code == 200
    return unescape(response.content.decode())


def section(panel, key):
    return next(s for s in panel.sections if s.key == key)


def test_the_beautician_sees_her_buckets_opening_filled_in(client, beautician_a, wang):
    html = card_html(client, beautician_a, wang)
    assert "1个月未到店：美容师关心电话" in html
    assert "王姐您好，我是丽颜美容会所的小美。" in html
    assert "{name}" not in html and "{store}" not in html


def test_the_reasons_she_gave_bring_their_tactic_and_scripts(client, beautician_a, wang):
    follow_up_log(
        by=beautician_a, customer=wang, outcome="reached", reasons=["inconvenient"], reason_detail="搬到浦东了"
    )
    panel = scripts_for_customer(customer=wang, user=beautician_a, language="zh-hans")
    reason = section(panel, "reason-inconvenient")
    assert "pay the taxi both ways" in reason.note and "搬到浦东了" in reason.note
    keys = {item.filled.script.key for item in reason.items}
    assert {"reason-inconvenient-taxi", "reason-inconvenient-transfer", "objection-too-far"} <= keys


def test_her_situation_suggests_the_balance_reminder_with_her_balance(beautician_a, wang):
    panel = scripts_for_customer(customer=wang, user=beautician_a, language="zh-hans")
    suggested = {item.filled.script.key: item for item in section(panel, "situation").items}
    assert "您卡里还有1,280元" in suggested["reason-unused-balance"].filled.text
    assert "有效期：2027年6月30日" in suggested["reason-unused-balance"].filled.text
    # Her card is fine; only the missing offer of the month is worth a word.
    assert [str(w) for w in suggested["reason-unused-balance"].filled.warnings] == [
        "No featured treatment or package is on offer today: the manager sets one under Store offers."
    ]


def test_no_script_appears_twice_and_the_rest_of_the_library_is_folded_away(beautician_a, wang):
    panel = scripts_for_customer(customer=wang, user=beautician_a, language="en")
    keys = [item.filled.script.key for s in panel.sections for item in s.items]
    assert len(keys) == len(set(keys)) == 37
    assert panel.sections[-1].key == "more" and not panel.sections[-1].open


def test_the_card_fills_the_folded_scripts_only_when_she_opens_them(client, beautician_a, wang):
    panel = scripts_for_customer(customer=wang, user=beautician_a, language="en")
    folded = [item.filled.script.key for item in section(panel, "more").items]
    html = card_html(client, beautician_a, wang)
    more = html.split('id="panel-more"', 1)[1]
    assert f'hx-get="/customers/{wang.pk}/scripts/"' in more and 'hx-trigger="toggle once"' in more
    assert f"({len(folded)})" not in more and f">{len(folded)}</span>" in more  # the count, not the scripts
    assert not any(f'data-key="{key}"' in html for key in folded)
    fragment = unescape(client.get(f"/customers/{wang.pk}/scripts/", HTTP_HX_REQUEST="true").content.decode())
    assert [key for key in folded if f'data-key="{key}"' in fragment] == folded
    assert "1280" in fragment or "1,280" in fragment  # filled for her
    without_js = unescape(client.get(f"/customers/{wang.pk}/?scripts=all").content.decode())
    assert all(f'data-key="{key}"' in without_js for key in folded)


def test_a_customer_with_no_card_and_no_visits_gets_warnings_not_nonsense(client, store, front_desk):
    customer = CustomerFactory(
        store=store, name="赵敏", assignee=front_desk, joined_on=dt.date(2026, 5, 1), bucket="m3plus", months_away=6
    )
    panel = scripts_for_customer(customer=customer, user=front_desk, language="zh-hans")
    opening = section(panel, "opening").items[0]
    assert opening.filled.script.key == "opening-m3plus"
    assert "您有6个月没来了" in opening.filled.text and "0元" in opening.filled.text
    warnings = " ".join(str(w) for w in opening.filled.warnings)
    assert "nothing left on any card" in warnings
    assert "never visited" in warnings
    assert "reason-unused-balance" not in {i.filled.script.key for i in section(panel, "situation").items}


def facts_line(html):
    return " ".join(html.split('id="panel-facts">', 1)[1].split("</p>", 1)[0].split())


def test_the_facts_line_names_only_what_her_cards_hold(client, store, beautician_a, wang):
    assert "卡内：¥1,280" in facts_line(card_html(client, beautician_a, wang))
    assert "次" not in facts_line(card_html(client, beautician_a, wang))  # no "0 次" for a card with money only
    card_open(customer=wang, name="疗程卡", kind=Card.Kind.SESSIONS, sessions=3, expires_on=dt.date(2027, 6, 30))
    assert "卡内：¥1,280，3 次" in facts_line(card_html(client, beautician_a, wang))
    sessions_only = CustomerFactory(
        store=store, name="孙丽", assignee=beautician_a, last_visit_on=dt.date(2026, 10, 1), bucket="m1", months_away=1
    )
    card_open(customer=sessions_only, name="疗程卡", kind=Card.Kind.SESSIONS, sessions=1)
    assert "卡内：1 次" in facts_line(card_html(client, beautician_a, sessions_only))
    assert "card: 1 session ·" in facts_line(card_html(client, beautician_a, sessions_only, language="en"))


def test_an_expired_card_is_not_offered_as_balance(store, beautician_a):
    customer = CustomerFactory(
        store=store, name="钱芳", assignee=beautician_a, last_visit_on=dt.date(2026, 9, 1), bucket="m2", months_away=2
    )
    card_open(customer=customer, name="银卡", balance=Decimal("500"), expires_on=dt.date(2026, 10, 31))
    panel = scripts_for_customer(customer=customer, user=beautician_a, language="zh-hans")
    assert panel.facts.card_balance == 0 and panel.facts.expired_card_on == dt.date(2026, 10, 31)
    suggested = {i.filled.script.key for i in section(panel, "situation").items}
    assert "reason-busy" in suggested  # extend the card
    opening = section(panel, "opening").items[0]
    assert any("2026-10-31" in str(w) for w in opening.filled.warnings)


def test_the_featured_offer_of_today_fills_featured(store, beautician_a, wang):
    StoreOffer.objects.create(
        store=store, kind="package", title="回归礼包", valid_from=TODAY, valid_until=dt.date(2026, 12, 31)
    )
    StoreOffer.objects.create(
        store=store, kind="featured", title="冬季补水护理", valid_from=dt.date(2026, 11, 1), valid_until=TODAY
    )
    StoreOffer.objects.create(
        store=store,
        kind="featured",
        title="已过期项目",
        valid_from=dt.date(2026, 10, 1),
        valid_until=dt.date(2026, 10, 31),
    )
    panel = scripts_for_customer(customer=wang, user=beautician_a, language="zh-hans")
    assert panel.facts.featured == "冬季补水护理"


def test_a_name_that_looks_like_code_stays_text_on_the_card(client, store, manager):
    customer = CustomerFactory(store=store, name="{{ 7*7 }}<script>alert(1)</script>", bucket="m1", months_away=1)
    client.force_login(manager)
    raw = client.get(f"/customers/{customer.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in raw
    assert "{{ 7*7 }}&lt;script&gt;alert(1)&lt;/script&gt;您好" in raw


def test_a_booked_visit_brings_the_confirmation_and_reminder_messages(store, beautician_a, wang):
    AppointmentFactory(
        customer=wang, store=store, staff=beautician_a, starts_at=dt.datetime(2026, 11, 26, 2, 30, tzinfo=dt.UTC)
    )
    panel = scripts_for_customer(customer=wang, user=beautician_a, language="zh-hans")
    suggested = {i.filled.script.key: i for i in section(panel, "situation").items}
    assert "11月26日（周四）10:30" in suggested["confirmation-sms"].filled.text
    assert "reminder-sms" in suggested


@pytest.mark.parametrize("later_bookings", [0, 25])
def test_the_card_names_her_next_visit_from_the_appointments_it_lists_or_reads_it(
    client, store, beautician_a, wang, later_bookings
):
    """The card lists her latest twenty appointments; her next visit is among them unless all twenty are ahead."""
    AppointmentFactory(customer=wang, store=store, starts_at=dt.datetime(2026, 11, 1, 2, 0, tzinfo=dt.UTC))
    AppointmentFactory(
        customer=wang, store=store, status="cancelled", starts_at=dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)
    )
    AppointmentFactory(customer=wang, store=store, starts_at=dt.datetime(2026, 11, 26, 2, 30, tzinfo=dt.UTC))
    for n in range(later_bookings):
        AppointmentFactory(customer=wang, store=store, starts_at=dt.datetime(2027, 1, 1 + n, 2, 0, tzinfo=dt.UTC))
    client.force_login(beautician_a)
    with translation.override("zh-hans"):
        html = unescape(client.get(f"/customers/{wang.pk}/").content.decode())
    assert "11月26日（周四）10:30" in html


def test_the_card_reads_a_fixed_number_of_queries_however_much_history_she_has(
    client, beautician_a, wang, django_assert_max_num_queries
):
    client.force_login(beautician_a)
    follow_up_log(by=beautician_a, customer=wang, outcome="no_answer", reasons=["busy"])
    with django_assert_max_num_queries(25) as few:
        client.get(f"/customers/{wang.pk}/")
    for n in range(20):
        follow_up_log(by=beautician_a, customer=wang, outcome="no_answer", reasons=["busy", "price"][n % 2 :])
        card_open(customer=wang, name=f"次卡{n}", kind=Card.Kind.SESSIONS, sessions=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/customers/{wang.pk}/")
    assert FollowUp.objects.filter(customer=wang).count() == 21
