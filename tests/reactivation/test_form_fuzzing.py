"""Whatever a phone posts to the staff's forms, the answer is a page (saved, or the form with its errors),
never a server error, and nothing is saved half-way."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from customers.models import Appointment, Card, CardEntry, Customer, Staff, Store, Visit
from customers.services.cards import card_open
from reactivation.models import FollowUp, Script, StoreOffer
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


texts = st.one_of(junk, st.text(max_size=400))
choice = lambda *values: st.one_of(junk, st.sampled_from(values))  # noqa: E731
SETTINGS = ("beautician_buckets", "activation_visits", "activation_months", "attribution_days",
            "daily_contact_target", "marketing_cap_days", "reward_per_return_visit")  # fmt: skip


class ManagersForms(TestCase):
    """The rest of the product's forms: the walk-in file, the soft profile, the store's settings, scripts and
    offers, a staff password and the audit trail's filters."""

    @classmethod
    def setUpTestData(cls):
        cls.store = StoreFactory(code="MAIN")
        cls.manager = StaffFactory(username="fuzz_m", role=Staff.Role.MANAGER, store=cls.store)
        cls.beautician = StaffFactory(username="fuzz_b", role=Staff.Role.BEAUTICIAN, store=cls.store)
        cls.desk = StaffFactory(username="fuzz_d", role=Staff.Role.FRONT_DESK, store=cls.store)
        cls.customer = CustomerFactory(store=cls.store, assignee=cls.beautician, bucket="m1", months_away=1)

    def store_settings(self):
        return tuple(Store.objects.values_list(*SETTINGS, "beautician_reward_tiers", "manager_reward_tiers").get())

    @FUZZ
    @given(name=texts, phone=st.one_of(junk, st.from_regex(r"\A1[3-9]\d{9}\Z")), gender=choice("F", "M", ""))
    def test_the_walk_in_file(self, name, phone, gender):
        self.client.force_login(self.desk)
        before = Customer.objects.count()
        response = self.client.post("/visits/walk-in/", {"name": name, "phone": phone, "gender": gender})
        assert response.status_code in (200, 302)
        assert Customer.objects.count() - before == (1 if response.status_code == 302 else 0)

    @FUZZ
    @given(
        fields=st.fixed_dictionaries(
            {f: texts for f in ("occupation", "family", "personality", "first_need", "notes")}
        ),
        channel=choice("phone", "wechat", "sms", ""),
        wechat=choice("on", ""),
    )
    def test_the_soft_profile(self, fields, channel, wechat):
        self.client.force_login(self.beautician)
        data = {**fields, "preferred_channel": channel, "wechat_added": wechat}
        response = self.client.post(f"/customers/{self.customer.pk}/profile/", data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200

    @FUZZ
    @given(
        values=st.fixed_dictionaries({name: st.one_of(junk, st.integers(-5, 400).map(str)) for name in SETTINGS}),
        tiers=st.lists(st.tuples(amounts, amounts), max_size=5),
    )
    def test_the_store_settings(self, values, tiers):
        self.client.force_login(self.manager)
        data = {**values, "btier-TOTAL_FORMS": len(tiers), "btier-INITIAL_FORMS": 0,
                "mtier-TOTAL_FORMS": len(tiers), "mtier-INITIAL_FORMS": 0}  # fmt: skip
        for i, (a, b) in enumerate(tiers):
            data.update(
                {f"btier-{i}-limit": a, f"btier-{i}-reward": b, f"mtier-{i}-at_least": a, f"mtier-{i}-reward": b}
            )
        before = self.store_settings()
        response = self.client.post("/settings/", data)
        assert response.status_code in (302, 400)
        if response.status_code == 400:  # re-rendered with its errors: nothing of it was saved
            assert self.store_settings() == before

    @FUZZ
    @given(
        title=texts,
        body=texts,
        when=texts,
        situation=choice("opening", "reason", "objection", "post_visit"),
        channel=choice("call", "sms", "wechat"),
        bucket=choice("m1", "m2", "m3", ""),
        token=st.uuids().map(str),
    )
    def test_a_new_script(self, title, body, when, situation, channel, bucket, token):
        self.client.force_login(self.manager)
        before = Script.objects.count()
        data = {"title": title, "body": body, "when_to_use": when, "situation": situation, "channel": channel,
                "bucket": bucket, "reason": "", "language": "zh-hans", "client_token": token}  # fmt: skip
        response = self.client.post("/scripts/new/", data)
        assert response.status_code in (200, 302)
        assert Script.objects.count() - before == (1 if response.status_code == 302 else 0)

    @FUZZ
    @given(
        title=texts,
        kind=choice("featured", "package"),
        price=amounts,
        start=dates,
        end=dates,
        token=st.uuids().map(str),
    )
    def test_a_new_offer(self, title, kind, price, start, end, token):
        self.client.force_login(self.manager)
        before = StoreOffer.objects.count()
        data = {"title": title, "kind": kind, "description": "", "price": price, "valid_from": start,
                "valid_until": end, "client_token": token}  # fmt: skip
        response = self.client.post("/scripts/offers/new/", data)
        assert response.status_code in (200, 302)
        assert StoreOffer.objects.count() - before == (1 if response.status_code == 302 else 0)

    @FUZZ
    @given(one=texts, two=texts)
    def test_a_staff_password(self, one, two):
        self.client.force_login(self.manager)
        response = self.client.post(
            f"/staff/{self.beautician.pk}/password/", {"new_password1": one, "new_password2": two}
        )
        assert response.status_code in (200, 302)
        self.beautician.refresh_from_db()
        assert self.beautician.check_password(one) == (response.status_code == 302)

    @FUZZ
    @given(
        kind=choice("customers", "data_access", ""),
        person=st.one_of(junk, st.integers(-1, 10**12).map(str)),
        start=dates,
        end=dates,
        after=junk,
    )
    def test_the_audit_trail_filters(self, kind, person, start, end, after):
        self.client.force_login(self.manager)
        query = {"kind": kind, "person": person, "start": start, "end": end, "after": after}
        assert self.client.get("/audit/", query).status_code == 200
