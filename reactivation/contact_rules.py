"""May a message go to this customer now? Do-not-contact, her consent to marketing (PIPL), and a
per-customer frequency cap.

Pure functions of plain values: `today` is the store's local date, passed in.
"""

from __future__ import annotations

import datetime as dt

DO_NOT_CONTACT = "do_not_contact"
NO_MARKETING_CONSENT = "no_marketing_consent"
FREQUENCY_CAP = "frequency_cap"


def next_marketing_day(last_marketing_on: dt.date | None, cap_days: int) -> dt.date | None:
    """The first day another marketing message may go: `cap_days` calendar days after the last one.

    None when nothing holds it back (no marketing message yet, or no cap set).
    """
    if last_marketing_on is None or cap_days <= 0:
        return None
    return last_marketing_on + dt.timedelta(days=cap_days)


def send_refusal(
    *,
    do_not_contact: bool,
    marketing_consent: bool,
    is_marketing: bool,
    last_marketing_on: dt.date | None,
    cap_days: int,
    today: dt.date,
) -> str | None:
    """Why a message may not be sent today (DO_NOT_CONTACT, NO_MARKETING_CONSENT, FREQUENCY_CAP), or None.

    Do-not-contact stops every message. A marketing message needs her consent, and the cap counts
    marketing messages only: an appointment confirmation or a reminder always goes.
    """
    if do_not_contact:
        return DO_NOT_CONTACT
    if is_marketing and not marketing_consent:
        return NO_MARKETING_CONSENT
    if is_marketing:
        allowed_from = next_marketing_day(last_marketing_on, cap_days)
        if allowed_from is not None and today < allowed_from:
            return FREQUENCY_CAP
    return None
