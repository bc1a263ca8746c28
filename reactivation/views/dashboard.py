from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render

from customers.access import require_role, visible_stores
from customers.buckets import DORMANT_BUCKETS, SHORT_LABELS
from customers.http import StaffRequest
from customers.models import Staff

from ..selectors.dashboard import store_dashboard


@require_role(Staff.Role.OWNER, Staff.Role.MANAGER)
def dashboard(request: StaffRequest) -> HttpResponse:
    """The store's picture; head office picks the store (?store=CODE)."""
    stores = visible_stores(request.user).filter(is_active=True).order_by("code")
    store = stores.filter(code=request.GET["store"]).first() if "store" in request.GET else stores.first()
    if store is None and "store" in request.GET:
        raise Http404
    context: dict[str, object] = {"stores": stores if request.user.is_owner else None, "store": store}
    if store is not None:
        context["board"] = store_dashboard(store, store.today())
        context["bucket_labels"] = [SHORT_LABELS[b] for b in DORMANT_BUCKETS]
    return render(request, "reactivation/dashboard.html", context)
