from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from customers.access import Capability, requires, store_for, store_query, visible_stores
from customers.buckets import DORMANT_BUCKETS, SHORT_LABELS
from customers.http import StaffRequest
from customers.models import Store

from ..reasons import Reason
from ..rewards import month_bounds
from ..selectors.chain import chain_board
from ..selectors.dashboard import store_dashboard
from ..selectors.results import reason_follow_ups
from ..selectors.rewards import month_moments
from .rewards import chosen_month


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
        board = store_dashboard(store, store.today())
        context["board"] = board
        context["bucket_labels"] = [SHORT_LABELS[b] for b in DORMANT_BUCKETS]
        context["store_query"] = store_query(request.user, store)
        context["chart_months"] = {"now": _("This month"), "before": _("Last month")}
    return render(request, "reactivation/dashboard.html", context)


@requires(Capability.SEE_DASHBOARD)
def reason_contacts(request: StaffRequest, reason: str) -> HttpResponse:
    """The contacts behind one reason in a month (?month=YYYY-MM), with their notes: the staff meeting's detail."""
    if reason not in Reason.values:
        raise Http404
    store = store_for(request, Capability.SEE_DASHBOARD)
    first, last = month_bounds(chosen_month(request, store.today()))
    start, end = month_moments(store, first, last)
    context = {
        "store": store,
        "reason": Reason(reason),
        "first": first,
        "rows": reason_follow_ups(store, reason, start, end)[:500],
        "store_query": store_query(request.user, store),
    }
    return render(request, "reactivation/reason_contacts.html", context)


@requires(Capability.COMPARE_STORES)
def chain_dashboard(request: StaffRequest) -> HttpResponse:
    """Every store side by side, with the chain's totals (head office)."""
    stores = list(visible_stores(request.user).filter(is_active=True).order_by("code"))
    board = chain_board(stores)
    return render(request, "reactivation/chain_dashboard.html", {"board": board})
