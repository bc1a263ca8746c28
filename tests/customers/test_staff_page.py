"""/staff/: the manager sets a password for staff imported without one, for her own store only."""

import pytest

from customers.models import AuditEvent, Staff
from tests.factories import StaffFactory

NEW_PASSWORD = "lily-of-the-valley-42"


def imported_staff(store, username="xiaoli", role=Staff.Role.BEAUTICIAN):
    member = Staff(username=username, name="小丽", role=role, store=store)
    member.set_unusable_password()
    member.save()
    return member


def test_the_manager_sees_her_staff_and_who_has_no_password(client, manager, beautician_a, stranger):
    imported_staff(manager.store)
    client.force_login(manager)
    html = client.get("/staff/").content.decode()
    assert "小丽" in html and "尚未设置密码" in html and "小美" in html
    assert "外店美容师" not in html


def test_the_manager_sets_a_password_and_the_beautician_can_sign_in(client, manager):
    member = imported_staff(manager.store)
    client.force_login(manager)
    response = client.post(
        f"/staff/{member.pk}/password/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.url == "/staff/"
    (event,) = AuditEvent.objects.filter(action=AuditEvent.Action.SET_PASSWORD)
    assert (event.actor, event.store, event.detail["username"]) == (manager, manager.store, "xiaoli")
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    client.logout()
    signed_in = client.post("/accounts/login/", {"username": "xiaoli", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302 and client.get("/calls/").status_code == 200


def test_a_weak_or_mismatched_password_is_refused_in_chinese(client, manager):
    member = imported_staff(manager.store)
    client.force_login(manager)
    response = client.post(f"/staff/{member.pk}/password/", {"new_password1": "123", "new_password2": "124"})
    assert response.status_code == 200
    assert "两个密码不一致" in response.content.decode()
    member.refresh_from_db()
    assert not member.has_usable_password()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("target", ["stranger", "owner", "other_manager"])
def test_the_manager_cannot_touch_accounts_outside_her_staff(client, manager, stranger, owner, target):
    accounts = {
        "stranger": stranger,
        "owner": owner,
        "other_manager": StaffFactory(username="vice", role=Staff.Role.MANAGER, store=manager.store),
    }
    client.force_login(manager)
    url = f"/staff/{accounts[target].pk}/password/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}).status_code == 404
    accounts[target].refresh_from_db()
    assert not accounts[target].check_password(NEW_PASSWORD)
    assert not AuditEvent.objects.exists()


def test_beauticians_cannot_open_the_staff_pages(client, beautician_a, beautician_b):
    client.force_login(beautician_a)
    assert client.get("/staff/").status_code == 403
    assert client.get(f"/staff/{beautician_b.pk}/password/").status_code == 403


def test_head_office_may_set_any_store_staff_password(client, owner, stranger):
    client.force_login(owner)
    client.post(f"/staff/{stranger.pk}/password/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    stranger.refresh_from_db()
    assert stranger.check_password(NEW_PASSWORD)
