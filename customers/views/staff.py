"""Staff accounts for the manager: who works here, setting a password for someone who has none
(staff imported from a file) or forgot hers, and unlocking a sign-in the lockout paused."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..access import Capability, manageable_staff, requires, visible_staff
from ..audit import audit_password_set
from ..http import StaffRequest
from ..models import Staff
from ..services.staff import locked_out_usernames, staff_unlock


@requires(Capability.MANAGE_STAFF)
def staff_list(request: StaffRequest) -> HttpResponse:
    ordered = visible_staff(request.user).select_related("store").order_by("store__code", "-is_active", "role", "name")
    manageable = set(manageable_staff(request.user).values_list("pk", flat=True))
    members = list(ordered)
    locked = locked_out_usernames([member.username for member in members])
    context = {"members": members, "manageable": manageable, "locked": locked}
    return render(request, "customers/staff_list.html", context)


@requires(Capability.MANAGE_STAFF)
def staff_password(request: StaffRequest, staff_id: int) -> HttpResponse:
    """Set a staff member's password, audited; anyone the user may not manage is a 404.
    A password set by a store manager stops working if the account's role or store changes (see Staff)."""
    member: Staff = get_object_or_404(manageable_staff(request.user), pk=staff_id)
    form = SetPasswordForm(member, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            if not request.user.is_head_office:
                member.password_set_by_manager = True
                member.save(update_fields=["password_set_by_manager"])
            audit_password_set(actor=request.user, member=member)
        done = _("The password of %(name)s is set. Hand it over in person, not by message.") % {"name": member}
        messages.success(request, done)
        return redirect("customers:staff")
    return render(request, "customers/staff_password.html", {"member": member, "form": form})


@require_POST
@requires(Capability.MANAGE_STAFF)
def staff_unlock_view(request: StaffRequest, staff_id: int) -> HttpResponse:
    """Let a locked-out member sign in again at once, audited; anyone the user may not manage is a 404."""
    member: Staff = get_object_or_404(manageable_staff(request.user), pk=staff_id)
    staff_unlock(by=request.user, member=member)
    messages.success(request, _("%(name)s can sign in again.") % {"name": member})
    return redirect("customers:staff")
