"""A customer's last visit, who served her last and her spend in the twelve months up to it, read back from her
visits: what the rule says, worked out by hand, for any visits she may have had (several on one day included)."""

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from customers.models import Visit
from customers.services.last_visits import SPEND_WINDOW_DAYS, customers_refresh_last_visits
from tests.factories import CustomerFactory, ServiceFactory, StaffFactory, StoreFactory, VisitFactory

FIRST_DAY = dt.date(2023, 1, 1)

# Days that put visits on both sides of the twelve months' edge (800 - 365 = 435, 400 - 365 = 35) and several
# on one day (the later saved counts as the later visit).
DAYS = [0, 35, 36, 400, 435, 436, 800]
# A customer's visits in the order they were saved: (days after FIRST_DAY, served by amy / bea / nobody, yuan).
visits_of_one = st.lists(
    st.tuples(st.sampled_from(DAYS), st.sampled_from(["amy", "bea", None]), st.integers(0, 900)), max_size=6
)


def by_hand(visits, staff):
    """The rule, from (day, beautician, amount, id) of her visits."""
    if not visits:
        return None
    last = max(on for on, _by, _amount, _id in visits)
    served = [(on, pk, by) for on, by, _amount, pk in visits if by is not None]
    since = last - dt.timedelta(days=SPEND_WINDOW_DAYS)
    return (
        last,
        staff[max(served)[2]] if served else None,
        sum((amount for on, _by, amount, _id in visits if on > since), Decimal("0.00")),
    )


class TestLastVisitsReadBack(TestCase):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(visits_of_one, min_size=3, max_size=3))
    def test_each_customer_gets_what_her_visits_say(self, all_visits):
        store = StoreFactory(code="MAIN")
        staff = {name: StaffFactory(username=name, store=store).pk for name in ("amy", "bea")}
        services = [ServiceFactory(store=store, name=f"项目{n}") for n in range(6)]
        customers, expected = [], []
        for visits in all_visits:
            customer = CustomerFactory(store=store, spend_12m=Decimal("1.00"), last_visit_on=None)
            saved = []
            for service, (day, by, yuan) in zip(services, visits, strict=False):  # one day may hold several
                on = FIRST_DAY + dt.timedelta(days=day)
                visit = VisitFactory(
                    customer=customer,
                    visited_on=on,
                    service=service,
                    beautician_id=staff[by] if by else None,
                    amount=Decimal(yuan),
                )
                saved.append((on, by, Decimal(yuan), visit.pk))
            customers.append(customer)
            expected.append(by_hand(saved, staff))
        customers_refresh_last_visits(customer_ids=[c.pk for c in customers] * 2)  # named twice: no matter
        for customer, wanted in zip(customers, expected, strict=True):
            customer.refresh_from_db()
            found = (customer.last_visit_on, customer.last_beautician_id, customer.spend_12m)
            # A customer without visits keeps what she had.
            assert found == (wanted or (None, None, Decimal("1.00")))


served_by = st.sampled_from(["amy", "bea", None])


class TestLastVisitsFromADayOn(TestCase):
    """An import names the earliest day of the visits it wrote (`since`): the refresh reads only the year before
    it, and must come to what reading all her visits comes to."""

    def setUp(self):
        self.store = StoreFactory(code="MAIN")
        self.staff = {name: StaffFactory(username=name, store=self.store).pk for name in ("amy", "bea")}
        self.services = [ServiceFactory(store=self.store, name=f"项目{n}") for n in range(8)]

    def save(self, customer, visits, first_service=0):
        saved = []
        for service, (day, by, yuan) in zip(self.services[first_service:], visits, strict=False):
            on = FIRST_DAY + dt.timedelta(days=day)
            visit = VisitFactory(
                customer=customer,
                visited_on=on,
                service=service,
                beautician_id=self.staff[by] if by else None,
                amount=Decimal(yuan),
            )
            saved.append([on, by, Decimal(yuan), visit.pk])
        return saved

    def assert_as_by_hand(self, customer, visits):
        customer.refresh_from_db()
        wanted = by_hand([tuple(v) for v in visits], self.staff)
        assert (customer.last_visit_on, customer.last_beautician_id, customer.spend_12m) == wanted

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def test_reading_from_a_day_on_agrees_with_reading_every_visit(self, data):
        since_day = data.draw(st.sampled_from(DAYS[1:]), label="since")
        since = FIRST_DAY + dt.timedelta(days=since_day)
        later = [day for day in DAYS if day >= since_day]
        customers, histories, touched = [], [], []
        for _ in range(3):
            customer = CustomerFactory(store=self.store, spend_12m=Decimal("1.00"), last_visit_on=None)
            before = self.save(customer, data.draw(visits_of_one, label="before"))
            customers_refresh_last_visits(customer_ids=[customer.pk])  # up to date before the import
            new = data.draw(st.lists(st.tuples(st.sampled_from(later), served_by, st.integers(0, 900)), max_size=2))
            visits = before + self.save(customer, new, first_service=6)
            # The import may also clear who served her on a visit it names (a visit on or after `since`).
            named = [v for v in before if v[0] >= since]
            if named and data.draw(st.booleans(), label="clear who served her"):
                named[0][1] = None
                Visit.objects.filter(pk=named[0][3]).update(beautician=None)
            if new or named:
                touched.append(customer.pk)
            customers.append(customer)
            histories.append(visits)
        customers_refresh_last_visits(customer_ids=touched, since=since)
        for customer, visits in zip(customers, histories, strict=True):
            if visits:
                self.assert_as_by_hand(customer, visits)

    def test_who_served_her_last_is_found_before_the_year_read_when_no_visit_in_it_names_anyone(self):
        customer = CustomerFactory(store=self.store, last_visit_on=None)
        visits = self.save(customer, [(0, "amy", 100), (435, "bea", 200)])
        customers_refresh_last_visits(customer_ids=[customer.pk])
        visits += self.save(customer, [(800, None, 300)], first_service=6)
        Visit.objects.filter(pk=visits[1][3]).update(beautician=None)  # bea's visit cleared
        visits[1][1] = None
        customers_refresh_last_visits(customer_ids=[customer.pk], since=FIRST_DAY + dt.timedelta(days=435))
        self.assert_as_by_hand(customer, visits)  # amy, from a visit the year read does not reach
