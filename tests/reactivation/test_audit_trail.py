"""/audit/: the manager reads who changed what in her store, and who looked at which numbers."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta

from customers.models import AuditEvent
from reactivation.selectors.audit_trail import Cursor, Kind, TrailFilters, audit_trail
from reactivation.services.segment import segment_store
from tests.factories import CustomerFactory


@pytest.fixture
def dormant(store, beautician_a, beautician_b):
    customer = CustomerFactory(
        store=store, phone="13912345678", last_visit_on=store.today() - relativedelta(months=1, days=3)
    )
    segment_store(store=store, today=store.today())
    customer.refresh_from_db()
    return customer


def rows(client, query=""):
    response = client.get(f"/audit/{query}")
    assert response.status_code == 200
    return response, response.content.decode()


def test_a_profile_edit_shows_who_changed_which_field_from_what_to_what(client, store, manager, dormant):
    client.force_login(manager)
    client.post(
        f"/customers/{dormant.pk}/profile/",
        {"occupation": "教师", "family": "", "personality": "", "preferred_channel": "", "first_need": "", "notes": ""},
        HTTP_HX_REQUEST="true",
    )
    edit, created = audit_trail(store, TrailFilters(kind=Kind.CUSTOMERS)).entries
    assert (edit.actor, edit.customer_id, edit.changes) == (manager, dormant.pk, [("职业", "", "教师")])
    assert (created.actor, created.action, created.changes) == (None, "新建", [])
    _response, html = rows(client)
    assert "教师" in html and f"/customers/{dormant.pk}/" in html
    assert "13912345678" not in html, "the trail masks her number like every other page"


def test_moves_by_hand_reveals_and_settings_all_appear_with_who_did_them(
    client, store, manager, beautician_a, beautician_b, dormant
):
    client.force_login(manager)
    holder = dormant.assignee
    to = beautician_b if holder == beautician_a else beautician_a
    client.post("/reassign/", {"staff": holder.username, "to": to.pk, "customers": [dormant.pk]})
    client.post(f"/customers/{dormant.pk}/phone/", HTTP_HX_REQUEST="true")
    store.daily_contact_target = 12
    store.save()
    kinds = [e.kind for e in audit_trail(store, TrailFilters()).entries]
    assert kinds.count(Kind.ASSIGNMENTS) == 1 and kinds.count(Kind.DATA_ACCESS) == 1 and Kind.SETTINGS in kinds
    (move,) = audit_trail(store, TrailFilters(kind=Kind.ASSIGNMENTS)).entries
    assert (move.actor, move.changes[0][1:]) == (manager, (str(holder), str(to)))
    _response, html = rows(client, "?kind=data_access")
    assert "查看完整手机号" in html and "手动转交" not in html.split("<tbody>")[1]


def test_letting_a_beautician_go_is_recorded_with_who_did_it(client, store, manager, beautician_a, dormant):
    client.force_login(manager)
    client.post(f"/staff/{beautician_a.pk}/deactivate/")
    entry = audit_trail(store, TrailFilters(kind=Kind.STAFF)).entries[0]
    assert (entry.actor, entry.subject, entry.action) == (manager, str(beautician_a), "修改")
    assert [c[1:] for c in entry.changes] == [("是", "否")], "a switch reads as yes or no in her language"


def test_another_stores_changes_never_appear(client, store, other_store, manager, stranger):
    CustomerFactory(store=other_store, name="别家顾客")
    AuditEvent.objects.create(actor=stranger, action=AuditEvent.Action.EXPORT, store=other_store)
    client.force_login(manager)
    _response, html = rows(client)
    entries = audit_trail(store, TrailFilters()).entries
    assert entries and html.count('class="trail-entry"') == len(entries)
    assert "别家顾客" not in html
    assert not [e for e in entries if e.kind == Kind.DATA_ACCESS or e.subject in (str(stranger), str(other_store))]


def test_filters_by_person_and_by_day(client, store, manager, beautician_a, dormant):
    AuditEvent.objects.create(actor=beautician_a, action=AuditEvent.Action.REVEAL_PHONE, store=store, customer=dormant)
    AuditEvent.objects.create(actor=manager, action=AuditEvent.Action.EXPORT, store=store, detail={"rows": 3})
    assert [e.actor for e in audit_trail(store, TrailFilters(actor_id=beautician_a.pk)).entries] == [beautician_a]
    tomorrow = store.today() + dt.timedelta(days=1)
    assert audit_trail(store, TrailFilters(start=tomorrow)).entries == []
    assert len(audit_trail(store, TrailFilters(kind=Kind.DATA_ACCESS, end=store.today())).entries) == 2
    client.force_login(manager)
    response, _html = rows(client, f"?start={tomorrow}&end={store.today()}")
    assert "end" in response.context["form"].errors


def test_pages_follow_each_other_without_losing_or_repeating_an_entry_even_at_the_same_instant(store, manager, dormant):
    events = AuditEvent.objects.bulk_create(
        [AuditEvent(actor=manager, action=AuditEvent.Action.EXPORT, store=store) for _ in range(7)]
    )
    same_instant = events[0].at
    AuditEvent.objects.filter(pk__in=[e.pk for e in events]).update(at=same_instant)
    LogEntry.objects.filter(object_id=dormant.pk).update(timestamp=same_instant)
    expected = AuditEvent.objects.filter(store=store).count() + LogEntry.objects.count()
    seen, cursor = [], None
    while True:
        page = audit_trail(store, TrailFilters(after=cursor), per_page=3)
        seen += [(e.source, e.id) for e in page.entries]
        if not page.next_cursor:
            break
        cursor = Cursor.parse(page.next_cursor)
    assert len(seen) == len(set(seen)) == expected


def test_a_cursor_that_is_not_one_is_ignored(client, store, manager):
    client.force_login(manager)
    response, _html = rows(client, "?after=yesterday")
    assert response.status_code == 200 and Cursor.parse("yesterday") is None
