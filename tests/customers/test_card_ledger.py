import contextlib
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from customers.models import Card, CardEntry
from customers.services.cards import InsufficientBalance, card_open, card_post_entry, card_set_balance
from tests.concurrency import at_once
from tests.factories import CustomerFactory, StoreFactory


def ledger_sum(card):
    # Summed in Python: SQLite's SUM() over decimals goes through floating point.
    entries = list(card.entries.values_list("amount", "sessions"))
    return sum((a for a, _ in entries), Decimal("0")), sum(s for _, s in entries)


def test_opening_a_card_writes_its_opening_entry(store):
    card = card_open(customer=CustomerFactory(store=store), name="金卡", balance=Decimal("3000"))
    entry = card.entries.get()
    assert entry.kind == CardEntry.Kind.OPENING
    assert card.balance == entry.balance_after == Decimal("3000.00")


def test_a_deduction_larger_than_the_balance_is_refused_and_changes_nothing(store):
    card = card_open(customer=CustomerFactory(store=store), name="金卡", balance=Decimal("100"))
    with pytest.raises(InsufficientBalance):
        card_post_entry(card=card, kind=CardEntry.Kind.CONSUME, amount=Decimal("-100.01"))
    card.refresh_from_db()
    assert card.balance == Decimal("100.00")
    assert card.entries.count() == 1


def test_sessions_cannot_go_below_zero(store):
    card = card_open(customer=CustomerFactory(store=store), name="10次卡", kind=Card.Kind.SESSIONS, sessions=1)
    card_post_entry(card=card, kind=CardEntry.Kind.CONSUME, sessions=-1)
    with pytest.raises(InsufficientBalance):
        card_post_entry(card=card, kind=CardEntry.Kind.CONSUME, sessions=-1)
    card.refresh_from_db()
    assert card.sessions_left == 0


def test_setting_a_known_balance_adds_one_adjustment_and_keeps_history(store):
    card = card_open(customer=CustomerFactory(store=store), name="金卡", balance=Decimal("500"))
    card_set_balance(card=card, balance=Decimal("320.50"), sessions=0)
    assert card_set_balance(card=card, balance=Decimal("320.50"), sessions=0) is None
    kinds = list(card.entries.values_list("kind", "amount"))
    assert kinds == [("opening", Decimal("500.00")), ("adjust", Decimal("-179.50"))]


def test_ledger_entries_cannot_be_changed_or_deleted(store):
    card = card_open(customer=CustomerFactory(store=store), name="金卡", balance=Decimal("500"))
    entry = card.entries.get()
    entry.amount = Decimal("9999")
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


