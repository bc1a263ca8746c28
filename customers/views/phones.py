from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..access import Capability, get_customer_for, may_see_full_phone, requires
from ..audit import audit_phone_reveal
from ..http import StaffRequest


@never_cache  # the full number is never kept by a browser's or a proxy's cache
@require_POST
@requires(Capability.REVEAL_PHONE)
def reveal_phone(request: StaffRequest, customer_id: int) -> HttpResponse:
    """Show the full number to the customer's assignee or her store's manager, and write it in the audit log."""
    customer = get_customer_for(request.user, customer_id)
    if not may_see_full_phone(request.user, customer):
        raise Http404
    audit_phone_reveal(actor=request.user, customer=customer)
    return render(request, "customers/_phone.html", {"customer": customer, "revealed": True})
