"""A manager can never end up holding another manager's account (issue 12, defect 4).

The attack: import the peer manager as a beautician, set her password at /staff/, import her back
as manager. Two rules close it, whatever the door: a store's import cannot change an account its
manager may not manage; and a password a manager handed over stops working when the account's role
or store changes (head office, the admin, the command line), so no role is reached with it.
"""

import pytest
from django.test import Client

from customers.imports import problems as p
from customers.models import Staff
from tests.factories import StaffFactory, StoreFactory

from .imports.files import import_rows, problems

HEADER = ["用户名", "姓名", "角色", "门店编码", "在职"]
HANDED_OVER = "lily-of-the-valley-42"


@pytest.fixture
def peer(store):
    return StaffFactory(username="vice", name="副店长", role=Staff.Role.MANAGER, store=store)


def signs_in(username, password):
    response = Client().post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302


def set_password_at_staff_page(client, manager, member):
    client.force_login(manager)
    form = {"new_password1": HANDED_OVER, "new_password2": HANDED_OVER}
    return client.post(f"/staff/{member.pk}/password/", form)


def test_a_manager_cannot_import_a_peer_manager_down_to_beautician(store, manager, peer, tmp_path):
    report = import_rows(tmp_path, "staff", [HEADER, ["vice", "副店长", "美容师", "MAIN", "是"]], by=manager)
    assert problems(report) == [(2, "用户名", p.STAFF_NOT_YOURS)]
    peer.refresh_from_db()
    assert peer.role == Staff.Role.MANAGER


def test_a_manager_cannot_deactivate_a_peer_manager_by_import(store, manager, peer, tmp_path):
    report = import_rows(tmp_path, "staff", [HEADER, ["vice", "副店长", "店长", "MAIN", "否"]], by=manager)
    assert problems(report) == [(2, "用户名", p.STAFF_NOT_YOURS)]
    peer.refresh_from_db()
    assert peer.is_active


def test_a_peer_listed_unchanged_in_the_staff_file_is_fine(store, manager, peer, tmp_path):
    report = import_rows(tmp_path, "staff", [HEADER, ["vice", "副店长", "店长", "MAIN", "是"]], by=manager)
    assert report.saved and report.unchanged == 1


def test_the_whole_attack_fails_at_its_first_step(client, store, manager, peer, tmp_path):
    import_rows(tmp_path, "staff", [HEADER, ["vice", "副店长", "美容师", "MAIN", "是"]], by=manager)
    assert set_password_at_staff_page(client, manager, peer).status_code == 404
    assert not signs_in("vice", HANDED_OVER)


@pytest.mark.parametrize("door", ["head office's import", "the command line", "the admin"])
def test_a_password_a_manager_handed_over_dies_when_the_account_is_promoted(
    client, store, manager, owner, beautician_a, tmp_path, door
):
    assert set_password_at_staff_page(client, manager, beautician_a).status_code == 302
    assert signs_in("beautician_a", HANDED_OVER)
    promote = [HEADER, ["beautician_a", "小美", "店长", "MAIN", "是"]]
    if door == "head office's import":
        assert import_rows(tmp_path, "staff", promote, by=owner).saved
    elif door == "the command line":
        assert import_rows(tmp_path, "staff", promote).saved
    else:
        admin = Staff.objects.create_superuser("root", password="root-password-long-enough")
        client.force_login(admin)
        form = {"username": "beautician_a", "name": "小美", "role": "manager", "store": store.pk, "is_active": "on"}
        form |= {"date_joined_0": "2026-01-05", "date_joined_1": "09:00:00"}
        response = client.post(f"/admin/customers/staff/{beautician_a.pk}/change/", form)
        assert response.status_code == 302, response.context["adminform"].form.errors
    beautician_a.refresh_from_db()
    assert beautician_a.role == Staff.Role.MANAGER
    assert not signs_in("beautician_a", HANDED_OVER)
    assert not beautician_a.has_usable_password()


def test_a_move_to_another_store_also_ends_the_handed_over_password(client, store, manager, beautician_a):
    set_password_at_staff_page(client, manager, beautician_a)
    beautician_a.refresh_from_db()
    assert signs_in("beautician_a", HANDED_OVER)
    beautician_a.store = StoreFactory(code="NEW")
    beautician_a.save()
    assert not signs_in("beautician_a", HANDED_OVER)


def test_her_own_password_survives_a_promotion(store, beautician_a, password, tmp_path):
    """A password nobody handed over (she chose it, or head office set it) is hers: a promotion keeps it."""
    beautician_a.role = Staff.Role.MANAGER
    beautician_a.save()
    assert signs_in("beautician_a", password)


def test_a_password_head_office_set_survives_a_promotion(client, owner, beautician_a):
    set_password_at_staff_page(client, owner, beautician_a)
    beautician_a.refresh_from_db()
    beautician_a.role = Staff.Role.MANAGER
    beautician_a.save(update_fields=["role"])
    assert signs_in("beautician_a", HANDED_OVER)


def test_other_changes_keep_the_handed_over_password(client, manager, beautician_a):
    set_password_at_staff_page(client, manager, beautician_a)
    beautician_a.refresh_from_db()
    beautician_a.name = "小美美"
    beautician_a.save()
    assert signs_in("beautician_a", HANDED_OVER)
