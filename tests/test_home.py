import pytest
from django.urls import reverse

from customers.models import Staff
from tests.factories import StaffFactory


@pytest.mark.parametrize(
    ("role", "home"),
    [
        (Staff.Role.OWNER, "/dashboard/"),
        (Staff.Role.MANAGER, "/dashboard/"),
        (Staff.Role.BEAUTICIAN, "/calls/"),
        (Staff.Role.FRONT_DESK, "/calls/"),
    ],
)
def test_each_role_is_sent_to_its_home(client, store, role, home):
    user = StaffFactory(role=role, store=None if role == Staff.Role.OWNER else store)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == home
    assert client.get(home).status_code == 200


def test_signed_out_visitors_are_asked_to_sign_in(client, db):
    response = client.get("/calls/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_beautician_cannot_open_the_dashboard(client, beautician_a):
    client.force_login(beautician_a)
    assert client.get("/dashboard/").status_code == 403


def test_signing_in_with_the_right_password_lands_on_the_role_home(client, manager, password):
    response = client.post("/accounts/login/", {"username": "manager", "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == "/dashboard/"


def test_a_deactivated_staff_member_is_signed_out_at_her_next_request(client, beautician_a):
    client.force_login(beautician_a)
    beautician_a.is_active = False
    beautician_a.save()
    response = client.get("/calls/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_repeated_wrong_passwords_pause_sign_in_for_that_account(client, manager, password):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "manager", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "manager", "password": password})
    assert response.status_code == 429
    assert "登录已暂停" in response.content.decode()
