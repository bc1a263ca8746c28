from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

from ..forms.field_html import field_html

register = template.Library()


@register.filter
def bootstrap_field(field: forms.BoundField) -> SafeString:
    """One form field in Bootstrap 5's markup: `{{ form.notes|bootstrap_field }}` (see `forms.field_html`)."""
    return field_html(field)
