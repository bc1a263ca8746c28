"""Store offers feed {featured}; a manager previews a draft against a customer of her store, saving nothing."""

import datetime as dt
from html import unescape

import pytest

from reactivation.models import Script, StoreOffer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def offer_data(**changes):
    return {
        "kind": "featured",
        "title": "冬季深层补水",
        "description": "",
        "price": "198",
        "valid_from": "2026-11-01",
        "valid_until": "2026-11-30",
        **changes,
    }


def test_the_manager_sets_the_featured_treatment_of_the_month(client, store, manager):
    client.force_login(manager)
    assert client.post("/scripts/offers/new/", offer_data()).status_code == 302
    offer = StoreOffer.objects.get()
    assert (offer.store, offer.title, offer.valid_until) == (store, "冬季深层补水", dt.date(2026, 11, 30))


def test_an_offer_that_ends_before_it_starts_is_refused_with_a_message(client, manager):
    client.force_login(manager)
    response = client.post("/scripts/offers/new/", offer_data(valid_until="2026-10-01"))
    assert response.status_code == 200 and 'id="offer-form"' in response.content.decode()
    assert not StoreOffer.objects.exists()


def test_another_stores_offer_is_out_of_reach(client, other_store, manager):
    theirs = StoreOffer.objects.create(
        store=other_store, kind="package", title="别家礼包", valid_from="2026-11-01", valid_until="2026-11-30"
    )
    client.force_login(manager)
    assert client.get(f"/scripts/offers/{theirs.pk}/edit/").status_code == 404
    assert client.post(f"/scripts/offers/{theirs.pk}/delete/").status_code == 404
    assert StoreOffer.objects.filter(pk=theirs.pk).exists()


def test_a_preview_fills_the_draft_for_a_customer_of_her_store_and_saves_nothing(
    client, store, other_store, manager, beautician_a
):
    CustomerFactory(store=store, name="陈静", gender="F", last_beautician=beautician_a)
    CustomerFactory(store=other_store, name="陈外店")
    script = Script.objects.get(store=None, key="opening-m1", language="zh-hans")
    client.force_login(manager)
    draft = {"body": "{name}，{beautician}想您了！", "language": "zh-hans", "preview_query": "陈"}
    html = unescape(client.post("/scripts/preview/", draft).content.decode())
    assert "陈姐，小美想您了！" in html
    assert "陈外店" not in html
    page = client.post(f"/scripts/{script.pk}/edit/", {**draft, "title": "t", "when_to_use": "w", "preview": "1"})
    assert "陈姐，小美想您了！" in unescape(page.content.decode())
    assert not Script.objects.filter(store__isnull=False).exists()


def test_a_preview_of_a_draft_with_an_unknown_placeholder_says_so(client, store, manager):
    CustomerFactory(store=store, name="陈静")
    client.force_login(manager)
    html = client.post("/scripts/preview/", {"body": "{nick}好", "preview_query": "陈静"}).content.decode()
    assert "{nick}" in html


def test_staff_cannot_preview(client, beautician_a):
    client.force_login(beautician_a)
    assert client.post("/scripts/preview/", {"body": "{name}", "preview_query": "陈"}).status_code == 403
