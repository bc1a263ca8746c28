"""The request every staff page receives, for type checking: signed in, a `Staff`, with htmx details.

The views' decorators (`require_role`, `login_required`) guarantee the signed-in part.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import Staff


class StaffRequest(HttpRequest):
    user: Staff
    htmx: HtmxDetails
