from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..access import require_role
from ..models import Staff


@require_role(Staff.Role.OWNER, Staff.Role.MANAGER)
def import_home(request: HttpRequest) -> HttpResponse:
    return render(request, "customers/imports.html")
