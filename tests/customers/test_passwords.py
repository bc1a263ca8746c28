"""Passwords set on the staff page: an all-digit password is refused, and every refusal reads in
Chinese (issue 12, defect 8d)."""

import re

import pytest
from django.contrib.auth.password_validation import get_default_password_validators, validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from customers.models import Staff

LATIN_SENTENCE = re.compile(r"[A-Za-z]{3,} [A-Za-z]{3,}")


def refusal(client, manager, member, password):
    client.force_login(manager)
    response = client.post(f"/staff/{member.pk}/password/", {"new_password1": password, "new_password2": password})
    assert response.status_code == 200  # the form again, with the reason
    member.refresh_from_db()
    assert not member.check_password(password)
    return response.content.decode()


def test_an_all_digit_password_is_refused(client, manager, beautician_a):
    assert "密码只包含数字" in refusal(client, manager, beautician_a, "20261123520")


def test_a_short_password_is_refused_in_chinese(client, manager, beautician_a):
    html = refusal(client, manager, beautician_a, "Xq7!b")
    assert "密码太短" in html and "10" in html
    assert "too short" not in html


@pytest.mark.parametrize("password", ["abc", "1234567", "beautician_a1", "password12345"])
def test_every_refusal_and_every_hint_is_chinese(db, password):
    member = Staff(username="beautician_a1", name="小美")
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as refused:
            validate_password(password, member)
        texts = refused.value.messages + [v.get_help_text() for v in get_default_password_validators()]
    assert texts and not [text for text in texts if LATIN_SENTENCE.search(str(text))]
