"""What a race does to the routine: nothing twice (PostgreSQL, real parallel connections)."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from reactivation.models import FollowUp
from tests.concurrency import at_once
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_submits_of_one_follow_up_form_save_one_contact(store, beautician_a):
    customer = CustomerFactory(store=store, assignee=beautician_a, bucket="m1", months_away=1)
    token = str(uuid.uuid4())

    def submit():
        client = Client()
        client.force_login(beautician_a)
        data = {"outcome": "no_answer", "channel": "phone", "client_token": token}
        return client.post(f"/customers/{customer.pk}/follow-ups/", data, HTTP_HX_REQUEST="true")

    answers = at_once(4, submit)
    assert [a.status_code for a in answers] == [200] * 4
    assert FollowUp.objects.filter(customer=customer).count() == 1
