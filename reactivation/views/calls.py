"""/calls/: my call list as a work queue; a manager opens anyone's (?staff=) and her escalated tab (?escalated=1)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from customers.access import Capability, may, requires, visible_staff
from customers.buckets import DORMANT_BUCKETS, Bucket
from customers.http import StaffRequest
from customers.models import Staff

from ..selectors.calls import (
    PagedQueue,
    Queue,
    call_list_for,
    contacts_today,
    escalated_list_for,
    latest_run,
    overnight_changes_for,
)
from ..selectors.rewards import my_month

PAGE_SIZE = 25  # a phone's screenful or three; the day's target is ten


@requires(Capability.WORK_CALL_LIST)
def call_list(request: StaffRequest) -> HttpResponse:
    user, store = request.user, request.user.store
    if store is None:  # a store's staff always has one; an account imported without one has no list
        raise Http404
    person = _whose_list(request)
    leads = may(user, Capability.SEE_TEAM_LISTS, store)
    escalated = leads and request.GET.get("escalated") == "1"
    show, bucket = request.GET.get("show", ""), request.GET.get("bucket", "")
    filters: dict[str, str] = {
        "show": show if show in Queue.FILTERS else "all",
        "bucket": bucket if bucket in DORMANT_BUCKETS else "",
        "q": request.GET.get("q", "")[:50],
    }
    customers = escalated_list_for(user, **filters) if escalated else call_list_for(person, **filters)
    queue = PagedQueue(customers, page_size=PAGE_SIZE, page=request.GET.get("page"))
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "today": store.today(),
        "person": person,
        "escalated": escalated,
        "leads": leads,
        "filters": filters,
        "buckets": [(b, Bucket(b).label) for b in DORMANT_BUCKETS],
        "show_choices": [("due", _("Due today")), ("new", _("Not contacted yet")), ("all", _("All"))],
        "query": _query_without_page(request),
        "show_number": _("Show number"),
        "row_urls": _ids_in_urls("reactivation:customer_card", "customers:reveal_phone"),
        "done_today": contacts_today(person),
        "target": store.daily_contact_target,
        "run": (run := latest_run(store.pk)),
        "changes": overnight_changes_for(person, latest=run),
        "my_month": my_month(user, store.today()) if person == user and not escalated else None,
        "team": visible_staff(user).filter(is_active=True).exclude(role=Staff.Role.OWNER) if leads else [],
    }
    template = "reactivation/_call_rows.html" if request.htmx and request.htmx.target == "call-rows" else None
    return render(request, template or "reactivation/call_list.html", context)


_SAMPLE_ID = 987654321


def _ids_in_urls(*names: str) -> dict[str, tuple[str, str]]:
    """Each named URL of one customer id as (before the id, after it): reversed once a page, not once a row."""
    return {name.split(":")[-1]: tuple(reverse(name, args=[_SAMPLE_ID]).split(str(_SAMPLE_ID), 1)) for name in names}  # type: ignore[misc]


def _query_without_page(request: StaffRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return f"{query.urlencode()}&" if query else ""


def _whose_list(request: StaffRequest) -> Staff:
    """Mine; a manager may open any of her store's staff's lists by user name."""
    username = request.GET.get("staff")
    if not username or not may(request.user, Capability.SEE_TEAM_LISTS):
        return request.user
    return get_object_or_404(visible_staff(request.user), username=username)
