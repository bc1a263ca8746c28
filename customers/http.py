"""The request every staff page receives, for type checking: signed in, a `Staff`, with htmx details.

The views' decorator (`customers.access.requires`) guarantees the signed-in part.
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import Staff


class StaffRequest(HttpRequest):
    user: Staff
    htmx: HtmxDetails


class UploadRequest(HttpRequest):
    """A request whose upload `UploadSizeLimit` watches: the handler sets `upload_too_large` when it stops it."""

    upload_too_large: bool


def form_token(request: HttpRequest) -> uuid.UUID:
    """The form token a page renders into a form that creates something (`client_token`): the one
    posted back, so that a repeat is recognised, or a new one for a fresh form."""
    try:
        return uuid.UUID(request.POST.get("client_token", ""))
    except ValueError:
        return uuid.uuid4()
