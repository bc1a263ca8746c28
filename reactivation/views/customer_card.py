"""The customer card: her profile, what she holds, her history, and — for whoever may act on her — the
follow-up form at the top (htmx: saving swaps the form and the history in place)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from customers.access import (
    Capability,
    get_customer_for,
    may_act_on,
    may_see_full_phone,
    requires,
    visible_customers,
)
from customers.http import StaffRequest
from customers.models import Customer
from customers.services.customers import PROFILE_FIELDS, customer_update_profile

from ..forms.follow_ups import FollowUpForm, ProfileForm, next_dates
from ..models import FollowUp
from ..outcomes import Outcome
from ..selectors.calls import customer_contacts, customer_history
from ..selectors.script_panel import CARD_RELATIONS, scripts_for_customer
from ..services.follow_ups import follow_up_log


@never_cache
@requires(Capability.SEE_CUSTOMERS)
def customer_card(request: StaffRequest, customer_id: int) -> HttpResponse:
    customer = get_customer_for(request.user, customer_id, _with_people(request))
    form = FollowUpForm(customer=customer)
    if request.htmx and request.htmx.target == "contacts":  # another page of her contacts
        return render(request, "reactivation/_contacts.html", _work_context(request, customer, form=form))
    return render(request, "customers/customer_card.html", _card_context(request, customer, form=form))


@never_cache
@requires(Capability.SEE_CUSTOMERS)
def customer_scripts(request: StaffRequest, customer_id: int) -> HttpResponse:
    """The card's folded "all other scripts", filled when she opens them (htmx)."""
    customer = get_customer_for(request.user, customer_id)
    panel = scripts_for_customer(customer=customer, user=request.user)
    section = next((s for s in panel.sections if s.key == "more"), None)
    return render(request, "reactivation/_panel_more.html", {"customer": panel.customer, "section": section})


@require_POST
@requires(Capability.SEE_CUSTOMERS)
def follow_up_new(request: StaffRequest, customer_id: int) -> HttpResponse:
    customer = _actionable(request, customer_id)
    form = FollowUpForm(request.POST, customer=customer)
    notice = ""
    if form.is_valid():
        data = form.cleaned_data
        follow_up = follow_up_log(
            by=request.user,
            customer=customer,
            outcome=data["outcome"],
            channel=data["channel"],
            reasons=data["reasons"],
            reason_detail=data["reason_detail"],
            notes=data["notes"],
            next_follow_up_on=data["next_follow_up_on"],
            appointment_at=data["appointment_at"],
            service=data["service"],
            script=data["script"],
            client_token=data["client_token"],
        )
        customer.refresh_from_db(from_queryset=Customer.objects.select_related("store"))
        notice = _saved_notice(follow_up, customer)
        form = FollowUpForm(customer=customer)
        if not request.htmx:
            messages.success(request, notice)
            return redirect("reactivation:customer_card", customer_id=customer.pk)
    context = _work_context(request, customer, form=form, notice=notice)
    return render(request, "reactivation/_card_work.html", context)


@require_POST
@requires(Capability.SEE_CUSTOMERS)
def profile_edit(request: StaffRequest, customer_id: int) -> HttpResponse:
    customer = _actionable(request, customer_id)
    form = ProfileForm(request.POST, instance=Customer.objects.get(pk=customer.pk))
    saved = form.is_valid()
    if saved:
        customer = customer_update_profile(
            customer=customer, values={name: form.cleaned_data[name] for name in PROFILE_FIELDS}
        )
        form = ProfileForm(instance=customer)
    context = {"customer": customer, "profile_form": form, "may_act": True, "profile_saved": saved}
    context["may_reveal"] = may_see_full_phone(request.user, customer)  # numbers in her notes
    if not request.htmx:
        return redirect("reactivation:customer_card", customer_id=customer.pk)
    return render(request, "reactivation/_profile.html", context)


def _with_people(request: StaffRequest) -> QuerySet[Customer]:
    """What she may see, read with her store and the people the card names (in one query, not three)."""
    return visible_customers(request.user).select_related(*CARD_RELATIONS)


def _actionable(request: StaffRequest, customer_id: int) -> Customer:
    """Her assignee (or aftercare caller) and her manager act on her; anyone else who may see her gets a 404 too."""
    customer = get_customer_for(request.user, customer_id, visible_customers(request.user).select_related("store"))
    if not may_act_on(request.user, customer):
        raise Http404
    return customer


def _card_context(request: StaffRequest, customer: Customer, *, form: FollowUpForm) -> dict:
    """The whole card: the part a contact changes, her profile form, her history and the scripts panel (its
    folded "all other scripts" filled only when asked for: `customer_scripts`, or ?scripts=all without htmx)."""
    context = _work_context(request, customer, form=form)
    all_scripts = request.GET.get("scripts") == "all"
    history = customer_history(customer)
    panel = scripts_for_customer(
        customer=customer,
        user=request.user,
        fill_folded=all_scripts,
        cards=history["cards"],
        appointments=history["appointments"],
    )
    return {
        **context,
        "profile_form": ProfileForm(instance=customer) if context["may_act"] else None,
        **history,
        "scripts_panel": panel,
        "all_scripts": all_scripts,
    }


def _work_context(request: StaffRequest, customer: Customer, *, form: FollowUpForm, notice: str = "") -> dict:
    """What `_card_work.html` (the form, the badges, her contacts) needs, and nothing it does not render."""
    may_act = may_act_on(request.user, customer)
    return {
        "customer": customer,
        "may_reveal": may_see_full_phone(request.user, customer),
        "may_act": may_act,
        "form": form if may_act else None,
        "next_dates": next_dates(customer.store.today()),
        "notice": notice,
        **customer_contacts(customer, page=request.GET.get("contacts")),
    }


def _saved_notice(follow_up: FollowUp, customer: Customer) -> str:
    parts = [_("Contact saved.")]
    if follow_up.outcome == Outcome.DO_NOT_CONTACT:
        parts.append(_("She will not be contacted again: she is off every list."))
    elif follow_up.appointment_id:
        parts.append(_("Her visit is booked: she is off the call list until then."))
    elif follow_up.next_follow_up_on:
        parts.append(_("Next follow-up on %(date)s.") % {"date": follow_up.next_follow_up_on.isoformat()})
    if customer.escalated_on is not None:
        parts.append(_("She is on the manager's list now."))
    return " ".join(parts)
