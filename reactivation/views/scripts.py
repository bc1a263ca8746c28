from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def script_library(request: HttpRequest) -> HttpResponse:
    return render(request, "reactivation/scripts.html")
