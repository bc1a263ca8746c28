"""The script preview's customer search finds a customer only by what the viewer already sees:
her name, or the last four digits her masked number shows. A full number cannot be recovered
digit by digit through it — not by the manager, not by head office."""

import pytest

from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


@pytest.fixture
def customer(store):
    return CustomerFactory(store=store, name="陈静", phone=PHONE)


def found(client, query, store_code=""):
    url = "/scripts/preview/" + (f"?store={store_code}" if store_code else "")
    html = client.post(url, {"body": "{name}好", "preview_query": query, "store": store_code}).content.decode()
    return "陈静" in html


@pytest.mark.parametrize("persona", ["manager", "owner"])
def test_the_last_four_digits_find_her(client, customer, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert found(client, "5678", "MAIN")
    assert found(client, "陈", "MAIN")


@pytest.mark.parametrize("persona", ["manager", "owner"])
@pytest.mark.parametrize("query", ["678", "45678", "345678", "2345678", PHONE, "138", "1381234"])
def test_any_other_part_of_the_number_finds_nobody(client, customer, persona, query, request):
    client.force_login(request.getfixturevalue(persona))
    assert not found(client, query, "MAIN")


def test_guessing_the_hidden_digits_one_at_a_time_learns_nothing(client, customer, owner):
    client.force_login(owner)
    hits = [digit for digit in "0123456789" if found(client, f"{digit}5678", "MAIN")]
    assert hits == []
