"""Cards: keyed by store + phone + card name; balances enter through the ledger, never rewritten."""

import datetime as dt
from decimal import Decimal

from django.db.models import Sum

from customers.imports import problems as p
from customers.imports import runner
from customers.models import Card, CardEntry
from tests.factories import CustomerFactory

from .files import import_rows, problems

HEADER = ["门店编码", "手机号", "卡名", "类型", "余额", "剩余次数", "到期日"]


def ledger(card: Card) -> list[tuple[str, Decimal, int]]:
    return list(card.entries.order_by("id").values_list("kind", "amount", "sessions"))


def assert_every_balance_is_explained_by_its_ledger():
    for card in Card.objects.all():
        totals = card.entries.aggregate(amount=Sum("amount"), sessions=Sum("sessions"))
        assert Decimal(totals["amount"]).quantize(Decimal("0.01")) == card.balance
        assert totals["sessions"] == card.sessions_left


def test_a_new_card_opens_with_an_entry_for_its_balance(store, tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "BATCH_ROWS", 2)
    phones = [f"1381234{i:04d}" for i in range(5)]
    for phone in phones:
        CustomerFactory(store=store, phone=phone)
    rows = [
        HEADER,
        *(["MAIN", phone, "金卡", "储值", f"¥{i},000.50", "", "2027-12-31"] for i, phone in enumerate(phones)),
    ]
    rows.append(["MAIN", phones[0], "肩颈10次卡", "次卡", "", "10", ""])
    report = import_rows(tmp_path, "cards", rows)
    assert report.added == 6
    card = Card.objects.get(customer__phone=phones[3], name="金卡")
    assert (card.kind, card.balance, card.sessions_left, card.expires_on) == (
        "value",
        Decimal("3000.50"),
        0,
        dt.date(2027, 12, 31),
    )
    assert ledger(card) == [("opening", Decimal("3000.50"), 0)]
    entry = card.entries.get()
    assert (entry.balance_after, entry.sessions_after) == (Decimal("3000.50"), 0)
    sessions = Card.objects.get(name="肩颈10次卡")
    assert (sessions.kind, sessions.sessions_left, ledger(sessions)) == (
        "sessions",
        10,
        [("opening", Decimal("0"), 10)],
    )
    assert_every_balance_is_explained_by_its_ledger()


def test_the_card_type_is_guessed_from_what_is_left_when_not_given(store, tmp_path):
    CustomerFactory(store=store, phone="13812345678")
    rows = [["门店编码", "手机号", "卡名", "剩余次数"], ["MAIN", "13812345678", "面部12次卡", "12"]]
    import_rows(tmp_path, "cards", rows)
    assert Card.objects.get().kind == "sessions"


def test_reimporting_the_same_cards_writes_nothing(store, tmp_path):
    CustomerFactory(store=store, phone="13812345678")
    rows = [HEADER, ["MAIN", "13812345678", "金卡", "储值", "3000", "", ""]]
    import_rows(tmp_path, "cards", rows)
    report = import_rows(tmp_path, "cards", rows)
    assert (report.added, report.updated, report.unchanged) == (0, 0, 1)
    assert (Card.objects.count(), CardEntry.objects.count()) == (1, 1)


def test_a_different_balance_later_writes_one_adjustment_and_keeps_the_opening(store, tmp_path):
    CustomerFactory(store=store, phone="13812345678")
    import_rows(tmp_path, "cards", [HEADER, ["MAIN", "13812345678", "金卡", "储值", "3000", "", ""]])
    report = import_rows(tmp_path, "cards", [HEADER, ["MAIN", "13812345678", "金卡", "储值", "2,450.00", "", ""]])
    assert report.updated == 1
    card = Card.objects.get()
    assert card.balance == Decimal("2450.00")
    assert ledger(card) == [("opening", Decimal("3000.00"), 0), ("adjust", Decimal("-550.00"), 0)]
    assert "cards.csv" in card.entries.last().note
    assert_every_balance_is_explained_by_its_ledger()


def test_a_new_expiry_date_updates_the_card_without_a_ledger_entry(store, tmp_path):
    CustomerFactory(store=store, phone="13812345678")
    import_rows(tmp_path, "cards", [HEADER, ["MAIN", "13812345678", "金卡", "储值", "3000", "", "2026-12-31"]])
    report = import_rows(tmp_path, "cards", [HEADER, ["MAIN", "13812345678", "金卡", "储值", "3000", "", "2027-06-30"]])
    assert report.updated == 1
    assert Card.objects.get().expires_on == dt.date(2027, 6, 30)
    assert CardEntry.objects.count() == 1


def test_a_card_for_an_unknown_customer_is_a_bad_row(store, tmp_path):
    report = import_rows(tmp_path, "cards", [HEADER, ["MAIN", "13812345678", "金卡", "储值", "3000", "", ""]])
    assert problems(report) == [(2, "手机号", p.UNKNOWN_CUSTOMER)]
    assert Card.objects.count() == 0


def test_a_card_listed_twice_with_different_balances_is_a_bad_row(store, tmp_path):
    CustomerFactory(store=store, phone="13812345678")
    rows = [HEADER, ["MAIN", "13812345678", "金卡", "储值", "3000", "", ""]]
    rows += [
        ["MAIN", "13812345678", "金卡", "储值", "3000", "", ""],
        ["MAIN", "13812345678", "金卡", "储值", "2000", "", ""],
    ]
    report = import_rows(tmp_path, "cards", rows)
    assert problems(report) == [(4, "手机号", p.REPEATED_ROW)]
    assert Card.objects.count() == 0


def test_a_negative_balance_is_a_bad_row(store, tmp_path):
    CustomerFactory(store=store, phone="13812345678")
    report = import_rows(tmp_path, "cards", [HEADER, ["MAIN", "13812345678", "金卡", "储值", "-10", "", ""]])
    assert problems(report) == [(2, "余额", p.MONEY_NEGATIVE)]
