"""Managers own their store's library: edit, deactivate, restore; everyone else reads; no store touches another."""

from html import unescape

import pytest

from reactivation.models import Script, ScriptVersion
from reactivation.selectors.scripts import store_scripts
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def default(key="opening-m1", language="zh-hans"):
    return Script.objects.get(store=None, key=key, language=language)


def seen_by(store, key="opening-m1", language="zh-hans"):
    return next(s for s in store_scripts(store=store, language=language, include_inactive=True) if s.key == key)


def edit(client, script, **changes):
    data = {"title": script.title, "when_to_use": script.when_to_use, "body": script.body, **changes}
    return client.post(f"/scripts/{script.pk}/edit/", data)


def test_a_managers_edit_becomes_her_stores_own_and_other_stores_keep_the_default(client, store, other_store, manager):
    client.force_login(manager)
    response = edit(client, default(), body="{name}您好，我是{store}的{staff}，新的开场白。")
    assert response.status_code == 302
    ours = seen_by(store)
    assert ours.store == store and ours.body.endswith("新的开场白。") and ours.updated_by == manager
    assert seen_by(other_store).body == default().body
    assert default().versions.count() == 0


def test_every_edit_keeps_the_previous_version_with_who_and_when(client, store, manager):
    client.force_login(manager)
    edit(client, default(), body="{name}，第一版。")
    edit(client, seen_by(store), body="{name}，第二版。")
    versions = list(seen_by(store).versions.order_by("id"))
    assert [v.body for v in versions] == [default().body, "{name}，第一版。"]
    assert versions[0].edited_by is None  # the default library's text
    assert versions[1].edited_by == manager and versions[1].edited_at is not None


def test_restoring_a_version_brings_its_text_back_and_keeps_the_replaced_one(client, store, manager):
    client.force_login(manager)
    edit(client, default(), body="{name}，改过的。")
    ours = seen_by(store)
    original = ours.versions.get()
    response = client.post(f"/scripts/{ours.pk}/restore/{original.pk}/")
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.body == default().body
    assert ours.versions.filter(body="{name}，改过的。").exists()


def test_an_unknown_placeholder_is_a_form_error_and_nothing_is_saved(client, store, manager):
    client.force_login(manager)
    response = edit(client, default(), body="{name}，{nickname}您好，{name.__class__}")
    assert response.status_code == 200
    assert "{nickname}" in response.content.decode()
    assert Script.objects.filter(store=store).count() == 0


def test_deactivating_a_default_hides_it_from_staff_in_that_store_only(client, store, other_store, manager):
    client.force_login(manager)
    response = client.post(f"/scripts/{default().pk}/active/", {"active": "0"})
    assert response.status_code == 302
    assert not seen_by(store).is_active
    assert "opening-m1" not in {s.key for s in store_scripts(store=store, language="zh-hans")}
    assert "opening-m1" in {s.key for s in store_scripts(store=other_store, language="zh-hans")}


def test_a_manager_creates_a_script_of_her_own(client, store, manager):
    client.force_login(manager)
    data = {
        "language": "zh-hans",
        "title": "周年店庆邀请",
        "situation": "festival",
        "channel": "sms",
        "when_to_use": "店庆前一周发",
        "body": "{name}，{store}三周年店庆，欢迎回来坐坐！",
    }
    assert client.post("/scripts/new/", data).status_code == 302
    created = Script.objects.get(store=store, title="周年店庆邀请")
    assert created.key.startswith("store-") and created.updated_by == manager


@pytest.mark.parametrize("persona", ["beautician_a", "front_desk"])
def test_staff_read_the_library_but_every_change_is_refused(client, request, store, persona):
    client.force_login(request.getfixturevalue(persona))
    page = client.get("/scripts/")
    assert page.status_code == 200 and default().title in page.content.decode()
    script = default()
    assert client.get(f"/scripts/{script.pk}/edit/").status_code == 403
    assert edit(client, script, body="改掉").status_code == 403
    assert client.post(f"/scripts/{script.pk}/active/", {"active": "0"}).status_code == 403
    assert client.get("/scripts/new/").status_code == 403
    assert client.get("/scripts/offers/").status_code == 403
    assert not Script.objects.filter(store__isnull=False).exists()


def test_a_manager_of_another_store_cannot_reach_this_stores_scripts(client, store, other_store, manager):
    client.force_login(manager)
    edit(client, default(), body="{name}，本店版本。")
    ours = seen_by(store)
    version = ours.versions.get()
    rival = StaffFactory(username="rival_manager", role="manager", store=other_store)
    client.force_login(rival)
    assert client.get(f"/scripts/{ours.pk}/edit/").status_code == 404
    assert edit(client, ours, body="{name}，被别的店改了").status_code == 404
    assert client.post(f"/scripts/{ours.pk}/restore/{version.pk}/").status_code == 404
    assert client.post(f"/scripts/{ours.pk}/active/", {"active": "0"}).status_code == 404
    ours.refresh_from_db()
    assert ours.body == "{name}，本店版本。" and ours.is_active
    assert "本店版本" not in client.get("/scripts/").content.decode()


def test_head_office_edits_the_store_it_chooses(client, store, other_store, owner):
    client.force_login(owner)
    response = client.post(
        f"/scripts/{default().pk}/edit/?store=OTHER",
        {"title": "总部版", "when_to_use": default().when_to_use, "body": "{name}，总部统一话术。", "store": "OTHER"},
    )
    assert response.status_code == 302 and "store=OTHER" in response["Location"]
    assert seen_by(other_store).title == "总部版"
    assert seen_by(store).title == default().title


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    assert client.get("/scripts/")["Location"].startswith("/accounts/login/")


def test_the_library_lists_by_situation_and_reason(client, manager):
    client.force_login(manager)
    html = unescape(client.get("/scripts/?reason=price&lang=en").content.decode())
    assert "Finds it too expensive: show the value" in html
    assert "She says “It's too expensive”" in html
    assert "1 month away: a caring call" not in html


def test_the_version_page_lists_earlier_versions_to_the_manager_only(client, store, manager, beautician_a):
    client.force_login(manager)
    edit(client, default(), body="{name}，改过。")
    ours = seen_by(store)
    assert "这阵子没见您过来" in client.get(f"/scripts/{ours.pk}/history/").content.decode()
    client.force_login(beautician_a)
    assert client.get(f"/scripts/{ours.pk}/history/").status_code == 403
    assert ScriptVersion.objects.count() == 1


@pytest.mark.parametrize("overrides", [3, 30])
def test_the_library_page_reads_a_fixed_number_of_queries(client, store, manager, overrides, django_assert_num_queries):
    for script in Script.objects.filter(store=None, language="zh-hans")[:overrides]:
        Script.objects.create(**{**_fields(script), "store": store, "title": f"本店：{script.title}"})
    client.force_login(manager)
    with django_assert_num_queries(4):  # session, user, store, the scripts
        html = client.get("/scripts/").content.decode()
    assert html.count("本店已修改") == overrides


def _fields(script):
    skip = {"id", "store_id"}
    return {f.attname: getattr(script, f.attname) for f in Script._meta.concrete_fields if f.attname not in skip}
