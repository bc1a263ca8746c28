from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from customers.access import Capability, requires
from customers.http import StaffRequest

from ..selectors.calls import call_list_for, latest_run, overnight_changes_for

PAGE_SIZE = 50


@requires(Capability.WORK_CALL_LIST)
def call_list(request: StaffRequest) -> HttpResponse:
    """My call list: the customers given to me, the most overdue first, and why my list changed overnight."""
    user = request.user
    store = user.store
    if store is None:  # a store's staff always has one; an account imported without one has no list
        raise Http404
    today = store.today()
    page = Paginator(call_list_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reactivation/call_list.html",
        {
            "page": page,
            "today": today,
            "run": latest_run(store.pk),
            "changes": overnight_changes_for(user),
        },
    )
