"""gunicorn's logs with the phone mask: its access log prints every URL, and a URL can hold a
phone number (`/calls/?q=13812345678`). Used by gunicorn.conf.py (`logger_class`)."""

from __future__ import annotations

from gunicorn.glogging import Logger

from customers.phones import MaskPhonesFilter


class PhoneMaskingLogger(Logger):
    def setup(self, cfg) -> None:
        super().setup(cfg)  # (re)creates the handlers: at start and whenever the log files reopen
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if not any(isinstance(existing, MaskPhonesFilter) for existing in handler.filters):
                    handler.addFilter(MaskPhonesFilter())
