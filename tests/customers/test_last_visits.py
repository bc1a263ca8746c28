"""A customer's last visit, who served her last and her spend in the twelve months up to it, read back from her
visits: what the rule says, worked out by hand, for any visits she may have had (several on one day included)."""

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

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
