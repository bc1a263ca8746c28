from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect

from customers.http import StaffRequest


@login_required
def home(request: StaffRequest) -> HttpResponse:
    """Each role starts where its work is: managers and owners on the dashboard, everyone else on the call list."""
    user = request.user
    if user.is_manager or user.is_owner:
        return redirect("reactivation:dashboard")
    return redirect("reactivation:call_list")
