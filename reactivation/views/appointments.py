"""/appointments/: today's and the coming days' appointments; the front desk marks each one."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from customers.access import Capability, requires, store_for
from customers.http import StaffRequest
from customers.models import Appointment

from ..services.appointments import AppointmentClosed, appointment_mark

AHEAD = dt.timedelta(days=14)
MARKS = {
    "no_show": Appointment.Status.NO_SHOW,
    "cancelled": Appointment.Status.CANCELLED,
}


@requires(Capability.MANAGE_APPOINTMENTS)
def appointment_list(request: StaffRequest) -> HttpResponse:
    store = store_for(request, Capability.MANAGE_APPOINTMENTS)
    today = store.today()
    start = dt.datetime.combine(today, dt.time.min, store.tzinfo)
    upcoming = (
        Appointment.objects.filter(store=store, starts_at__gte=start, starts_at__lt=start + AHEAD)
        .select_related("customer", "staff", "service")
        .order_by("starts_at", "pk")
    )
    days: dict[dt.date, list[Appointment]] = {}
    for appointment in upcoming:
        days.setdefault(appointment.starts_at.astimezone(store.tzinfo).date(), []).append(appointment)
    return render(request, "reactivation/appointments.html", {"store": store, "today": today, "days": days})


@require_POST
@requires(Capability.MANAGE_APPOINTMENTS)
def appointment_status(request: StaffRequest, appointment_id: int) -> HttpResponse:
    store = store_for(request, Capability.MANAGE_APPOINTMENTS)
    appointment = get_object_or_404(
        Appointment.objects.select_related("customer__store"), pk=appointment_id, store=store
    )
    mark = request.POST.get("status", "")
    if mark == "attended":  # the visit registration marks it attended, with the visit itself
        return redirect(
            f"{reverse('reactivation:visit_new')}?customer={appointment.customer_id}&appointment={appointment.pk}"
        )
    if mark not in MARKS:
        messages.error(request, _("Choose attended, no-show or cancelled."))
        return redirect("reactivation:appointments")
    try:
        appointment_mark(by=request.user, appointment=appointment, status=MARKS[mark])
    except AppointmentClosed:
        messages.info(request, _("This appointment was already marked."))
    else:
        text = _("%(name)s: %(status)s.") % {
            "name": appointment.customer.name,
            "status": appointment.get_status_display(),
        }
        if appointment.customer.dormant_since:
            text += " " + _("She is back on her call list.")
        messages.success(request, text)
    return redirect("reactivation:appointments")
