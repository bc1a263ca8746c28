"""Model change history (django-auditlog), with phone numbers masked in the log.

Staff who leave need no signal here: Django's ModelBackend refuses sessions of
inactive users, so a deactivated account is signed out at its next request.
"""

from __future__ import annotations

from auditlog.registry import auditlog

from .models import Card, Customer, Staff, Store

auditlog.register(Store)
auditlog.register(Staff, exclude_fields=["password", "last_login"])
auditlog.register(Customer, mask_fields=["phone"], exclude_fields=["updated_at", *Customer.ROUTINE_FIELDS])
auditlog.register(Card)
