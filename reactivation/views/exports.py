"""The call lists from the browser (/exports/call-lists/?format=csv|xlsx, DESIGN §5.3): managers only,
full phone numbers, audited, formulas neutralised."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render

from customers.access import Capability, requires, store_for
from customers.audit import audit_export
from customers.http import StaffRequest
from customers.spreadsheets import csv_bytes, xlsx_bytes

from ..management.commands.export_call_lists import COLUMNS
from ..selectors.calls import export_rows

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@requires(Capability.EXPORT)
def call_lists_export(request: StaffRequest) -> HttpResponse:
    store = store_for(request, Capability.EXPORT)
    file_format = request.GET.get("format", "")
    if not file_format:  # the page with the download links; a download is always asked for by name
        return render(request, "reactivation/exports.html", {"store": store})
    if file_format not in CONTENT_TYPES:
        raise Http404
    customers: Iterator[Any] = export_rows(store=store).iterator(chunk_size=2000)  # annotated with their cards
    rows = [
        [store.code, c.phone, c.name, c.bucket, c.months_away, c.last_visit_on.isoformat() if c.last_visit_on else "",
         c.assignee.username, c.assignee.role, f"{c.card_balance:.2f}", c.sessions_left]
        for c in customers
    ]  # fmt: skip
    file_name = f"call-lists-{store.code}-{store.today():%Y-%m-%d}.{file_format}"
    body = csv_bytes(COLUMNS, rows) if file_format == "csv" else xlsx_bytes([("call_lists", COLUMNS, rows)])
    audit_export(actor=request.user, store=store, what="call_lists", rows=len(rows), file_name=file_name)
    response = HttpResponse(body, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
