from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from reactivation.selectors.calls import customer_history
from reactivation.selectors.script_panel import scripts_for_customer

from ..access import can_see_full_phone, get_customer_for, require_role
from ..http import StaffRequest
from ..models import Staff


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
