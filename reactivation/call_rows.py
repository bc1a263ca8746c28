"""The call list's rows, written in Python.

A page of the call list is twenty-five rows of a dozen conditions, translations and dates each; through
the template language they cost more than reading the rows from the database. This writes the same bytes
(`_call_rows.html` kept them as one template before): texts through the same gettext messages, every value
through `conditional_escape`, dates as the `date` filter formats them in the reader's time zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in django-stubs
from django.utils.translation import gettext, ngettext

from customers.buckets import Bucket
from customers.models import Customer, Staff

from .outcomes import Outcome

_BUCKETS = dict(Bucket.choices)
_OUTCOMES = dict(Outcome.choices)
DUE, NEW = 1, 2  # selectors.calls.Queue: the sections that carry a badge


def call_rows_html(
    customers: Iterable[Customer], *, user: Staff, urls: dict[str, tuple[str, str]], show_number: str
) -> SafeString:
    """Every row of a page, each as `<li class="call-row">` with the whitespace the template wrote."""
    manager_pk = user.pk if user.is_manager else None
    number = _e(show_number)
    return mark_safe("".join(_row(c, manager_pk, urls, number) for c in customers))  # every value escaped in _row


def _row(c: Customer, manager_pk: int | None, urls: dict[str, tuple[str, str]], show_number: str) -> str:
    pk = f"{int(c.pk):d}"
    card_url = _e(_url(urls["customer_card"], pk))
    reveal_url = _e(_url(urls["reveal_phone"], pk))
    queue = c.queue  # type: ignore[attr-defined]
    return (
        f'\n  <li class="list-group-item call-row" data-customer="{pk}" data-queue="{_e(localize(queue))}">\n'
        '    <div class="d-flex justify-content-between align-items-start gap-2">\n'
        '      <div class="min-w-0">\n'
        f'        <a class="fw-semibold call-name" href="{card_url}">{_e(c.name)}</a>\n'
        f"        {_bucket_badge(c)}\n"
        f"        {_queue_badge(queue)}\n"
        f"        {_escalated_badge(c)}\n"
        '        <div class="small text-secondary">\n'
        f"          {_last_visit(c)}\n"
        f"          {_months_away(c)}\n"
        "        </div>\n"
        f"        {_card(c)}\n"
        f"        {_last_contact(c)}\n"
        f"        {_assignee(c, manager_pk)}\n"
        "      </div>\n"
        '      <div class="text-end text-nowrap">\n'
        "        \n"
        f'        <span class="phone" id="phone-{pk}"><span class="text-secondary small d-block">'
        f'{_e(c.masked_phone)}</span><button type="button" class="btn btn-sm btn-outline-secondary mt-1" '
        f'hx-post="{reveal_url}" hx-target="#phone-{pk}" hx-swap="outerHTML">{show_number}</button></span>\n'
        "      </div>\n"
        "    </div>\n"
        "  </li>\n"
        "  "
    )


def _bucket_badge(c: Customer) -> str:
    if c.aftercare_due:  # type: ignore[attr-defined]
        return f'<span class="badge text-bg-info ms-1">{gettext("Aftercare")}</span>'
    label = _BUCKETS.get(c.bucket, c.bucket)
    return f'<span class="badge bucket-{_e(c.bucket)} ms-1">{_e(str(label))}</span>'


def _queue_badge(queue: int) -> str:
    if queue == DUE:
        return f'<span class="badge text-bg-warning ms-1">{gettext("Due")}</span>'
    if queue == NEW:
        return f'<span class="badge text-bg-light border ms-1">{gettext("Not contacted yet")}</span>'
    return ""


def _escalated_badge(c: Customer) -> str:
    return f'<span class="badge text-bg-danger ms-1">{gettext("Escalated")}</span>' if c.escalated_on else ""


def _last_visit(c: Customer) -> str:
    if not c.last_visit_on:
        return gettext("never visited")
    text = gettext("last visit %(date)s") % {"date": _e(_ymd(c.last_visit_on))}
    if c.last_beautician:
        text += f" · {_e(str(c.last_beautician))}"
    return text


def _months_away(c: Customer) -> str:
    if not c.months_away:
        return ""
    n = c.months_away
    return " · " + ngettext("%(counter)s month away", "%(counter)s months away", n) % {"counter": _e(localize(n))}


def _card(c: Customer) -> str:
    balance, sessions = c.card_balance, c.sessions_left  # type: ignore[attr-defined]
    if not (balance or sessions):
        return ""
    on_card = gettext("¥%(amount)s on card") % {"amount": _e(localize(balance))} if balance else ""
    left = ""
    if sessions:
        left = (" · " if balance else "") + ngettext(
            "%(counter)s session left", "%(counter)s sessions left", sessions
        ) % {"counter": _e(localize(sessions))}
    return f'\n        <div class="small">\n          {on_card}\n          {left}\n         \n        </div>\n        '


def _last_contact(c: Customer) -> str:
    if not c.last_contact_at:
        return ""
    outcome = _e(str(_OUTCOMES.get(c.last_contact_outcome, "")))
    text = f"{gettext('Last contact')}: {_md(template_localtime(c.last_contact_at))} {outcome}"
    if c.next_follow_up_on:
        text += f" · {gettext('next')} {_md(c.next_follow_up_on)}"
    return f'\n        <div class="small text-secondary">{text}</div>\n        '


def _assignee(c: Customer, manager_pk: int | None) -> str:
    if manager_pk is None or c.assignee_id == manager_pk:
        return ""
    name = _e(str(c.assignee)) if c.assignee else "—"
    return f'<div class="small text-secondary">{gettext("Assigned to")} {name}</div>'


def _url(pattern: tuple[str, str], pk: str) -> str:
    return f"{pattern[0]}{pk}{pattern[1]}"


def _ymd(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def _md(day: dt.date) -> str:
    return f"{day.month:02d}-{day.day:02d}"


def _e(value: object) -> str:
    return conditional_escape(value)  # type: ignore[arg-type]
