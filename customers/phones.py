"""Mainland mobile numbers: normalising what people type, masking what people see.

Numbers are stored as the 11-digit national number (`13812345678`), whatever
form they arrived in (`+86 138-1234-5678`, `0086…`, full-width digits), so that
uniqueness per store holds however the number was written.
"""

from __future__ import annotations

import logging
import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s\-–—()（）.·_/]+")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# In free text a number is written as it is said: 139 1234 5678, 139-1234-5678, +86 139…, 86139….
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)((?:\+?86[\s-]?)?1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
_MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def normalize_phone(raw: object) -> str:
    """Return the 11-digit mainland mobile number in `raw`, or raise ValidationError.

    Accepts spaces, dashes, brackets, full-width digits, a `+86`/`0086`/`86`
    prefix, and numbers that spreadsheets turned into floats (`13812345678.0`).
    """
    digits = phone_digits(raw)
    if not _MOBILE.match(digits) or not _is_mobile(digits):
        raise ValidationError(
            _("“%(value)s” is not a valid mainland mobile number (11 digits starting with 1)."),
            code="invalid_phone",
            params={"value": str(raw if raw is not None else "")[:40]},
        )
    return digits


def phone_digits(raw: object) -> str:
    """The number in `raw` in the stored form, without checking that it is a valid mobile number.

    Cheap enough to run on every row of a million-row visits file before looking the customers up;
    `normalize_phone` adds the validation.
    """
    text = unicodedata.normalize("NFKC", str(raw if raw is not None else "")).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    digits = _SEPARATORS.sub("", text)
    if digits.startswith("+86"):
        return digits[3:]
    if digits.startswith("0086"):
        return digits[4:]
    if digits.startswith("86") and len(digits) == 13:
        return digits[2:]
    return digits


def _is_mobile(digits: str) -> bool:
    try:
        parsed = phonenumbers.parse(digits, "CN")
    except phonenumbers.NumberParseException:  # e.g. 1799…: read as a carrier-selection prefix, then nothing
        return False
    return phonenumbers.is_valid_number(parsed) and phonenumbers.number_type(parsed) in _MOBILE_TYPES


# An anonymised customer's "number" (customers/privacy.py): `#` and her id, which no real number equals.
_ANONYMISED = re.compile(r"^#\d{10}$")


def anonymised_phone(customer_id: int) -> str:
    return f"#{customer_id:010d}"


def is_anonymised_phone(value: object) -> bool:
    return isinstance(value, str) and bool(_ANONYMISED.match(value))


def mask_phone(phone: object) -> str:
    """`13812345678` → `138****5678`; anything shorter is starred but for its last two characters."""
    text = str(phone or "")
    if len(text) == 11:
        return f"{text[:3]}****{text[-4:]}"
    return "*" * max(len(text) - 2, 0) + text[-2:]


def mask_phones_in_text(text: str) -> str:
    """Mask every mobile number that appears inside free text (log lines, notes, import reports)."""
    return _MOBILE_IN_TEXT.sub(lambda found: f"{found[1]}****{found[3]}", text)


class MaskPhonesFilter(logging.Filter):
    """Logging filter: no full phone number ever reaches a log file, in a message or in a traceback.

    Every handler carries it (settings LOGGING; gunicorn through salon_crm.gunicorn_logger).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_phones_in_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            # Formatters print exc_text when it is set: mask the traceback once, here.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_phones_in_text(record.exc_text)
        return True
