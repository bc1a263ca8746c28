"""Escalation to the store manager (DESIGN §4.4), as a pure rule."""

from __future__ import annotations

from collections.abc import Iterable

from .outcomes import FAILED_OUTCOMES, REACHED_OUTCOMES

ATTEMPTS_BEFORE_ESCALATION = 3


def should_escalate(outcomes_in_spell: Iterable[str]) -> bool:
    """Three failed contact attempts (refused, no answer, unreachable) in the current dormant spell,
    with no successful contact after them, hand the customer to the manager.

    `outcomes_in_spell` is in the order the contacts happened. A message sent is
    neither an attempt nor a success.
    """
    failed_since_success = 0
    for outcome in outcomes_in_spell:
        if outcome in REACHED_OUTCOMES:
            failed_since_success = 0
        elif outcome in FAILED_OUTCOMES:
            failed_since_success += 1
    return failed_since_success >= ATTEMPTS_BEFORE_ESCALATION
