"""The customer card offers only what the viewer may do, and no copy of it is kept by a browser or a
proxy (issue 12, defects 8c and 8f)."""

import pytest
from django.test import Client

from tests.factories import CustomerFactory


@pytest.fixture
def customer(store, beautician_a):
    return CustomerFactory(store=store, name="王丽", phone="13912345678", assignee=beautician_a)


def test_head_office_sees_the_masked_number_and_no_show_number_button(client, customer, owner):
    client.force_login(owner)
    html = client.get(f"/customers/{customer.pk}/").content.decode()
    assert "139****5678" in html
    assert f"/customers/{customer.pk}/phone/" not in html and "显示号码" not in html


@pytest.mark.parametrize("persona", ["manager", "beautician_a"])
def test_who_may_reveal_gets_the_button_and_it_works(client, customer, persona, request):
    client.force_login(request.getfixturevalue(persona))
    html = client.get(f"/customers/{customer.pk}/").content.decode()
    assert "显示号码" in html and f"/customers/{customer.pk}/phone/" in html
    assert client.post(f"/customers/{customer.pk}/phone/").status_code == 200


@pytest.mark.parametrize("path", ["/customers/{pk}/", "/customers/{pk}/phone/"])
def test_the_card_and_the_revealed_number_are_never_stored(customer, beautician_a, path):
    browser = Client()
    browser.force_login(beautician_a)
    url = path.format(pk=customer.pk)
    response = browser.post(url) if url.endswith("/phone/") else browser.get(url)
    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives
