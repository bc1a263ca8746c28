"""The reward sheet (/rewards/?month=YYYY-MM): each person's reward and what earned it; ?format=xlsx (or csv)
downloads it, audited."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from customers.access import Capability, requires, store_for, store_query
from customers.audit import audit_export
from customers.http import StaffRequest
from customers.spreadsheets import csv_bytes, xlsx_bytes

from ..selectors.rewards import RewardSheet, reward_sheet


def chosen_month(request: StaffRequest, today: dt.date) -> dt.date:
    """`?month=YYYY-MM`, else this month (with a message when the value is not a month)."""
    value = request.GET.get("month", "")
    if value:
        try:
            year, month = (int(part) for part in value.split("-"))
            return dt.date(year, month, 1)
        except ValueError:
            messages.error(request, _("“%(value)s” is not a month: write it as YYYY-MM.") % {"value": value})
    return today.replace(day=1)


@requires(Capability.SEE_REWARDS)
def reward_sheet_view(request: StaffRequest) -> HttpResponse:
    store = store_for(request, Capability.SEE_REWARDS)
    sheet = reward_sheet(store, chosen_month(request, store.today()))
    if request.GET.get("format") in {"xlsx", "csv"}:
        return _download(request, sheet, request.GET["format"])
    context = {"store": store, "sheet": sheet, "store_query": store_query(request.user, store)}
    return render(request, "reactivation/rewards.html", context)


def _download(request: StaffRequest, sheet: RewardSheet, file_format: str) -> HttpResponse:
    file_name = f"rewards-{sheet.store.code}-{sheet.first:%Y-%m}.{file_format}"
    people = [
        [row.person.username, str(row.person), row.person.get_role_display(), row.reward.returned_in_month,
         row.reward.visits, row.reward.visit_reward, row.reward.spend_bonus, row.reward.activations,
         row.reward.activation_bonus, row.reward.total]
        for row in sheet.rows
    ]  # fmt: skip
    behind = [
        [sheet.customer_names.get(e.facts.customer_id, ""), e.facts.returned_on, str(sheet.person_of(e) or ""),
         e.facts.spend, e.visits, e.visit_reward, e.spend_bonus, e.activated_on or ""]
        for e in sheet.returns
    ]  # fmt: skip
    people_header = [
        _("Username"), _("Name"), _("Role"), _("Returned this month"), _("Visits"), _("Per-visit reward"),
        _("Spend bonus"), _("Activations"), _("Activation bonus"), _("Total"),
    ]  # fmt: skip
    behind_header = [
        _("Customer"), _("Returned on"), _("Credited to"), _("Spent on the return visit"), _("Visits this month"),
        _("Per-visit reward"), _("Spend bonus"), _("Activated on"),
    ]  # fmt: skip
    if file_format == "csv":  # one table: each person's reward
        body, content_type = csv_bytes(people_header, people), "text/csv; charset=utf-8"
    else:
        body = xlsx_bytes([(_("Rewards"), people_header, people), (_("Returns"), behind_header, behind)])
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    audit_export(actor=request.user, store=sheet.store, what="rewards", rows=len(people), file_name=file_name)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
