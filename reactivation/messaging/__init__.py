"""Sending text messages to customers, through a pluggable backend like Django's e-mail backends.

`settings.SMS_BACKEND` names the backend class: the console and file backends
for development, the locmem backend for tests (messages collect in `outbox`), a
real SMS gateway later. Nothing here decides *whether* a message may go: that is
`reactivation.services.messages.sms_send`, which every send goes through.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from customers.phones import mask_phone

# Filled by the locmem backend; tests empty it before each use.
outbox: list[SmsMessage] = []


class SmsSendError(Exception):
    """The backend could not hand the message over."""


@dataclass(frozen=True)
class SmsMessage:
    to: str  # the 11-digit mobile number; never written to a log, see `masked_to`
    body: str
    store_code: str = ""

    @property
    def masked_to(self) -> str:
        return mask_phone(self.to)


def get_connection(backend: str | None = None, **kwargs):
    """An instance of the configured backend (or of `backend`, a dotted path)."""
    return import_string(backend or settings.SMS_BACKEND)(**kwargs)


def backend_name(connection) -> str:
    return f"{type(connection).__module__}.{type(connection).__name__}"
