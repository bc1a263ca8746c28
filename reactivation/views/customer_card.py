from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from customers.access import can_see_full_phone, get_customer_for, require_role
from customers.http import StaffRequest
from customers.models import Staff

from ..selectors.calls import customer_history
from ..selectors.script_panel import scripts_for_customer


@never_cache  # Cache-Control: no-store, private: her card stays on no shared PC's disk, in no proxy
@require_role(Staff.Role.OWNER, Staff.Role.MANAGER, Staff.Role.BEAUTICIAN, Staff.Role.FRONT_DESK)
def customer_card(request: StaffRequest, customer_id: int) -> HttpResponse:
    customer = get_customer_for(request.user, customer_id)
    return render(
        request,
        "customers/customer_card.html",
        {
            "customer": customer,
            "may_reveal": can_see_full_phone(request.user, customer),
            **customer_history(customer),
            "scripts_panel": scripts_for_customer(customer=customer, user=request.user),
        },
    )
