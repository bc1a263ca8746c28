"""The store's audit trail (/audit/): who changed what and who looked at which data, for the manager and head office."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from customers.access import Capability, requires, store_for, store_query
from customers.http import StaffRequest

from ..forms.audit_trail import TrailFilterForm
from ..selectors.audit_trail import Cursor, TrailFilters, audit_trail


@requires(Capability.SEE_AUDIT_TRAIL)
def audit_trail_view(request: StaffRequest) -> HttpResponse:
    store = store_for(request, Capability.SEE_AUDIT_TRAIL)
    form = TrailFilterForm(request.GET or None, store=store)
    filters = TrailFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = TrailFilters(
            kind=data["kind"],
            actor_id=data["person"],
            start=data["start"],
            end=data["end"],
            after=Cursor.parse(request.GET.get("after", "")),
        )
    page = audit_trail(store, filters)
    query = request.GET.copy()
    query.pop("after", None)
    if request.user.is_head_office:
        query["store"] = store.code
    context = {
        "store": store,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "first_page": filters.after is None,
        "store_query": store_query(request.user, store),
    }
    response = render(request, "reactivation/audit_trail.html", context)
    response["Cache-Control"] = "no-store"  # it names customers and what was done with their data
    return response