def test_the_database_itself_refuses_a_negative_balance(store):
    card = card_open(customer=CustomerFactory(store=store), name="金卡", balance=Decimal("10"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Card.objects.filter(pk=card.pk).update(balance=Decimal("-1"))


class TestLedgerProperties(HypothesisTestCase):
    @settings(max_examples=40, deadline=None)
    @given(st.lists(st.tuples(st.integers(-50000, 50000), st.integers(-5, 5)), max_size=12))
    def test_balance_always_equals_the_sum_of_its_entries_and_never_goes_negative(self, moves):
        customer = CustomerFactory(store=StoreFactory(code="PROP"))
        card = card_open(customer=customer, name="卡", balance=Decimal("100"), sessions=3)
        for cents, sessions in moves:
            with contextlib.suppress(InsufficientBalance):
                card_post_entry(card=card, kind=CardEntry.Kind.ADJUST, amount=Decimal(cents) / 100, sessions=sessions)
            card.refresh_from_db()
            assert card.balance >= 0 and card.sessions_left >= 0
            assert ledger_sum(card) == (card.balance, card.sessions_left)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_deductions_lose_nothing_and_never_overdraw(store):
    """Ten tills deduct ¥300 at the same moment from a ¥2,000 card: six succeed, four are refused."""
    card = card_open(customer=CustomerFactory(store=store), name="金卡", balance=Decimal("2000"))

    def deduct():
        try:
            card_post_entry(card=Card.objects.get(pk=card.pk), kind=CardEntry.Kind.CONSUME, amount=Decimal("-300"))
            return "ok"
        except InsufficientBalance:
            return "refused"

    outcomes = at_once(10, deduct)

    card.refresh_from_db()
    assert sorted(outcomes) == ["ok"] * 6 + ["refused"] * 4
    assert card.balance == Decimal("200.00")
    assert ledger_sum(card) == (Decimal("200.00"), 0)
    assert held(card.customer) == (Decimal("200.00"), 0), "the holder's copy lost no deduction either"


# --- many entries at once: the import's and the demo's door to the ledger ------------------


def test_bulk_entries_move_each_balance_and_explain_it(store):
    from customers.services.cards import LedgerLine, cards_post_entries_bulk

    customer = CustomerFactory(store=store)
    value = Card.objects.create(customer=customer, name="金卡")
    package = Card.objects.create(customer=customer, name="10次卡", kind=Card.Kind.SESSIONS)
    lines = [
        LedgerLine(value.pk, CardEntry.Kind.OPENING, amount=Decimal("1000")),
        LedgerLine(package.pk, CardEntry.Kind.OPENING, sessions=10),
        LedgerLine(value.pk, CardEntry.Kind.CONSUME, amount=Decimal("-298.50")),
        LedgerLine(package.pk, CardEntry.Kind.CONSUME, sessions=-1),
        LedgerLine(value.pk, CardEntry.Kind.TOP_UP, amount=Decimal("500")),
    ]
    assert cards_post_entries_bulk(lines=lines) == 5
    value.refresh_from_db()
    package.refresh_from_db()
    assert (value.balance, package.sessions_left) == (Decimal("1201.50"), 9)
    assert ledger_sum(value) == (value.balance, 0) and ledger_sum(package) == (Decimal("0"), 9)
    after = list(value.entries.order_by("id").values_list("balance_after", flat=True))
    assert after == [Decimal("1000.00"), Decimal("701.50"), Decimal("1201.50")], "each entry's balance after it"


def test_bulk_entries_never_take_a_card_below_zero_not_even_on_the_way(store):
    from customers.services.cards import LedgerLine, cards_post_entries_bulk

    customer = CustomerFactory(store=store)
    card = card_open(customer=customer, name="金卡", balance=Decimal("100"))
    other = card_open(customer=customer, name="银卡", balance=Decimal("50"))
    ends_below = [LedgerLine(card.pk, "consume", amount=Decimal("-100.01")), LedgerLine(other.pk, "consume", amount=-5)]
    dips_below = [LedgerLine(card.pk, "consume", amount=Decimal("-150")), LedgerLine(card.pk, "top_up", amount=100)]
    for lines in (ends_below, dips_below):
        with pytest.raises(InsufficientBalance):
            cards_post_entries_bulk(lines=lines)
    card.refresh_from_db()
    other.refresh_from_db()
    assert (card.balance, other.balance) == (Decimal("100.00"), Decimal("50.00")), (
        "nothing moved, not even the other card"
    )
    assert CardEntry.objects.count() == 2


# --- the holder's copy of what her cards hold (what the dashboards add up) ------------------------------


def held(customer):
    customer.refresh_from_db(fields=["prepaid_yuan", "prepaid_sessions"])
    return customer.prepaid_yuan, customer.prepaid_sessions


def test_the_holder_keeps_what_her_cards_hold_through_every_entry(store):
    customer = CustomerFactory(store=store)
    value = card_open(customer=customer, name="金卡", balance=Decimal("1000"))
    package = card_open(customer=customer, name="10次卡", kind=Card.Kind.SESSIONS, sessions=10)
    card_open(customer=customer, name="银卡", balance=Decimal("50.50"))
    assert held(customer) == (Decimal("1050.50"), 10)
    card_post_entry(card=value, kind=CardEntry.Kind.CONSUME, amount=Decimal("-298.50"))
    card_post_entry(card=package, kind=CardEntry.Kind.CONSUME, sessions=-1)
    card_set_balance(card=value, balance=Decimal("800"), sessions=0)
    with pytest.raises(InsufficientBalance):
        card_post_entry(card=value, kind=CardEntry.Kind.CONSUME, amount=Decimal("-9999"))
    assert held(customer) == (Decimal("850.50"), 9)
    assert held(CustomerFactory(store=store)) == (Decimal("0.00"), 0)


def test_bulk_entries_move_the_holders_copy_and_it_matches_the_cards(store):
    from customers.models import Customer
    from customers.services.cards import LedgerLine, cards_post_entries_bulk, prepaid_refresh

    ann, bea = CustomerFactory(store=store), CustomerFactory(store=store)
    cards = [
        Card.objects.create(customer=ann, name="金卡"),
        Card.objects.create(customer=ann, name="10次卡", kind=Card.Kind.SESSIONS),
        Card.objects.create(customer=bea, name="金卡"),
    ]
    cards_post_entries_bulk(
        lines=[
            LedgerLine(cards[0].pk, CardEntry.Kind.OPENING, amount=Decimal("1000")),
            LedgerLine(cards[1].pk, CardEntry.Kind.OPENING, sessions=10),
            LedgerLine(cards[2].pk, CardEntry.Kind.OPENING, amount=Decimal("300")),
            LedgerLine(cards[0].pk, CardEntry.Kind.CONSUME, amount=Decimal("-298.50")),
            LedgerLine(cards[1].pk, CardEntry.Kind.CONSUME, sessions=-2),
        ]
    )
    assert (held(ann), held(bea)) == ((Decimal("701.50"), 8), (Decimal("300.00"), 0))
    Customer.objects.filter(pk=ann.pk).update(prepaid_yuan=0, prepaid_sessions=0)  # a writer that bypassed it
    assert prepaid_refresh(Customer.objects.filter(store=store)) == 2
    assert (held(ann), held(bea)) == ((Decimal("701.50"), 8), (Decimal("300.00"), 0))
