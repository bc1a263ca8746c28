"""A visit ends a dormant spell at once (DESIGN §4.6): not at night, the moment it is recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery

from customers.buckets import DORMANT_BUCKETS, Bucket
from customers.imports.bulk import array_text
from customers.models import Appointment, Customer, Store, Visit
from customers.visit_hooks import SavedVisit

from ..models import AssignmentChange, CustomerReturn, FollowUp

_CUSTOMERS = Customer._meta.db_table


def visits_recorded(*, store: Store, visits: Iterable[SavedVisit]) -> list[CustomerReturn]:
    """Bring customers up to date after visits were saved (one at the till, or thousands from an import).

    - Each customer's last visit (and who served her) is recomputed from her visits, set-based.
    - A dormant customer whose visit is newer than her last one has returned: she leaves every call list
      now, and the return is credited to whoever contacted her last within the store's attribution window.
    Safe to call twice for the same visits: the second call finds nobody dormant and changes nothing.
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
        refresh_last_visits(list(by_customer))
        returns = []
        for customer in dormant:
            return_visit = _first_visit_after(by_customer[customer.pk], customer.last_seen_on)
            if return_visit is not None:
                returns.append(_end_spell(store=store, customer=customer, visit=return_visit))
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


def refresh_last_visits(customer_ids: list[int]) -> None:
    """Each customer's last visit, and who served her last, from her visits (set-based)."""
    if not customer_ids:
        return None
    if connection.vendor == "postgresql":
        return _last_visits_in_one_update(customer_ids)
    latest = Visit.objects.filter(customer=OuterRef("pk")).order_by("-visited_on", "-id")
    served = latest.filter(beautician__isnull=False)
    for start in range(0, len(customer_ids), 500):  # SQLite's limit on parameters
        Customer.objects.filter(pk__in=customer_ids[start : start + 500]).update(
            last_visit_on=Subquery(latest.values("visited_on")[:1]),
            last_beautician=Subquery(served.values("beautician")[:1]),
        )


def _last_visits_in_one_update(customer_ids: list[int]) -> None:
    # The index on (customer, date, service) hands each customer's visits over in date order.
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {_CUSTOMERS} AS c SET last_visit_on = v.last_on, last_beautician_id = v.served_by
                  FROM (SELECT customer_id, max(visited_on) AS last_on,
                               (array_agg(beautician_id ORDER BY visited_on DESC, id DESC)
                                  FILTER (WHERE beautician_id IS NOT NULL))[1] AS served_by
                          FROM {Visit._meta.db_table} WHERE customer_id = ANY(%s::bigint[])
                         GROUP BY customer_id) AS v
                 WHERE c.id = v.customer_id
                   AND (c.last_visit_on IS DISTINCT FROM v.last_on
                        OR c.last_beautician_id IS DISTINCT FROM v.served_by)""",
            [array_text(customer_ids)],
        )


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
