"""The request every staff page receives, for type checking: signed in, a `Staff`, with htmx details.

The views' decorator (`customers.access.requires`) guarantees the signed-in part.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import Staff


class StaffRequest(HttpRequest):
    user: Staff
    htmx: HtmxDetails


class UploadRequest(HttpRequest):
    """A request whose upload `UploadSizeLimit` watches: the handler sets `upload_too_large` when it stops it."""

    upload_too_large: bool
