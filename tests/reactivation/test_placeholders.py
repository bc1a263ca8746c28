"""Placeholders are filled by plain substitution: nothing a customer or a manager types can run."""

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from reactivation.contact_rules import DO_NOT_CONTACT, FREQUENCY_CAP, next_marketing_day, send_refusal
from reactivation.placeholders import (
    PLACEHOLDERS,
    CustomerFacts,
    card_left_text,
    fill,
    fill_warnings,
    format_money,
    placeholder_errors,
    placeholder_values,
    polite_name,
)

TODAY = dt.date(2026, 11, 24)


def values_for(name="王丽娟", **facts):
    return placeholder_values(CustomerFacts(name=name, staff="小美", store="丽颜", **facts), "zh-hans")


def test_every_placeholder_is_filled():
    text = " ".join("{" + name + "}" for name in PLACEHOLDERS)
    filled = fill(text, values_for())
    assert "{" not in filled and "}" not in filled


def test_a_name_that_looks_like_template_code_stays_text():
    values = values_for(name="{{ 7*7 }}")
    assert fill("{name}您好", values) == "{{ 7*7 }}您好"


def test_a_name_that_looks_like_a_placeholder_is_not_filled_again():
    assert fill("{name}，{months}", values_for(name="{months}", months=3)) == "{months}，3"


def test_attribute_access_is_impossible_and_refused_when_saving():
    text = "{name.__class__} {name.__init__.__globals__} {0} {}"
    assert fill(text, values_for()) == text
    assert placeholder_errors(text)


def test_an_unknown_placeholder_is_an_error_that_names_it():
    (error,) = placeholder_errors("{name}您好，{nickname}")
    assert "{nickname}" in str(error)


def test_a_lone_brace_is_an_error_but_known_placeholders_are_fine():
    assert placeholder_errors("{name}，优惠{") != []
    assert placeholder_errors("{name}，{store}的{staff}祝您{featured}愉快") == []


@given(st.text(max_size=40))
def test_any_customer_name_fills_in_literally(name):
    filled = fill("A{name}B{store}C", {"name": name, "store": "S"})
    assert filled == f"A{name}BSC"


@given(st.text(max_size=60))
def test_checking_any_text_never_crashes(text):
    placeholder_errors(text)
    fill(text, values_for())


def test_polite_forms_of_address():
    assert polite_name("王丽娟", "F", "zh-hans") == "王姐"
    assert polite_name("李强", "M", "zh-hans") == "李先生"
    assert polite_name("欧阳娜娜", "", "zh-hans") == "欧阳姐"
    assert polite_name("王丽娟", "F", "en") == "Ms 王"
    assert polite_name("Anna Smith", "F", "en") == "Ms Smith"
    assert polite_name("<script>", "", "zh-hans") == "<script>"
    assert polite_name("  ", "", "zh-hans") == "女士"


def test_money_is_written_the_way_each_language_says_it():
    assert format_money(Decimal("1280.00"), "zh-hans") == "1,280元"
    assert format_money(Decimal("99.5"), "en") == "¥99.50"


def test_no_card_fills_zero_and_warns_to_leave_card_details_out():
    facts = CustomerFacts(name="王丽娟")
    assert placeholder_values(facts, "zh-hans")["card_balance"] == "0元"
    assert placeholder_values(facts, "zh-hans")["card_expiry"] == "—"
    assert fill_warnings("还有{card_balance}", facts)
    assert fill_warnings("{name}您好", facts) == []


def test_what_is_left_on_her_cards_names_only_what_there_is():
    assert card_left_text(Decimal("1280.00"), 3, "zh-hans") == "1,280元和3次护理"
    assert card_left_text(Decimal("1280.00"), 0, "zh-hans") == "1,280元"
    assert card_left_text(Decimal("0.00"), 3, "zh-hans") == "3次护理"
    assert card_left_text(Decimal("99.50"), 1, "en") == "¥99.50 and 1 session"
    assert card_left_text(Decimal("0.00"), 2, "en") == "2 sessions"
    assert card_left_text(Decimal("0.00"), 0, "zh-hans") == "0元"  # no card: the no-card warning says so


def test_a_script_naming_the_part_of_her_card_she_has_none_of_warns():
    money_only = CustomerFacts(name="王丽娟", card_balance=Decimal("500.00"), has_live_card=True)
    sessions_only = CustomerFacts(name="王丽娟", sessions_left=4, has_live_card=True)
    (warning,) = fill_warnings("还有{card_balance}、{sessions_left}次护理", money_only)
    assert "{card_left}" in str(warning) and not warning.blocks_sending
    assert fill_warnings("还有{card_balance}、{sessions_left}次护理", sessions_only)
    assert fill_warnings("还有{card_left}", money_only) == fill_warnings("还有{card_left}", sessions_only) == []
    assert fill("还有{card_left}", placeholder_values(money_only, "zh-hans")) == "还有500元"


def test_an_expired_card_is_named_in_the_warning():
    facts = CustomerFacts(name="王丽娟", expired_card_on=dt.date(2026, 6, 30))
    (warning,) = fill_warnings("有效期：{card_expiry}", facts)
    assert "2026-06-30" in str(warning)


def test_a_customer_who_never_visited_gets_a_warning_on_months():
    facts = CustomerFacts(name="王丽娟", never_visited=True, months=5)
    assert fill("{months}个月", placeholder_values(facts, "zh-hans")) == "5个月"
    assert fill_warnings("{months}个月", facts)


def test_without_an_offer_featured_falls_back_to_the_season_and_warns():
    facts = CustomerFacts(name="王丽娟")
    assert placeholder_values(facts, "zh-hans")["featured"] == "本季新项目"
    assert placeholder_values(facts, "en")["featured"] == "this season's new treatment"
    assert fill_warnings("{featured}", facts)
    assert fill_warnings("{featured}", CustomerFacts(name="王丽娟", featured="艾灸调理")) == []


def test_do_not_contact_stops_every_message():
    refusal = send_refusal(
        do_not_contact=True, marketing_consent=True, is_marketing=False, last_marketing_on=None, cap_days=7, today=TODAY
    )
    assert refusal == DO_NOT_CONTACT


def test_one_marketing_message_per_cap_days():
    last = TODAY - dt.timedelta(days=6)
    args = {"do_not_contact": False, "marketing_consent": True, "cap_days": 7, "today": TODAY}
    assert send_refusal(is_marketing=True, last_marketing_on=last, **args) == FREQUENCY_CAP
    assert send_refusal(is_marketing=False, last_marketing_on=last, **args) is None
    assert send_refusal(is_marketing=True, last_marketing_on=TODAY - dt.timedelta(days=7), **args) is None
    assert next_marketing_day(last, 7) == TODAY + dt.timedelta(days=1)
    assert next_marketing_day(last, 0) is None
