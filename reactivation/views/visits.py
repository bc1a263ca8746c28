"""/visits/new/: the till. Find her (or open a file for a walk-in), register the visit, book her next one at
the bed and schedule the aftercare call — one form, one transaction."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from customers.access import Capability, registrable_customers, requires, store_for
from customers.http import StaffRequest
from customers.models import Appointment, Customer
from customers.phones import phone_digits
from customers.services.cards import InsufficientBalance

from ..forms.visits import VisitForm, WalkInForm
from ..services.visits import visit_register

SEARCH_LIMIT = 20


@requires(Capability.REGISTER_VISITS)
def visit_new(request: StaffRequest) -> HttpResponse:
    store = store_for(request, Capability.REGISTER_VISITS)
    customer = _chosen(request)
    form = VisitForm(request.POST or None, user=request.user, customer=customer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = visit_register(
                customer=data["customer"],
                visited_on=data["visited_on"],
                beautician=data["beautician"],
                service=data["service"],
                amount=data["amount"],
                card=data["card"],
                card_amount=data["card_amount"],
                card_sessions=data["card_sessions"],
                by=request.user,
                next_appointment_at=data["next_appointment_at"],
                aftercare_on=data["aftercare_on"],
                appointment=_appointment(request, data["customer"]),
            )
        except InsufficientBalance as refusal:
            form.add_error("card", str(refusal))
        else:
            messages.success(request, _visit_notice(visit, data))
            return redirect("reactivation:visit_new")
    found = _search(request)
    context = {
        "store": store,
        "customer": customer,
        "form": form if customer is not None else None,
        "walk_in": WalkInForm(store=store),
        "q": request.GET.get("q", "")[:50],
        "found": found,
        "nobody_found": found == [],
    }
    return render(request, "reactivation/visit_new.html", context)


@requires(Capability.REGISTER_VISITS)
def walk_in_new(request: StaffRequest) -> HttpResponse:
    store = store_for(request, Capability.REGISTER_VISITS)
    form = WalkInForm(request.POST or None, store=store)
    if request.method == "POST" and form.is_valid():
        customer = form.save()
        messages.success(request, _("%(name)s's file is open.") % {"name": customer.name})
        return redirect(f"{reverse('reactivation:visit_new')}?customer={customer.pk}")
    return render(request, "reactivation/visit_new.html", {"store": store, "walk_in": form, "found": None, "q": ""})


def _chosen(request: StaffRequest) -> Customer | None:
    raw = request.POST.get("customer") or request.GET.get("customer")
    if not raw or not str(raw).isdigit():
        return None
    return registrable_customers(request.user).select_related("last_beautician").filter(pk=raw).first()


def _appointment(request: StaffRequest, customer: Customer) -> Appointment | None:
    raw = request.POST.get("appointment") or request.GET.get("appointment") or ""
    if not raw.isdigit():
        return None
    return Appointment.objects.filter(pk=raw, customer=customer, status=Appointment.Status.BOOKED).first()


def _search(request: StaffRequest) -> list[Customer] | None:
    """By her full mobile number (she says it at the till), its last four digits, or her name."""
    q = request.GET.get("q", "").strip()[:50]
    if not q:
        return None
    digits = phone_digits(q)
    match = Q(name__icontains=q)
    if len(digits) == 11:
        match |= Q(phone=digits)
    elif len(digits) == 4 and digits == q:
        match |= Q(phone__endswith=digits)
    return list(registrable_customers(request.user).filter(match).order_by("name", "pk")[:SEARCH_LIMIT])


def _visit_notice(visit, data) -> str:
    parts = [_("Visit of %(name)s registered.") % {"name": visit.customer.name}]
    card = data["card"]
    if card is not None:
        card.refresh_from_db()
        left = f"¥{card.balance}" if card.kind == "value" else _("%(n)s sessions") % {"n": card.sessions_left}
        parts.append(_("Left on “%(card)s”: %(left)s.") % {"card": card.name, "left": left})
    if data["next_appointment_at"]:
        parts.append(_("Next visit booked."))
    if data["aftercare_on"]:
        parts.append(_("Aftercare call on %(date)s.") % {"date": data["aftercare_on"].isoformat()})
    return " ".join(parts)
