"""The manager moves customers by hand (/reassign/?staff=USERNAME) and lets a leaver go (/staff/<id>/deactivate/)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from customers.access import Capability, manageable_staff, requires, store_for
from customers.http import StaffRequest
from customers.models import Customer, Staff

from ..services.reassign import TAKES_CUSTOMERS, customers_reassign, staff_deactivate


@requires(Capability.REASSIGN)
def reassign(request: StaffRequest) -> HttpResponse:
    """One person's customers with checkboxes (?staff=USERNAME); move the ticked ones to another active member."""
    store = store_for(request, Capability.REASSIGN)
    team = Staff.objects.filter(store=store, is_active=True, role__in=TAKES_CUSTOMERS).order_by("role", "username")
    username = request.POST.get("staff") or request.GET.get("staff")
    if not username:  # choose whose customers to move
        holders = Staff.objects.filter(store=store, assigned_customers__isnull=False).distinct().order_by("username")
        return render(request, "reactivation/reassign.html", {"store": store, "holders": holders})
    holder = get_object_or_404(Staff, store=store, username=username)
    held = Customer.objects.filter(store=store, assignee=holder).order_by("bucket", "last_visit_on", "pk")
    if request.method == "POST":
        to = team.filter(pk=request.POST.get("to", "")).first() if request.POST.get("to", "").isdigit() else None
        chosen = held.filter(pk__in=request.POST.getlist("customers"))
        if to is None or not chosen:
            messages.error(request, _("Tick the customers to move and choose who takes them."))
        else:
            moved = customers_reassign(by=request.user, customers=chosen, to=to)
            done = ngettext("%(n)d customer moved to %(to)s.", "%(n)d customers moved to %(to)s.", moved)
            messages.success(request, done % {"n": moved, "to": to})
            return redirect(f"/reassign/?staff={holder.username}")
    context = {"store": store, "holder": holder, "customers": held[:500], "team": team.exclude(pk=holder.pk)}
    return render(request, "reactivation/reassign.html", context)


@require_POST
@requires(Capability.MANAGE_STAFF)
def staff_leave(request: StaffRequest, staff_id: int) -> HttpResponse:
    """A beautician or front desk has left: deactivate her, and her customers move at once by the engine's rule."""
    member: Staff = get_object_or_404(
        manageable_staff(request.user).filter(is_active=True, store__isnull=False), pk=staff_id
    )
    try:
        went = staff_deactivate(by=request.user, member=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("customers:staff")
    where = "; ".join(f"{person or _('nobody')}: {n}" for person, n in sorted(went.items(), key=lambda i: str(i[0])))
    total = sum(went.values())
    said = ngettext(
        "%(name)s is deactivated. Her %(n)d customer went to: %(where)s.",
        "%(name)s is deactivated. Her %(n)d customers went to: %(where)s.",
        total,
    )
    if not total:
        said = _("%(name)s is deactivated. She held no customers.")
    messages.success(request, said % {"name": member, "n": total, "where": where})
    return redirect("customers:staff")
