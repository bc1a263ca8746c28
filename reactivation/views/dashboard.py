from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from customers.access import require_role
from customers.models import Staff


@require_role(Staff.Role.OWNER, Staff.Role.MANAGER)
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "reactivation/dashboard.html")
