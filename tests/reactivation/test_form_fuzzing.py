"""Whatever a phone posts to the staff's forms, the answer is a page (saved, or the form with its errors),
never a server error, and nothing is saved half-way."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from customers.models import Appointment, Card, CardEntry, Staff, Visit
from customers.services.cards import card_open
from reactivation.models import FollowUp
from tests.factories import CustomerFactory, ServiceFactory, StaffFactory, StoreFactory

junk = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)
dates = st.one_of(junk, st.dates(dt.date(1990, 1, 1), dt.date(2040, 1, 1)).map(str))
moments = st.one_of(
    junk, st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2040, 1, 1)).map(lambda d: d.strftime("%Y-%m-%dT%H:%M"))
)
amounts = st.one_of(junk, st.decimals(-1000, 100000, places=2, allow_nan=False).map(str), st.integers(-5, 50).map(str))
FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class StaffForms(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.store = StoreFactory(code="MAIN")
        cls.beautician = StaffFactory(username="fuzz_b", role=Staff.Role.BEAUTICIAN, store=cls.store)
        cls.desk = StaffFactory(username="fuzz_d", role=Staff.Role.FRONT_DESK, store=cls.store)
        cls.customer = CustomerFactory(store=cls.store, assignee=cls.beautician, bucket="m1", months_away=1)
        cls.card = card_open(customer=cls.customer, name="疗程卡", kind=Card.Kind.SESSIONS, sessions=3)
        ServiceFactory(store=cls.store, name="面部护理")

    @FUZZ
    @given(
        outcome=st.one_of(junk, st.sampled_from(["booked", "reached", "no_answer", "do_not_contact", "message_sent"])),
        channel=st.one_of(junk, st.sampled_from(["phone", "sms", "wechat"])),
        reasons=st.lists(st.one_of(junk, st.sampled_from(["busy", "service", "price"])), max_size=3),
        next_on=dates,
        appointment_at=moments,
        notes=junk,
        token=st.one_of(junk, st.uuids().map(str)),
    )
    def test_the_follow_up_form(self, outcome, channel, reasons, next_on, appointment_at, notes, token):
        self.client.force_login(self.beautician)
        before = (FollowUp.objects.count(), Appointment.objects.count())
        data = {"outcome": outcome, "channel": channel, "reasons": reasons, "next_follow_up_on": next_on,
                "appointment_at": appointment_at, "notes": notes, "client_token": token}  # fmt: skip
        response = self.client.post(f"/customers/{self.customer.pk}/follow-ups/", data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        saved = FollowUp.objects.count() - before[0]
        assert saved in (0, 1)
        booked = Appointment.objects.count() - before[1]
        assert booked == (1 if saved and outcome == "booked" else 0)

    @FUZZ
    @given(
        visited_on=dates,
        amount=amounts,
        card_sessions=amounts,
        card_amount=amounts,
        service=st.one_of(junk, st.just("面部护理")),
        next_at=moments,
        aftercare_on=dates,
        use_card=st.booleans(),
    )
    def test_the_visit_form(
        self, visited_on, amount, card_sessions, card_amount, service, next_at, aftercare_on, use_card
    ):
        self.client.force_login(self.desk)
        before = (Visit.objects.count(), CardEntry.objects.count(), Appointment.objects.count())
        data = {"customer": self.customer.pk, "visited_on": visited_on, "amount": amount, "service": service,
                "card": self.card.pk if use_card else "", "card_sessions": card_sessions,
                "card_amount": card_amount, "next_appointment_at": next_at, "aftercare_on": aftercare_on}  # fmt: skip
        response = self.client.post("/visits/new/", data)
        assert response.status_code in (200, 302)
        visits = Visit.objects.count() - before[0]
        assert visits in (0, 1)
        if not visits:  # refused: nothing of it was kept
            assert (CardEntry.objects.count(), Appointment.objects.count()) == before[1:]
        self.card.refresh_from_db()
        assert self.card.sessions_left >= 0
