"""The store's settings (/settings/): the manager changes her store's routine; head office any store's (?store=)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from customers.access import Capability, requires, store_for, store_query
from customers.http import StaffRequest
from customers.services.store_settings import SettingsChange, store_settings_change

from ..forms.settings import StoreSettingsForm
from ..services.segment import segment_store


@requires(Capability.CHANGE_SETTINGS)
def store_settings(request: StaffRequest) -> HttpResponse:
    store = store_for(request, Capability.CHANGE_SETTINGS)
    form = StoreSettingsForm(request.POST or None, store=store)
    if request.method == "POST" and form.is_valid():
        try:
            change = store_settings_change(by=request.user, store=store, values=form.values())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            _say_what_changed(request, change)
            if change.lists_change_tonight:
                request.session["offer_replan"] = store.pk
            return redirect(f"/settings/{store_query(request.user, store)}")
    offer_replan = request.session.get("offer_replan") == store.pk
    context = {"store": store, "form": form, "offer_replan": offer_replan}
    return render(request, "reactivation/settings.html", context, status=400 if form.errors else 200)


def _say_what_changed(request: StaffRequest, change: SettingsChange) -> None:
    if not change.changed:
        messages.info(request, _("Nothing changed."))
        return
    what = "; ".join(_("%(setting)s: %(when)s") % {"setting": label, "when": when} for label, when in change.when())
    messages.success(request, _("Saved. %(what)s.") % {"what": what})


@require_POST
@requires(Capability.CHANGE_SETTINGS)
def replan_today(request: StaffRequest) -> HttpResponse:
    """Re-plan today's call lists now by the store's current rules, rather than wait for tonight."""
    store = store_for(request, Capability.CHANGE_SETTINGS)
    result = segment_store(store=store, today=store.today(), replan=True)
    request.session.pop("offer_replan", None)
    moved = result.run.assignees_changed if result.run else 0
    done = _("Today's lists are re-planned: %(n)d customers changed hands.") % {"n": moved}
    messages.success(request, done)
    back = request.POST.get("next", "")  # the page that offered it (an import's result), else the settings
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect(f"/settings/{store_query(request.user, store)}")
