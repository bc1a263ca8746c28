from __future__ import annotations

from django import template

from ..outcomes import Outcome

register = template.Library()
_LABELS = dict(Outcome.choices)


@register.filter
def outcome_label(outcome: str) -> str:
    """What came of a contact, in the reader's language ("" when there was none)."""
    return str(_LABELS.get(outcome, ""))
