"""A visit ends a dormant spell at once (DESIGN §4.6): not at night, the moment it is recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection, transaction

from customers.buckets import DORMANT_BUCKETS, Bucket
from customers.imports.bulk import array_text
from customers.models import Appointment, Customer, Store
from customers.services.last_visits import customers_refresh_last_visits
from customers.visit_hooks import SavedVisit

from ..models import AssignmentChange, CustomerReturn, FollowUp
from .reward_stamps import reward_sheet_changed

_CUSTOMERS = Customer._meta.db_table


def visits_recorded(
    *, store: Store, visits: Iterable[SavedVisit], last_visits_by_caller: bool = False
) -> list[CustomerReturn]:
    """Bring customers up to date after visits were saved (one at the till, or thousands from an import).

    - Each customer's last visit (and who served her) is recomputed from her visits, set-based.
    - A dormant customer whose visit is newer than her last one has returned: she leaves every call list
      now, and the return is credited to whoever contacted her last within the store's attribution window.
    Safe to call twice for the same visits: the second call finds nobody dormant and changes nothing.
    An import announcing a whole file store by store brings every last visit up to date itself
    afterwards, in one statement (`last_visits_by_caller`).
    """
    by_customer: dict[int, list[SavedVisit]] = {}
    for visit in visits:
        by_customer.setdefault(visit.customer_id, []).append(visit)
    if not by_customer:
        return []
    with transaction.atomic():
        dormant = list(
            Customer.objects.select_for_update()
            .filter(pk__in=_dormant_among(store, list(by_customer)), store=store, bucket__in=DORMANT_BUCKETS)
            .only("id", "last_visit_on", "joined_on", "bucket", "months_away", "dormant_since", "assignee_id")
        )
        if not last_visits_by_caller:
            customers_refresh_last_visits(customer_ids=list(by_customer))
        returns = []
        for customer in dormant:
            return_visit = _first_visit_after(by_customer[customer.pk], customer.last_seen_on)
            if return_visit is not None:
                returns.append(_end_spell(store=store, customer=customer, visit=return_visit))
        reward_sheet_changed(store_ids={store.pk})  # bulk doors save visits without a model signal; last: a short lock
    return returns


def _dormant_among(store: Store, customer_ids: list[int]) -> list[int]:
    """The dormant customers among these (an import announces tens of thousands at a time:
    one array, not a list of literals, on PostgreSQL)."""
    if connection.vendor != "postgresql":
        return customer_ids
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {_CUSTOMERS} WHERE id = ANY(%s::bigint[]) AND store_id = %s "
            "AND bucket = ANY(%s::varchar[])",
            [array_text(customer_ids), store.pk, array_text(list(DORMANT_BUCKETS))],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _first_visit_after(visits: list[SavedVisit], last_seen_on: dt.date) -> SavedVisit | None:
    later = [v for v in visits if v.visited_on > last_seen_on]
    return min(later, key=lambda v: (v.visited_on, v.pk)) if later else None


def _end_spell(*, store: Store, customer: Customer, visit: SavedVisit) -> CustomerReturn:
    credited = _credited_contact(store=store, customer=customer, visited_on=visit.visited_on)
    customer_return = CustomerReturn.objects.create(
        store=store,
        customer=customer,
        visit_id=visit.pk,
        returned_on=visit.visited_on,
        dormant_since=customer.dormant_since,
        bucket=customer.bucket,
        months_away=customer.months_away,
        credited_to_id=credited.by_id if credited else None,
        follow_up=credited,
    )
    if customer.assignee_id is not None:
        AssignmentChange.objects.create(
            customer=customer,
            changed_on=visit.visited_on,
            from_staff_id=customer.assignee_id,
            to_staff=None,
            cause=AssignmentChange.Cause.RETURNED,
        )
    Customer.objects.filter(pk=customer.pk).update(
        bucket=Bucket.ACTIVE, months_away=0, assignee=None, dormant_since=None, escalated_on=None
    )
    Appointment.objects.filter(
        customer=customer, status=Appointment.Status.BOOKED, starts_at__date=visit.visited_on
    ).update(status=Appointment.Status.ATTENDED)
    return customer_return


def _credited_contact(*, store: Store, customer: Customer, visited_on: dt.date) -> FollowUp | None:
    """The latest contact logged in the attribution window before the visit (DESIGN §4.6)."""
    zone = store.tzinfo
    window_start = dt.datetime.combine(visited_on - dt.timedelta(days=store.attribution_days), dt.time.min, zone)
    window_end = dt.datetime.combine(visited_on + dt.timedelta(days=1), dt.time.min, zone)
    return (
        FollowUp.objects.filter(customer=customer, contacted_at__gte=window_start, contacted_at__lt=window_end)
        .order_by("-contacted_at", "-id")
        .first()
    )
