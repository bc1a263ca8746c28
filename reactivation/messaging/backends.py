"""SMS backends: the same interface as Django's e-mail backends (`send_messages` returns how many went).

Logs never hold a full phone number: the console and file backends write the
masked number, and mask any number that appears in the text.
"""

from __future__ import annotations

import sys
import threading
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from customers.phones import mask_phones_in_text

from . import SmsMessage, SmsSendError


class BaseBackend:
    def __init__(self, fail_silently: bool = False, **kwargs) -> None:
        self.fail_silently = fail_silently

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Writes each message to standard output: for a developer's machine."""

    def __init__(self, *args, stream=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        with self._lock:
            for message in messages:
                self.stream.write(self.format(message))
            self.stream.flush()
        return len(messages)

    @staticmethod
    def format(message: SmsMessage) -> str:
        header = f"SMS to {message.masked_to} ({message.store_code}) at {timezone.now().isoformat()}"
        return f"{header}\n{mask_phones_in_text(message.body)}\n{'-' * 40}\n"


class FileBackend(ConsoleBackend):
    """Appends messages to a file per connection in `SMS_FILE_PATH`: a record a tester can read afterwards."""

    def __init__(self, *args, file_path: str | None = None, **kwargs) -> None:
        super().__init__(*args, stream=sys.stdout, **kwargs)
        self.directory = Path(file_path or settings.SMS_FILE_PATH)
        self.path = self.directory / f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.log"

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with self._lock, self.path.open("a", encoding="utf-8") as file:
                for message in messages:
                    file.write(self.format(message))
        except OSError as error:
            if self.fail_silently:
                return 0
            raise SmsSendError(str(error)) from error
        return len(messages)


class LocmemBackend(BaseBackend):
    """Keeps messages in `reactivation.messaging.outbox`, in memory: for tests."""

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        from reactivation import messaging

        messaging.outbox.extend(messages)
        return len(messages)
