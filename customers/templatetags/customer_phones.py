"""Template filters for phone numbers that turn up where nobody asked for them: in free text."""

from __future__ import annotations

from django import template

from ..phones import mask_phones_in_text

register = template.Library()


@register.filter
def phones_masked(text: object, shown: bool = False) -> object:
    """Free text (notes, a soft-profile field) with every mobile number in it masked, unless `shown`:
    the viewer may see this customer's full number. `{{ customer.notes|phones_masked:may_reveal }}`"""
    if shown or not text:
        return text
    return mask_phones_in_text(str(text))
