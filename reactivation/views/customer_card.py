from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from customers.access import Capability, get_customer_for, may_see_full_phone, requires
from customers.http import StaffRequest

from ..selectors.calls import customer_history
from ..selectors.script_panel import scripts_for_customer


@requires(Capability.SEE_CUSTOMERS)
def customer_card(request: StaffRequest, customer_id: int) -> HttpResponse:
    customer = get_customer_for(request.user, customer_id)
    return render(
        request,
        "customers/customer_card.html",
        {
            "customer": customer,
            "may_reveal": may_see_full_phone(request.user, customer),
            **customer_history(customer),
            "scripts_panel": scripts_for_customer(customer=customer, user=request.user),
        },
    )
