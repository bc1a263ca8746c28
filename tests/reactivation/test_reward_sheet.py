"""The reward sheet against a hand-built store (DESIGN §4.6, §5.4 /rewards/)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from customers.models import AuditEvent, Staff
from reactivation.models import CustomerReturn, FollowUp
from reactivation.selectors.rewards import my_month, reward_sheet
from tests.factories import CustomerFactory, VisitFactory

D = Decimal
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def came_back(store, credited_to, returned_on, amount, *later, name=None):
    customer = CustomerFactory(store=store, **({"name": name} if name else {}))
    visit = VisitFactory(customer=customer, visited_on=returned_on, amount=D(amount))
    for day in later:
        VisitFactory(customer=customer, visited_on=day, amount=D("100"))
    return CustomerReturn.objects.create(
        store=store, customer=customer, visit=visit, returned_on=returned_on, bucket="m2", months_away=2,
        credited_to=credited_to,
    )  # fmt: skip


@pytest.fixture
def january(store, manager, beautician_a, beautician_b, front_desk):
    """Three returns credited to 小美 (one on Jan 31), one to 阿芳, one to nobody; activations in January."""
    came_back(store, beautician_a, dt.date(2026, 1, 5), "1200", dt.date(2026, 1, 20), name="=HYPERLINK(1)")
    came_back(store, beautician_a, dt.date(2026, 1, 31), "800")
    came_back(store, beautician_a, dt.date(2025, 12, 20), "2000", dt.date(2026, 1, 10), dt.date(2026, 1, 11))
    came_back(store, front_desk, dt.date(2026, 1, 12), "1600", dt.date(2026, 1, 13))
    came_back(store, None, dt.date(2026, 1, 2), "50", dt.date(2026, 1, 3))
    return dt.date(2026, 1, 1)


def test_each_persons_reward_for_the_month(january, store, beautician_a, front_desk, manager):
    sheet = reward_sheet(store, january)
    by = {row.person.username: row.reward for row in sheet.rows}
    # 小美: visits in January 2 + 1 + 2 = 5 × ¥5; spend bonus ¥40 (1200) + ¥20 (800); Dec's return pays no spend bonus
    assert by["beautician_a"].visits == 5 and by["beautician_a"].visit_reward == D("25.00")
    assert by["beautician_a"].spend_bonus == D("60.00") and by["beautician_a"].total == D("85.00")
    assert by["beautician_a"].returned_in_month == 2
    # 阿芳: 2 visits, ¥50 bonus for 1600
    assert by["front_desk"].total == D("60.00")
    # activated in January: Jan 5 (on the 20th), Dec 20 (on Jan 10), Jan 12 (13th), nobody's (3rd) = 4 → ¥80
    assert by["manager"].activations == 4 and by["manager"].total == D("80.00")
    assert by["beautician_b"].total == 0  # on the sheet all the same
    assert sheet.total == D("225.00")


def test_a_return_on_the_31st_belongs_to_that_month(january, store):
    january_sheet = reward_sheet(store, january)
    february_sheet = reward_sheet(store, dt.date(2026, 2, 1))
    on_31st = [e for e in january_sheet.returns if e.facts.returned_on == dt.date(2026, 1, 31)]
    assert len(on_31st) == 1 and on_31st[0].spend_bonus == D("20.00")
    assert not any(e.facts.returned_on == dt.date(2026, 1, 31) for e in february_sheet.returns)


def test_a_changed_rule_changes_the_sheet(january, store):
    store.reward_per_return_visit = D("10.00")
    store.activation_visits = 3
    by = {row.person.username: row.reward for row in reward_sheet(store, january).rows}
    assert by["beautician_a"].visit_reward == D("50.00")
    assert by["manager"].activations == 1 and by["manager"].total == D("0.00")


def test_the_sheet_takes_a_bounded_number_of_queries(january, store, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        reward_sheet(store, january)


def test_the_manager_sees_the_sheet_and_downloads_it_audited(client, january, manager):
    client.force_login(manager)
    html = client.get("/rewards/?month=2026-01").content.decode()
    assert 'data-username="beautician_a"' in html and "¥225.00" in html
    response = client.get("/rewards/?month=2026-01&format=xlsx")
    assert response["Content-Disposition"].endswith('rewards-MAIN-2026-01.xlsx"')
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    people = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert people[1][0] == "beautician_a" and people[1][-1] == 85
    names = [row[0] for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert "'=HYPERLINK(1)" in names
    assert AuditEvent.objects.filter(action="export", actor=manager, detail__what="rewards").count() == 1


def test_the_sheet_as_csv_neutralises_formulas(client, january, manager, beautician_a):
    beautician_a.name = "@SUM(A1)"
    beautician_a.save()
    client.force_login(manager)
    body = client.get("/rewards/?month=2026-01&format=csv").content.decode("utf-8-sig")
    assert "'@SUM(A1)" in body and "85.00" in body


def test_head_office_chooses_the_store_and_staff_may_not(client, january, owner, beautician_a, stranger):
    client.force_login(owner)
    assert client.get("/rewards/?store=MAIN&month=2026-01").context["sheet"].total == D("225.00")
    client.force_login(beautician_a)
    assert client.get("/rewards/").status_code == 403
    client.force_login(stranger)
    assert client.get("/rewards/?store=MAIN").status_code in {403, 404}
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_bad_month_says_so_and_shows_this_month(client, manager):
    client.force_login(manager)
    response = client.get("/rewards/?month=2026-13", follow=True)
    assert response.status_code == 200 and "YYYY-MM" in response.content.decode()


def test_my_month_counts_my_contacts_in_the_stores_time_zone(january, store, beautician_a, beautician_b):
    customer = CustomerFactory(store=store, assignee=beautician_a)
    late_on_the_31st = dt.datetime(2026, 1, 31, 23, 30, tzinfo=SHANGHAI)  # 15:30 UTC, still January in the store
    next_month = dt.datetime(2026, 2, 1, 0, 10, tzinfo=SHANGHAI)  # Jan 31 16:10 UTC, February in the store
    for moment in (late_on_the_31st, next_month):
        FollowUp.objects.create(store=store, customer=customer, by=beautician_a, contacted_at=moment, outcome="reached")
    mine = my_month(beautician_a, dt.date(2026, 1, 31))
    assert mine.contacts == 1 and mine.returned == 2 and mine.reward == D("85.00")
    assert (mine.place, mine.of) == (1, 3)
    theirs = my_month(beautician_b, dt.date(2026, 1, 15))
    assert theirs.reward == 0 and theirs.place == 3


def test_a_leaver_keeps_her_reward_for_the_month(january, store, beautician_a):
    Staff.objects.filter(pk=beautician_a.pk).update(is_active=False)
    assert any(r.person.username == "beautician_a" for r in reward_sheet(store, january).rows)


def test_the_my_month_partial_shows_her_own_figures(january, beautician_a):
    from django.template.loader import render_to_string

    html = render_to_string("reactivation/_my_month.html", {"my_month": my_month(beautician_a, dt.date(2026, 1, 20))})
    assert 'id="my-month"' in html and "¥85.00" in html and "第 1 名 / 共 3 人" in html


def _my_reward(client) -> str:
    html = client.get("/calls/").content.decode()
    return html.split('class="my-reward">', 1)[1].split("<", 1)[0]


def test_my_month_on_the_call_list_changes_at_once_when_the_sheet_would(client, store, beautician_a, manager):
    from customers.services.store_settings import store_settings_change

    client.force_login(beautician_a)
    today = store.today()
    assert _my_reward(client) == "¥0.00"
    came_back(store, beautician_a, today, "800")  # ¥5 for the visit, ¥20 for what she spent
    assert _my_reward(client) == "¥25.00"
    store_settings_change(by=manager, store=store, values={"reward_per_return_visit": D("8.00")})
    assert _my_reward(client) == "¥28.00"
    VisitFactory(customer=CustomerReturn.objects.get().customer, visited_on=today + dt.timedelta(days=1))
    assert _my_reward(client) == ("¥36.00" if (today + dt.timedelta(days=1)).month == today.month else "¥28.00")
    CustomerReturn.objects.get().delete()
    assert _my_reward(client) == "¥0.00"
    assert my_month(beautician_a, today).reward == reward_sheet(store, today).rows[0].reward.total


def test_my_month_reads_the_sheet_once_until_something_changes(store, beautician_a, january, django_assert_num_queries):
    from reactivation.services.reward_stamps import reward_sheet_changed

    reward_sheet_changed(store_ids={store.pk})
    first = my_month(beautician_a, dt.date(2026, 1, 31))
    with django_assert_num_queries(2):  # the stamp and her contacts
        assert my_month(beautician_a, dt.date(2026, 1, 31)) == first
