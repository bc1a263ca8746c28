from __future__ import annotations

from django import template

from customers.buckets import Bucket

from ..outcomes import Outcome

register = template.Library()
_LABELS = dict(Outcome.choices)
_BUCKETS = dict(Bucket.choices)


@register.filter
def outcome_label(outcome: str) -> str:
    """What came of a contact, in the reader's language ("" when there was none)."""
    return str(_LABELS.get(outcome, ""))


@register.filter
def bucket_label(bucket: str) -> str:
    """A bucket's label in the reader's language: a dictionary look-up, for lists that show one per row."""
    return str(_BUCKETS.get(bucket, bucket))


@register.simple_tag
def url_with_id(pattern: tuple[str, str], pk: int) -> str:
    """A URL of `ids_in_urls` for one id: two strings joined, where `{% url %}` resolves the pattern per row."""
    return f"{pattern[0]}{int(pk)}{pattern[1]}"
