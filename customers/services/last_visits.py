"""Each customer's last visit and who served her last: kept on the customer, from her visits."""

from __future__ import annotations

from django.db import connection
from django.db.models import OuterRef, Subquery

from ..imports.bulk import array_text
from ..models import Customer, Visit

_CUSTOMERS = Customer._meta.db_table


def customers_refresh_last_visits(*, customer_ids: list[int]) -> None:
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
