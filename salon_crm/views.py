from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect

from customers.access import Capability, may, requires
from customers.http import StaffRequest


@requires(Capability.SIGN_IN)
def home(request: StaffRequest) -> HttpResponse:
    """Each role starts where its work is: managers and owners on the dashboard, everyone else on the call list."""
    user = request.user
    if may(user, Capability.SEE_DASHBOARD):
        return redirect("reactivation:dashboard")
    return redirect("reactivation:call_list")
