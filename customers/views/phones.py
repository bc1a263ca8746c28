from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..access import can_see_full_phone, get_customer_for, require_role
from ..audit import audit_phone_reveal
from ..http import StaffRequest
from ..models import Staff


@never_cache  # the full number is never kept by a browser's or a proxy's cache
@require_POST
@require_role(Staff.Role.MANAGER, Staff.Role.BEAUTICIAN, Staff.Role.FRONT_DESK)
def reveal_phone(request: StaffRequest, customer_id: int) -> HttpResponse:
    """Show the full number to the customer's assignee or her store's manager, and write it in the audit log."""
    customer = get_customer_for(request.user, customer_id)
    if not can_see_full_phone(request.user, customer):
        raise Http404
    audit_phone_reveal(actor=request.user, customer=customer)
    return render(request, "customers/_phone.html", {"customer": customer, "revealed": True})
