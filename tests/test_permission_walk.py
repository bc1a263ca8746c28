"""Every URL, every role, one permission table (DESIGN §2): walked from the URL configuration, so a new URL
without an entry here fails. GET never changes anything; every POST needs its CSRF token."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from customers.models import Appointment, ImportBatch, Staff
from reactivation.models import Script, StoreOffer
from tests.factories import AppointmentFactory, CustomerFactory, StaffFactory

PERSONAS = ("anonymous", "owner", "manager", "assignee", "colleague", "front_desk", "other_manager", "stranger")
# Expected GET answer per persona, in PERSONAS order: L a redirect to the login page, R any other redirect.
L, OK, R, F, N, X = "login", 200, 302, 403, 404, 405
TABLE: dict[str, tuple[int, ...]] = {
    #                              anon owner mgr assignee colleague desk o_mgr stranger
    "home":                        (L, R, R, R, R, R, R, R),
    "login":                       (OK, R, R, R, R, R, R, R),
    "logout":                      (X, X, X, X, X, X, X, X),
    "set_language":                (R, R, R, R, R, R, R, R),  # a GET only goes back
    "customers:reveal_phone":      (X, X, X, X, X, X, X, X),
    "customers:imports":           (L, OK, OK, F, F, F, OK, F),
    "customers:import_detail":     (L, OK, OK, F, F, F, N, F),
    "customers:import_confirm":    (X, X, X, X, X, X, X, X),
    "customers:import_retry":      (X, X, X, X, X, X, X, X),
    "customers:import_template":   (L, OK, OK, F, F, F, OK, F),
    "customers:staff":             (L, OK, OK, F, F, F, OK, F),
    "customers:staff_password":    (L, OK, OK, F, F, F, N, F),
    "customers:staff_unlock":      (X, X, X, X, X, X, X, X),
    "reactivation:call_list":      (L, F, OK, OK, OK, OK, OK, OK),
    "reactivation:customer_card":  (L, OK, OK, OK, N, N, N, N),
    "reactivation:follow_up_new":  (X, X, X, X, X, X, X, X),
    "reactivation:profile_edit":   (X, X, X, X, X, X, X, X),
    "reactivation:appointments":   (L, F, OK, F, F, OK, OK, F),
    "reactivation:appointment_status": (X, X, X, X, X, X, X, X),
    "reactivation:visit_new":      (L, F, OK, F, F, OK, OK, F),
    "reactivation:walk_in_new":    (L, F, OK, F, F, OK, OK, F),
    "reactivation:dashboard":      (L, OK, OK, F, F, F, OK, F),
    "reactivation:chain_dashboard": (L, OK, F, F, F, F, F, F),
    "reactivation:reason_contacts": (L, OK, OK, F, F, F, OK, F),
    "reactivation:rewards":        (L, OK, OK, F, F, F, OK, F),
    "reactivation:audit_trail":    (L, OK, OK, F, F, F, OK, F),
    "reactivation:reassign":       (L, F, OK, F, F, F, OK, F),
    "reactivation:call_lists_export": (L, F, OK, F, F, F, OK, F),
    "reactivation:staff_deactivate": (X, X, X, X, X, X, X, X),
    "reactivation:settings":       (L, OK, OK, F, F, F, OK, F),
    "reactivation:replan_today":   (X, X, X, X, X, X, X, X),
    "reactivation:scripts":        (L, OK, OK, OK, OK, OK, OK, OK),
    "reactivation:script_new":     (L, OK, OK, F, F, F, OK, F),
    "reactivation:script_preview": (L, X, X, F, F, F, X, F),
    "reactivation:script_edit":    (L, OK, OK, F, F, F, N, F),
    "reactivation:script_active":  (L, X, X, F, F, F, X, F),
    "reactivation:script_history": (L, OK, OK, F, F, F, N, F),
    "reactivation:script_restore": (L, X, X, F, F, F, X, F),
    "reactivation:offers":         (L, OK, OK, F, F, F, OK, F),
    "reactivation:offer_new":      (L, OK, OK, F, F, F, OK, F),
    "reactivation:offer_edit":     (L, OK, OK, F, F, F, N, F),
    "reactivation:offer_delete":   (L, X, X, F, F, F, X, F),
    "reactivation:send_sms":       (L, X, X, X, X, X, X, X),
}  # fmt: skip


def named_routes(patterns=None, namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                yield from named_routes(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name, pattern


@pytest.fixture
def world(store, other_store, owner, manager, beautician_a, beautician_b, front_desk, stranger):
    other_manager = StaffFactory(username="other_manager", role=Staff.Role.MANAGER, store=other_store)
    customer = CustomerFactory(store=store, assignee=beautician_a, bucket="m1", months_away=1)
    appointment = AppointmentFactory(customer=customer, starts_at=dt.datetime(2030, 1, 1, 2, tzinfo=dt.UTC))
    script = Script.objects.create(store=store, key="own", title="我们的开场白", body="您好", situation="opening")
    version = script.versions.first() or script.versions.create(title=script.title, body=script.body)
    offer = StoreOffer.objects.create(
        store=store, kind="featured", title="本月主推", valid_from=dt.date(2026, 1, 1), valid_until=dt.date(2030, 1, 1)
    )
    batch = ImportBatch.objects.create(store=store, kind="customers", file_name="a.csv", status="imported")
    args = {
        "customer_id": customer.pk,
        "appointment_id": appointment.pk,
        "batch_id": batch.pk,
        "staff_id": beautician_b.pk,
        "script_id": script.pk,
        "version_id": version.pk,
        "offer_id": offer.pk,
        "kind": "customers",
        "file_format": "csv",
        "reason": "price",
    }
    people = {
        "anonymous": None,
        "owner": owner,
        "manager": manager,
        "assignee": beautician_a,
        "colleague": beautician_b,
        "front_desk": front_desk,
        "other_manager": other_manager,
        "stranger": stranger,
    }
    return args, people


def url_of(name: str, pattern: URLPattern, args: dict) -> str:
    return reverse(name, kwargs={k: args[k] for k in pattern.pattern.converters})


def every_row_count() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in {"customers", "reactivation"}
    }


def test_every_url_has_an_entry_in_the_permission_table():
    assert {name for name, _ in named_routes()} == set(TABLE)


def test_every_role_gets_what_the_permission_table_says_and_get_changes_nothing(world):
    args, people = world
    before = every_row_count()
    wrong = []
    for name, pattern in named_routes():
        url = url_of(name, pattern, args)
        for persona, expected in zip(PERSONAS, TABLE[name], strict=True):
            client = Client()
            if people[persona] is not None:
                client.force_login(people[persona])
            response = client.get(url)
            got = response.status_code
            if got == 302 and response["Location"].startswith("/accounts/login/"):
                got = L
            if got != expected:
                wrong.append(f"{persona} GET {url}: {got}, expected {expected}")
    assert not wrong, "\n".join(wrong)
    assert every_row_count() == before, "a GET changed something"
    assert Appointment.objects.get(pk=args["appointment_id"]).status == "booked"


def test_every_post_without_its_csrf_token_is_refused(world):
    args, people = world
    before = every_row_count()
    for name, pattern in named_routes():
        client = Client(enforce_csrf_checks=True)
        client.force_login(people["manager"])
        assert client.post(url_of(name, pattern, args), {}).status_code == 403, name
    assert every_row_count() == before
