"""Moving customers by hand, and letting a leaver go: the manager's two ways of changing who calls whom.

A manual assignment is an ordinary assignment to the nightly run: it is kept (sticky) while the
person stays valid for the customer's bucket and the balance rule allows, and recorded with the
cause "manual". A leaver's customers move at once by the engine's own rule (a re-plan of today).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from customers.models import Customer, Staff

from ..assignment import Cause
from ..models import AssignmentChange
from .segment import segment_store

TAKES_CUSTOMERS = (Staff.Role.BEAUTICIAN, Staff.Role.FRONT_DESK, Staff.Role.MANAGER)


def customers_reassign(*, by: Staff, customers: Iterable[Customer], to: Staff) -> int:
    """Give `customers` (of `by`'s store) to `to`, an active member of the same store; returns how many moved."""
    store = by.store
    if store is None or not to.is_active or to.store_id != store.pk or to.role not in TAKES_CUSTOMERS:
        raise ValidationError(_("Choose an active member of this store's staff."))
    ids = [c.pk for c in customers]
    today = store.today()
    with transaction.atomic():
        moving = list(
            Customer.objects.select_for_update()
            .filter(pk__in=ids, store=store)
            .exclude(assignee=to)
            .only("id", "assignee_id")
        )
        AssignmentChange.objects.bulk_create(
            [
                AssignmentChange(
                    customer_id=c.pk,
                    changed_on=today,
                    from_staff_id=c.assignee_id,
                    to_staff=to,
                    cause=Cause.MANUAL,
                    by=by,
                )
                for c in moving
            ]
        )
        Customer.objects.filter(pk__in=[c.pk for c in moving]).update(assignee=to)
    return len(moving)


def staff_deactivate(*, by: Staff, member: Staff) -> Counter[Staff | None]:
    """`member` has left: deactivate her and re-plan today's lists, so her customers move at once.

    Returns how many of her customers went to whom (None: nobody could take them)."""
    store = member.store
    if store is None or member.role not in (Staff.Role.BEAUTICIAN, Staff.Role.FRONT_DESK):
        raise ValidationError(_("Only a store's beauticians and front desk are let go here."))
    with transaction.atomic():
        held = list(Customer.objects.filter(assignee=member).values_list("pk", flat=True))
        member.is_active = False
        member.save(update_fields=["is_active"])  # through save, so the audit trail records who let her go
    segment_store(store=store, today=store.today(), replan=True)
    now = Customer.objects.filter(pk__in=held).select_related("assignee")
    return Counter(c.assignee for c in now)
