from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from customers.access import require_role
from customers.models import Staff


@require_role(Staff.Role.MANAGER, Staff.Role.BEAUTICIAN, Staff.Role.FRONT_DESK)
def call_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reactivation/call_list.html")
