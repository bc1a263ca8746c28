"""The store dashboard's "who is calling whom" rows, built in one pass.

A dozen people with some twenty cells each are the page's largest loop after the trend (which the board prints
itself); through the template language, with a look-up, a filter and an escape per cell, they cost more than
the rest of the page's markup together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template
from django.template.defaultfilters import urlencode
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from customers.models import Staff

    from ..selectors.dashboard import AssigneeRow, Dashboard

register = template.Library()

_CELL = '<td class="text-end">{}</td>'


def _numbers(values: list[int]) -> SafeString:
    return mark_safe("".join(_CELL.format(int(v)) for v in values))  # whole numbers only: nothing to escape


@register.simple_tag
def assignee_rows(board: Dashboard, user: Staff) -> SafeString:
    """The table's body: a row per person (her customers per bucket, what she did this week and month, what
    waits for her), then the dormant customers nobody calls."""
    return format_html_join("\n", "{}", ((_row(row, user),) for row in board.rows))


def _row(row: AssigneeRow, user: Staff) -> SafeString:
    counts = _numbers(row.cells())
    total = format_html('<td class="text-end fw-semibold">{}</td>', int(row.total))
    staff = row.staff
    if staff is None:
        return format_html(
            '<tr class="text-secondary" id="not-called"><td>{} <span class="small d-block">{}</span></td>'
            '{}{}<td colspan="8"></td></tr>',
            _("Not called"), _("do not contact, visit booked, or nobody to call"), counts, total,
        )  # fmt: skip
    if user.is_manager:
        name = format_html('<a href="/calls/?staff={}" class="staff-calls">{}</a>', urlencode(staff.username), staff)
    else:
        name = format_html("{}", staff)
    r = row.results
    done = _numbers([r.contacted_this_week, r.reached, r.booked, r.returned, r.activated])
    waiting = format_html(
        '<td class="text-end{}">{}</td><td class="text-end">{}</td>',
        " text-danger" if r.overdue else "", int(r.overdue), int(r.escalated),
    )  # fmt: skip
    reassign = (
        format_html('<a class="small" href="/reassign/?staff={}">{}</a>', urlencode(staff.username), _("Reassign"))
        if row.total and not user.is_head_office
        else ""
    )
    return format_html(
        '<tr{}><td>{} <span class="text-secondary small">{}{}</span></td>{}{}{}{}<td class="d-print-none">{}</td></tr>',
        mark_safe(' class="table-warning"') if not staff.is_active else "",
        name, staff.get_role_display(), format_html(" · {}", _("left")) if not staff.is_active else "",
        counts, total, done, waiting, reassign,
    )  # fmt: skip
