"""A double tap on "save" for a new offer or a new script creates one, not two (issue 12, defect 8b):
the form carries a token, and a repeat with the same token answers with what the first one made."""

import re

import pytest

from reactivation.models import Script, StoreOffer
from tests.concurrency import at_once

SCRIPT = {
    "language": "zh-hans",
    "title": "周年店庆邀请",
    "situation": "festival",
    "channel": "sms",
    "when_to_use": "店庆前一周发",
    "body": "{name}，{store}三周年店庆，欢迎回来坐坐！",
}
OFFER = {
    "kind": "featured",
    "title": "冬季深层补水",
    "description": "",
    "price": "198",
    "valid_from": "2026-11-01",
    "valid_until": "2026-11-30",
}


def token_of(page) -> str:
    found = re.search(r'name="client_token" value="([0-9a-f-]{36})"', page.content.decode())
    assert found, "the form carries no token"
    return found[1]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "data", "model"), [("/scripts/new/", SCRIPT, Script), ("/scripts/offers/new/", OFFER, StoreOffer)]
)
def test_the_same_form_sent_twice_creates_one(client, store, manager, url, data, model):
    client.force_login(manager)
    token = token_of(client.get(url))
    first = client.post(url, {**data, "client_token": token})
    second = client.post(url, {**data, "client_token": token})
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert model.objects.filter(store=store, title=data["title"]).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "data", "model"), [("/scripts/new/", SCRIPT, Script), ("/scripts/offers/new/", OFFER, StoreOffer)]
)
def test_two_forms_opened_one_after_the_other_create_two(client, store, manager, url, data, model):
    client.force_login(manager)
    for _ in range(2):
        assert client.post(url, {**data, "client_token": token_of(client.get(url))}).status_code == 302
    assert model.objects.filter(store=store, title=data["title"]).count() == 2


@pytest.mark.django_db
def test_an_invalid_form_keeps_its_token(client, manager):
    client.force_login(manager)
    token = token_of(client.get("/scripts/offers/new/"))
    page = client.post("/scripts/offers/new/", {**OFFER, "valid_until": "2026-10-01", "client_token": token})
    assert token_of(page) == token


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_with_one_token_create_one_offer(client, store, manager):
    from django.test import Client

    url, token = "/scripts/offers/new/", "6f1c2b9e-1d7a-4c3e-9a55-2f0e8b7c1d44"

    def submit():
        browser = Client()
        browser.force_login(manager)
        return browser.post(url, {**OFFER, "client_token": token}).status_code

    answers = at_once(3, submit)
    assert answers == [302, 302, 302]
    assert StoreOffer.objects.filter(store=store).count() == 1
