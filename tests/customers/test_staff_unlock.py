"""The lockout page says "ask your store manager to unlock it": the manager can, for her own staff,
and head office for anyone (issue 12, defect 8a). A POST with CSRF, audited."""

import pytest
from django.test import Client

from customers.models import AuditEvent, Staff
from tests.factories import PASSWORD, StaffFactory


def sign_in(username, password=PASSWORD):
    return Client().post("/accounts/login/", {"username": username, "password": password}).status_code


def lock_out(username):
    for _ in range(5):
        sign_in(username, "wrong-password")
    assert sign_in(username) == 429


def test_the_manager_sees_who_is_locked_out_and_unlocks_her(client, manager, beautician_a, beautician_b):
    lock_out("beautician_a")
    client.force_login(manager)
    html = client.get("/staff/").content.decode()
    assert html.count(f'action="/staff/{beautician_a.pk}/unlock/"') == 1
    assert f'action="/staff/{beautician_b.pk}/unlock/"' not in html
    response = client.post(f"/staff/{beautician_a.pk}/unlock/")
    assert response.status_code == 302 and response.url == "/staff/"
    assert sign_in("beautician_a") == 302
    (event,) = AuditEvent.objects.filter(action=AuditEvent.Action.UNLOCK)
    assert (event.actor, event.store, event.detail["username"]) == (manager, manager.store, "beautician_a")


def test_unlocking_is_a_post_with_csrf(manager, beautician_a):
    lock_out("beautician_a")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(manager)
    assert browser.get(f"/staff/{beautician_a.pk}/unlock/").status_code == 405
    assert browser.post(f"/staff/{beautician_a.pk}/unlock/").status_code == 403
    assert sign_in("beautician_a") == 429
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("target", ["stranger", "peer"])
def test_the_manager_cannot_unlock_accounts_outside_her_staff(client, manager, stranger, target):
    member = (
        stranger
        if target == "stranger"
        else StaffFactory(username="vice", role=Staff.Role.MANAGER, store=manager.store)
    )
    lock_out(member.username)
    client.force_login(manager)
    assert client.post(f"/staff/{member.pk}/unlock/").status_code == 404
    assert sign_in(member.username) == 429
    assert not AuditEvent.objects.exists()


def test_staff_cannot_unlock_each_other(client, beautician_a, beautician_b):
    lock_out("beautician_b")
    client.force_login(beautician_a)
    assert client.post(f"/staff/{beautician_b.pk}/unlock/").status_code == 403
    assert sign_in("beautician_b") == 429


def test_head_office_unlocks_a_manager(client, owner, manager):
    lock_out("manager")
    client.force_login(owner)
    assert client.post(f"/staff/{manager.pk}/unlock/").status_code == 302
    assert sign_in("manager") == 302
