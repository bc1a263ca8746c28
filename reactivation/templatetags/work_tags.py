from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from customers.models import Customer

from ..call_rows import call_rows_html

register = template.Library()


@register.simple_tag(takes_context=True)
def call_rows(context: template.Context, customers: Iterable[Customer]) -> SafeString:
    """The call list's rows (`reactivation.call_rows`), for the signed-in person: context `row_urls` (each URL of a
    customer id, split around it) and `show_number` (the reveal button's label)."""
    return call_rows_html(customers, user=context["user"], urls=context["row_urls"], show_number=context["show_number"])
