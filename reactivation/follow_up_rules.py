"""What a logged contact means for what happens next, as pure functions of plain values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .outcomes import Outcome
from .reasons import Reason

# A complaint the manager answers in person, the same day (the seeds: the manager apologises).
COMPLAINTS: frozenset[str] = frozenset({Reason.SERVICE, Reason.RESULTS, Reason.OVERSOLD})
# Talked but not booked: try again in a week.
TALKED_AGAIN_IN = dt.timedelta(days=7)


def default_next_follow_up(outcome: str, today: dt.date) -> dt.date | None:
    """The next follow-up date the form proposes for an outcome (the person may change it).

    No answer or a number that failed → tomorrow; "call me later" → tomorrow unless she named a day;
    talked or refused → in a week; booked or asked not to be contacted → none (her appointment, or never).
    """
    if outcome in (Outcome.NO_ANSWER, Outcome.UNREACHABLE, Outcome.CALL_BACK):
        return today + dt.timedelta(days=1)
    if outcome in (Outcome.REACHED, Outcome.REFUSED, Outcome.MESSAGE_SENT):
        return today + TALKED_AGAIN_IN
    return None


def is_complaint(reasons: Iterable[str]) -> bool:
    return any(reason in COMPLAINTS for reason in reasons)
