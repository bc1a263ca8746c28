"""The card's forms written in Python (`forms.field_html`): the same markup Django's widget templates write, escaped;
and her contacts paged with the count read alongside the page."""

from __future__ import annotations

import datetime as dt

import pytest

from reactivation.forms.field_html import field_html, widget_html
from reactivation.forms.follow_ups import FollowUpForm, ProfileForm
from reactivation.services.follow_ups import follow_up_log
from tests.factories import CustomerFactory


@pytest.fixture
def wang(store, beautician_a):
    return CustomerFactory(
        store=store,
        name="王芳",
        assignee=beautician_a,
        bucket="m1",
        months_away=1,
        dormant_since=dt.date(2026, 11, 1),
        occupation='<b>"老师"</b> & co',
        notes="<script>alert(1)</script>",
    )


def _forms(customer):
    bad = {"outcome": "booked", "channel": "<x>", "reasons": ["price", "busy"], "notes": "<i>", "client_token": "no"}
    good = {"outcome": "reached", "channel": "sms", "reasons": ["price"], "reason_detail": '"太贵" <b>'}
    yield FollowUpForm(customer=customer)
    yield FollowUpForm(bad, customer=customer)
    yield FollowUpForm({**good, "client_token": "0b7f7e0e-8a3b-4f6b-9c1b-111111111111"}, customer=customer)
    yield ProfileForm(instance=customer)
    too_long = {"occupation": "o" * 300, "preferred_channel": "<bogus>", "wechat_added": "on"}
    yield ProfileForm(too_long, instance=customer)


def test_each_widget_is_written_as_django_writes_it(wang):
    for form in _forms(wang):
        form.is_bound and form.is_valid()
        for field in form:
            if field.widget_type not in ("radioselect", "checkboxselectmultiple"):
                assert widget_html(field) == str(field), field.name


def test_a_field_carries_its_label_options_errors_and_help_escaped(wang):
    form = FollowUpForm({"outcome": "booked", "channel": "phone", "notes": "<i>x</i>"}, customer=wang)
    assert not form.is_valid()
    outcome = field_html(form["outcome"])
    assert '<legend class="form-label fs-6 requiredField">' in outcome and 'class="asteriskField">*</span>' in outcome
    booked = '<input type="radio" name="outcome" value="booked" class="form-check-input" id="id_outcome_0"'
    booked += " required checked>"
    assert booked in outcome
    appointment = field_html(form["appointment_at"])
    assert 'id="id_appointment_at_error" class="invalid-feedback"><p><strong>' in appointment
    assert 'aria-invalid="true"' in appointment and "is-invalid" in appointment
    assert ">\n&lt;i&gt;x&lt;/i&gt;</textarea>" in field_html(form["notes"])
    assert 'id="id_next_follow_up_on_helptext" class="form-text">' in field_html(form["next_follow_up_on"])
    client_token = field_html(form["client_token"])
    assert 'id="id_client_token_error"' in client_token


def test_her_profile_in_the_form_is_escaped(wang):
    form = ProfileForm(instance=wang)
    occupation = field_html(form["occupation"])
    assert 'value="&lt;b&gt;&quot;老师&quot;&lt;/b&gt; &amp; co"' in occupation
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in field_html(form["notes"])
    assert '<div id="div_id_wechat_added" class="mb-3 form-check">' in field_html(form["wechat_added"])


def test_her_contacts_are_paged_and_counted(client, beautician_a, wang):
    for n in range(12):
        follow_up_log(by=beautician_a, customer=wang, outcome="no_answer", notes=f"call {n}")
    client.force_login(beautician_a)
    first = client.get(f"/customers/{wang.pk}/").content.decode()
    assert '<span class="text-secondary small">(12)</span>' in first and "1 / 2" in first
    assert "call 11" in first and "call 2<" in first and "call 1<" not in first
    second = client.get(f"/customers/{wang.pk}/", {"contacts": 2}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="contacts")
    html = second.content.decode()
    assert "(12)" in html and "2 / 2" in html and "call 1<" in html and "call 0<" in html and "call 2<" not in html
    past_the_end = client.get(f"/customers/{wang.pk}/", {"contacts": 9}).content.decode()
    assert "2 / 2" in past_the_end and "call 0<" in past_the_end
    not_a_number = client.get(f"/customers/{wang.pk}/", {"contacts": "x"}).content.decode()
    assert "1 / 2" in not_a_number and "call 11" in not_a_number


def test_a_customer_without_contacts_says_so(client, beautician_a, wang):
    client.force_login(beautician_a)
    html = client.get(f"/customers/{wang.pk}/").content.decode()
    assert '<span class="text-secondary small">(0)</span>' in html and 'id="contact-history"' not in html
