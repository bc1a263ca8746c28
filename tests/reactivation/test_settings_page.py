"""/settings/: every store setting on one form, saved through the one service, errors in her language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile

from customers.models import AuditEvent, Customer
from reactivation.services.segment import segment_store
from tests.customers.imports.files import csv_bytes
from tests.factories import CustomerFactory


def posted(store, **changes):
    """The form as the page sends it, with the store's current values and `changes`."""
    data = {
        "beautician_buckets": store.beautician_buckets,
        "activation_visits": store.activation_visits,
        "activation_months": store.activation_months,
        "attribution_days": store.attribution_days,
        "daily_contact_target": store.daily_contact_target,
        "marketing_cap_days": store.marketing_cap_days,
        "reward_per_return_visit": store.reward_per_return_visit,
        "btier-TOTAL_FORMS": 5, "btier-INITIAL_FORMS": 3, "mtier-TOTAL_FORMS": 5, "mtier-INITIAL_FORMS": 3,
    }  # fmt: skip
    for i, (limit, reward) in enumerate(store.beautician_reward_tiers):
        data[f"btier-{i}-limit"], data[f"btier-{i}-reward"] = limit or "", reward
    for i, (count, reward) in enumerate(store.manager_reward_tiers):
        data[f"mtier-{i}-at_least"], data[f"mtier-{i}-reward"] = count, reward
    data.update(changes)
    return data


def test_the_manager_changes_a_reward_rule_and_is_told_when_it_applies(client, store, manager):
    client.force_login(manager)
    assert client.get("/settings/").status_code == 200
    response = client.post("/settings/", posted(store, reward_per_return_visit="8", **{"mtier-1-reward": "160"}))
    assert response.status_code == 302
    store.refresh_from_db()
    assert store.reward_per_return_visit == Decimal("8.00")
    assert store.manager_reward_tiers == [[3, "80.00"], [6, "160.00"], [10, "300.00"]]
    page = client.get(response["Location"]).content.decode()
    assert "此后计算的每一张奖励表都按新规则" in page and 'id="replan-form"' not in page
    event = AuditEvent.objects.get(action="change_settings")
    assert event.detail["reward_per_return_visit"] == {"from": "5.00", "to": "8.00"}


def test_tiers_are_editable_rows_and_a_new_row_can_be_added(client, store, manager):
    client.force_login(manager)
    data = posted(store, **{"btier-2-limit": "2000", "btier-2-reward": "50", "btier-3-reward": "80"})
    assert client.post("/settings/", data).status_code == 302
    store.refresh_from_db()
    tiers = [["1000.00", "20.00"], ["1500.00", "40.00"], ["2000.00", "50.00"], [None, "80.00"]]
    assert store.beautician_reward_tiers == tiers


def test_bad_values_re_render_with_errors_in_her_language_and_save_nothing(client, store, manager):
    client.force_login(manager)
    response = client.post("/settings/", posted(store, activation_visits="0", **{"btier-0-limit": "1600"}))
    assert response.status_code == 400
    html = response.content.decode()
    assert "activation_visits" in response.context["form"].errors
    assert response.context["form"].tier_errors["beautician_reward_tiers"]
    assert "确保该值大于或等于" in html and "各档的上限必须逐档递增" in html  # in Chinese, her language
    store.refresh_from_db()
    assert store.activation_visits == 2 and not AuditEvent.objects.exists()


def test_changing_the_bucket_split_offers_to_replan_today(client, store, manager, beautician_a, front_desk):
    today = store.today()
    for _ in range(2):
        CustomerFactory(store=store, last_visit_on=today - relativedelta(months=3, days=3))
    segment_store(store=store, today=today)
    assert set(Customer.objects.values_list("assignee__username", flat=True)) == {"front_desk"}
    client.force_login(manager)
    response = client.post("/settings/", posted(store, beautician_buckets=["m1", "m2", "m3"]), follow=True)
    assert 'id="replan-form"' in response.content.decode()
    response = client.post("/settings/replan/", follow=True)
    assert "2" in response.content.decode()
    assert set(Customer.objects.values_list("assignee__username", flat=True)) == {"beautician_a"}
    assert client.get("/settings/replan/").status_code == 405


def test_an_import_offers_to_replan_today_and_comes_back_to_its_result(
    client, store, manager, front_desk, django_capture_on_commit_callbacks
):
    today = store.today()
    segment_store(store=store, today=today)  # tonight's run is done: she would wait for tomorrow's
    customer = CustomerFactory(store=store, phone="13812345678", joined_on=today, last_visit_on=None)
    five_months_ago = (today - relativedelta(months=5)).isoformat()
    rows = [["门店编码", "手机号", "到店日期", "项目"], ["MAIN", "13812345678", five_months_ago, "补水"]]
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):  # the check and the import run once the request commits
        batch_url = client.post(
            "/imports/", {"kind": "visits", "file": SimpleUploadedFile("到店.csv", csv_bytes(rows), "text/csv")}
        ).url
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{batch_url}confirm/")
    page = client.get(batch_url).content.decode()
    assert 'id="import-done"' in page and 'id="replan-form"' in page and "今晚的分类后" in page
    customer.refresh_from_db()
    assert (customer.bucket, customer.assignee) == ("active", None), "until the lists are re-planned"

    response = client.post("/settings/replan/", {"next": batch_url})
    assert response["Location"] == batch_url
    customer.refresh_from_db()
    assert (customer.bucket, customer.assignee) == ("m3plus", front_desk)
    assert client.post("/settings/replan/", {"next": "https://example.com/"})["Location"] == "/settings/"


@pytest.mark.parametrize("who", ["beautician_a", "front_desk"])
def test_staff_may_not_change_settings(client, store, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/settings/").status_code == 403
    assert client.post("/settings/replan/").status_code == 403


def test_head_office_changes_a_chosen_store_and_a_stranger_cannot(client, store, other_store, owner, stranger):
    client.force_login(owner)
    response = client.post("/settings/", {**posted(store, daily_contact_target="15"), "store": "MAIN"})
    assert response["Location"] == "/settings/?store=MAIN"
    store.refresh_from_db()
    other_store.refresh_from_db()
    assert store.daily_contact_target == 15 and other_store.daily_contact_target == 10
    client.force_login(stranger)
    assert client.get("/settings/?store=MAIN").status_code in {403, 404}
