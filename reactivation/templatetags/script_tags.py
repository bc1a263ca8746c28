from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from ..placeholders import PLACEHOLDERS, TOKEN, format_money

register = template.Library()


@register.filter
def with_placeholders(text: str) -> str:
    """A script's raw text, escaped, with each known placeholder marked so a manager sees what gets filled."""
    escaped = str(conditional_escape(text))
    marked = TOKEN.sub(
        lambda m: f'<span class="ph">{m.group(0)}</span>' if m.group(1) in PLACEHOLDERS else m.group(0), escaped
    )
    return mark_safe(marked)  # every character of `text` was escaped above


@register.filter
def money(amount: Decimal | None) -> str:
    """¥1,280 / ¥99.50, as the scripts write it."""
    return format_money(amount or 0, "en")
