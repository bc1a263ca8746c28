"""Store offers (本月主打, the reactivation package): what {featured} says in the scripts. Managers only."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from customers.access import Capability, requires, store_query
from customers.http import StaffRequest, form_token
from customers.models import Store

from ..forms.scripts import StoreOfferForm
from ..models import StoreOffer
from ..selectors.scripts import current_offer
from ..services.scripts import store_offer_delete, store_offer_save
from .scripts import editable_store


def _back(request: StaffRequest, store: Store):
    response = redirect("reactivation:offers")
    response["Location"] += store_query(request.user, store)
    return response


@requires(Capability.EDIT_SCRIPTS)
def offer_list(request: StaffRequest) -> HttpResponse:
    store = editable_store(request)
    offers = StoreOffer.objects.filter(store=store).order_by("-valid_until", "kind")
    context = {"store": store, "offers": offers, "current": current_offer(store=store, today=store.today())}
    return render(request, "reactivation/offers.html", context)


@requires(Capability.EDIT_SCRIPTS)
def offer_edit(request: StaffRequest, offer_id: int | None = None) -> HttpResponse:
    store = editable_store(request)
    offer = get_object_or_404(StoreOffer, pk=offer_id, store=store) if offer_id else None
    initial = {} if offer else _new_offer_initial(store.today())
    form = StoreOfferForm(request.POST or None, instance=offer, initial=initial)
    token = form_token(request) if offer is None else None
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        try:
            saved = store_offer_save(store=store, offer=offer, fields=fields, client_token=token)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Offer “%(title)s” saved.") % {"title": saved.title})
            return _back(request, store)
    context = {"store": store, "form": form, "offer": offer, "client_token": token}
    return render(request, "reactivation/offer_form.html", context)


def _new_offer_initial(today) -> dict:
    """The usual case: this month's featured treatment, from today to the end of the month."""
    end_of_month = today + relativedelta(day=31)
    return {"kind": StoreOffer.Kind.FEATURED, "valid_from": today, "valid_until": end_of_month}


@requires(Capability.EDIT_SCRIPTS)
@require_POST
def offer_delete(request: StaffRequest, offer_id: int) -> HttpResponse:
    store = editable_store(request)
    offer = get_object_or_404(StoreOffer, pk=offer_id, store=store)
    store_offer_delete(store=store, offer=offer)
    messages.success(request, _("Offer “%(title)s” removed.") % {"title": offer.title})
    return _back(request, store)
