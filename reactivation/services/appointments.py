"""An appointment's day: attended, no-show or cancelled (the front desk and the manager mark them)."""

from __future__ import annotations

from django.db import transaction

from customers.models import Appointment, Customer, Staff

from ..models import AssignmentChange


class AppointmentClosed(Exception):
    """The appointment was already marked."""


def appointment_mark(*, by: Staff, appointment: Appointment, status: str) -> Appointment:
    """Mark a booked appointment. A no-show or a cancellation puts a dormant customer back on the list of the
    person who had her (she left it when she booked), at once rather than after the next night."""
    with transaction.atomic():
        moved = Appointment.objects.filter(pk=appointment.pk, status=Appointment.Status.BOOKED).update(status=status)
        if not moved:
            raise AppointmentClosed
        appointment.status = status
        if status in (Appointment.Status.NO_SHOW, Appointment.Status.CANCELLED):
            _back_on_list(appointment.customer, appointment)
    return appointment


def _back_on_list(customer: Customer, appointment: Appointment) -> None:
    customer.refresh_from_db()
    if customer.dormant_since is None or customer.do_not_contact or customer.assignee_id is not None:
        return
    booked_ahead = Appointment.objects.filter(
        customer=customer, status=Appointment.Status.BOOKED, starts_at__gt=appointment.starts_at
    )
    if booked_ahead.exists():
        return
    last_holder = (
        AssignmentChange.objects.filter(customer=customer, from_staff__isnull=False, from_staff__is_active=True)
        .order_by("-changed_on", "-id")
        .values_list("from_staff_id", flat=True)
        .first()
    )
    holder = last_holder or appointment.staff_id
    if holder is None:
        return  # the nightly run gives her someone
    Customer.objects.filter(pk=customer.pk, assignee__isnull=True).update(assignee_id=holder)
    AssignmentChange.objects.create(
        customer=customer,
        changed_on=customer.store.today(),
        from_staff=None,
        to_staff_id=holder,
        cause=AssignmentChange.Cause.CONTACTABLE_AGAIN,
    )
