"""Sign-in lockout behind the documented reverse proxy (issue 12, defect 7).

The client's address is read from X-Forwarded-For with TRUSTED_PROXY_COUNT proxies trusted, so
wrong passwords from one person lock that person out, not the salon; and one address trying many
user names is stopped too, at a higher limit.
"""

from django.test import Client

from tests.factories import PASSWORD

PROXY = "10.0.0.2"  # the TLS proxy gunicorn sees every connection from
ATTACKER, SALON = "203.0.113.9", "198.51.100.7"


def sign_in(username, password, client_address, forwarded_for=None):
    """A sign-in through the proxy, which appends the address it saw to X-Forwarded-For."""
    chain = f"{forwarded_for}, {client_address}" if forwarded_for else client_address
    response = Client().post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=chain,
    )
    return response.status_code


def fail_five_times(username, address, **kwargs):
    answers = [sign_in(username, "wrong-password", address, **kwargs) for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # the fifth wrong password locks


def test_without_trusting_the_proxy_one_attacker_locks_the_manager_out_for_everyone(manager, settings):
    settings.TRUSTED_PROXY_COUNT = 0  # the embedded default: no proxy in front, the header is ignored
    fail_five_times("manager", ATTACKER)
    assert sign_in("manager", PASSWORD, SALON) == 429


def test_behind_the_trusted_proxy_only_the_attacker_is_locked_out(manager, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    fail_five_times("manager", ATTACKER)
    assert sign_in("manager", PASSWORD, ATTACKER) == 429
    assert sign_in("manager", PASSWORD, SALON) == 302


def test_a_forged_forwarded_for_does_not_change_the_address_that_counts(manager, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    answers = [sign_in("manager", "wrong-password", ATTACKER, forwarded_for=f"192.0.2.{n}") for n in range(5)]
    assert answers[-1] == 429
    assert sign_in("manager", PASSWORD, ATTACKER, forwarded_for="192.0.2.99") == 429


def test_one_address_trying_many_user_names_is_stopped(manager, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    answers = [sign_in(f"guess{n}", "wrong-password", ATTACKER) for n in range(8)]
    assert answers == [200] * 7 + [429]
    assert sign_in("manager", PASSWORD, ATTACKER) == 429
    assert sign_in("manager", PASSWORD, SALON) == 302


def test_a_few_typos_by_several_staff_of_one_salon_lock_nobody_out(manager, beautician_a, front_desk, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for username in ("manager", "beautician_a", "front_desk"):
        for _ in range(3):
            assert sign_in(username, "typo", SALON) == 200
    assert sign_in("manager", PASSWORD, SALON) == 302


def test_the_change_history_records_the_same_client_address_not_a_forged_one(client, manager, beautician_a, settings):
    from auditlog.models import LogEntry

    settings.TRUSTED_PROXY_COUNT = 1
    client.force_login(manager)
    form = {"new_password1": "lily-of-the-valley-42", "new_password2": "lily-of-the-valley-42"}
    forwarded = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"6.6.6.6, {ATTACKER}"}
    assert client.post(f"/staff/{beautician_a.pk}/password/", form, **forwarded).status_code == 302
    entry = LogEntry.objects.get_for_object(beautician_a).latest("timestamp")
    assert entry.remote_addr == ATTACKER
