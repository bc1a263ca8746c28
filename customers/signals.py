"""Model change history (django-auditlog), with phone numbers masked in the log.

Staff who leave need no signal here: Django's ModelBackend refuses sessions of
inactive users, so a deactivated account is signed out at its next request.
"""

from __future__ import annotations

from auditlog.registry import auditlog

from .models import Card, Customer, Staff, Store

# The nightly job's bookkeeping changes every night; it has its own history (AssignmentChange).
_ENGINE_FIELDS = [
    "updated_at",
    "last_visit_on",
    "last_beautician",
    "bucket",
    "months_away",
    "assignee",
    "dormant_since",
    "escalated_on",
]

auditlog.register(Store)
auditlog.register(Staff, exclude_fields=["password", "last_login"])
auditlog.register(Customer, mask_fields=["phone"], exclude_fields=_ENGINE_FIELDS)
auditlog.register(Card)
