"""The follow-up form on the customer card (DESIGN §5.5): what a saved contact does, and what a bad one does not."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.utils import timezone

from reactivation.follow_up_rules import default_next_follow_up
from reactivation.models import FollowUp
from tests.factories import CustomerFactory


@pytest.fixture
def wang(store, beautician_a):
    return CustomerFactory(
        store=store, name="王芳", assignee=beautician_a, bucket="m1", months_away=1, dormant_since=dt.date(2026, 11, 1)
    )


def post(client, customer, **data):
    fields = {"channel": "phone", "client_token": str(uuid.uuid4()), **data}
    return client.post(f"/customers/{customer.pk}/follow-ups/", fields, HTTP_HX_REQUEST="true")


def test_a_no_answer_is_saved_with_tomorrow_as_the_next_follow_up(client, beautician_a, wang, store):
    client.force_login(beautician_a)
    response = post(client, wang, outcome="no_answer")
    assert response.status_code == 200 and 'id="follow-up-notice"' in response.content.decode()
    follow_up = FollowUp.objects.get()
    assert (follow_up.by, follow_up.outcome) == (beautician_a, "no_answer")
    assert follow_up.next_follow_up_on == store.today() + dt.timedelta(days=1)


def test_the_next_date_follows_the_outcome():
    today = dt.date(2026, 12, 1)
    assert default_next_follow_up("no_answer", today) == dt.date(2026, 12, 2)
    assert default_next_follow_up("call_back", today) == dt.date(2026, 12, 2)
    assert default_next_follow_up("reached", today) == dt.date(2026, 12, 8)
    assert default_next_follow_up("booked", today) is None
    assert default_next_follow_up("do_not_contact", today) is None


def test_a_booking_without_a_time_re_renders_with_the_error_and_saves_nothing(client, beautician_a, wang):
    client.force_login(beautician_a)
    html = post(client, wang, outcome="booked").content.decode()
    assert "请填写她到店的日期和时间" in html
    assert not FollowUp.objects.exists() and not wang.appointments.exists()


def test_a_booking_books_her_visit(client, beautician_a, wang):
    client.force_login(beautician_a)
    when = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT14:30")
    post(client, wang, outcome="booked", appointment_at=when, reasons=["busy"], reason_detail="工作太忙")
    (appointment,) = wang.appointments.all()
    assert appointment.status == "booked" and appointment.staff == beautician_a
    assert list(FollowUp.objects.get().reasons.values_list("reason", "detail")) == [("busy", "工作太忙")]


def test_a_double_tap_saves_one_contact(client, beautician_a, wang):
    client.force_login(beautician_a)
    token = str(uuid.uuid4())
    post(client, wang, outcome="no_answer", client_token=token)
    post(client, wang, outcome="no_answer", client_token=token)
    assert FollowUp.objects.count() == 1


def test_asked_not_to_be_contacted_sets_do_not_contact_at_once_and_says_so(client, beautician_a, wang):
    client.force_login(beautician_a)
    html = post(client, wang, outcome="do_not_contact").content.decode()
    wang.refresh_from_db()
    assert wang.do_not_contact
    assert "以后不再联系她" in html
    assert client.get("/calls/").context["page"].paginator.count == 0


@pytest.mark.parametrize("reason", ["service", "results", "oversold"])
def test_a_complaint_puts_her_on_the_managers_list_the_same_day(client, beautician_a, manager, wang, store, reason):
    client.force_login(beautician_a)
    post(client, wang, outcome="reached", reasons=[reason])
    wang.refresh_from_db()
    assert wang.escalated_on == store.today()
    client.force_login(manager)
    assert [c.pk for c in client.get("/calls/?escalated=1").context["page"].object_list] == [wang.pk]


def test_a_complaint_free_talk_does_not_escalate(client, beautician_a, wang):
    client.force_login(beautician_a)
    post(client, wang, outcome="reached", reasons=["busy"])
    wang.refresh_from_db()
    assert wang.escalated_on is None


@pytest.mark.parametrize("who", ["beautician_b", "front_desk", "stranger", "owner"])
def test_only_her_assignee_and_her_manager_may_log_a_contact(client, wang, who, request):
    client.force_login(request.getfixturevalue(who))
    assert post(client, wang, outcome="no_answer").status_code in (403, 404)
    assert not FollowUp.objects.exists()


def test_her_manager_may_log_a_contact(client, manager, wang):
    client.force_login(manager)
    assert post(client, wang, outcome="reached").status_code == 200
    assert FollowUp.objects.get().by == manager


def test_the_profile_is_edited_in_place(client, beautician_a, wang):
    client.force_login(beautician_a)
    response = client.post(
        f"/customers/{wang.pk}/profile/",
        {"occupation": "教师", "family": "一个女儿", "preferred_channel": "wechat", "wechat_added": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "档案已保存" in response.content.decode()
    wang.refresh_from_db()
    assert (wang.occupation, wang.preferred_channel, wang.wechat_added) == ("教师", "wechat", True)


def test_the_profile_says_whether_her_wechat_is_added_not_that_it_is_new(client, beautician_a, wang):
    client.force_login(beautician_a)
    assert wechat_line(client.get(f"/customers/{wang.pk}/")) == "未加"
    wang.wechat_added = True
    wang.save(update_fields=["wechat_added"])
    assert wechat_line(client.get(f"/customers/{wang.pk}/")) == "已加"


def wechat_line(response) -> str:
    return re.search(r"<dt[^>]*>微信</dt><dd[^>]*>([^<]*)</dd>", response.content.decode()).group(1)
