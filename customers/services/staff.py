"""Staff accounts: unlocking a sign-in that the lockout paused."""

from __future__ import annotations

import datetime as dt

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..audit import audit_unlock
from ..models import Staff


def staff_unlock(*, by: Staff, member: Staff) -> int:
    """Clear every failed sign-in of `member`'s user name (from any address), audited; the count cleared.
    Who may unlock whom is the caller's check (`manageable_staff`)."""
    with transaction.atomic():
        cleared = reset(username=member.username)
        audit_unlock(actor=by, member=member, attempts=cleared)
    return cleared


def locked_out_usernames(usernames: list[str]) -> set[str]:
    """Which of `usernames` the lockout is holding back now (one query)."""
    since = timezone.now() - dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    attempts = AccessAttempt.objects.filter(
        username__in=usernames, failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    )
    return set(attempts.values_list("username", flat=True))
