"""Password rules for staff accounts, with messages in our own catalog.

Django 5.2 changed the wording of MinimumLengthValidator's error (%d instead of %(min_length)d) and
its Chinese catalog has not caught up, so the refusal appeared in English on a Chinese page. The
message is ours here, translated with the rest of the product.
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: it must have at least %(min_length)d character.",
            "This password is too short: it must have at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
