from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render

from customers.access import Capability, requires, store_for, visible_stores
from customers.buckets import DORMANT_BUCKETS, SHORT_LABELS
from customers.http import StaffRequest
from customers.models import Store

from ..selectors.dashboard import store_dashboard


@requires(Capability.SEE_DASHBOARD)
def dashboard(request: StaffRequest) -> HttpResponse:
    """The store's picture; head office picks the store (?store=CODE)."""
    stores = visible_stores(request.user).filter(is_active=True).order_by("code")
    try:
        store: Store | None = store_for(request, Capability.SEE_DASHBOARD)
    except Http404:
        if "store" in request.GET:
            raise
        store = None  # head office of a chain with no open store yet: the page says so
    context: dict[str, object] = {"stores": stores if request.user.is_head_office else None, "store": store}
    if store is not None:
        context["board"] = store_dashboard(store, store.today())
        context["bucket_labels"] = [SHORT_LABELS[b] for b in DORMANT_BUCKETS]
    return render(request, "reactivation/dashboard.html", context)
