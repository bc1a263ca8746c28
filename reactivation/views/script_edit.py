"""Changing the library: create, edit (with a preview against a real customer), deactivate, restore."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from customers.access import Capability, requires, store_query, visible_customers
from customers.http import StaffRequest, form_token
from customers.models import Customer, Store
from customers.search import customers_matching

from ..forms.scripts import NewScriptForm, PreviewForm, ScriptForm
from ..models import Script
from ..placeholders import placeholder_errors
from ..selectors.scripts import customer_facts, fill_script, script_for_store, script_language
from ..services.scripts import script_create, script_restore, script_set_active, script_update
from .scripts import back_to_library, editable_store, get_version

PREVIEW_MATCHES = 8


@requires(Capability.EDIT_SCRIPTS)
def script_new(request: StaffRequest) -> HttpResponse:
    store = editable_store(request)
    initial = {"language": script_language(), "situation": request.GET.get("situation") or None}
    form = NewScriptForm(request.POST or None, initial=initial)
    token = form_token(request)
    if request.method == "POST" and not _is_preview(request) and form.is_valid():
        fields = form.changes()
        language = fields.pop("language")
        script = script_create(store=store, by=request.user, language=language, fields=fields, client_token=token)
        messages.success(request, _("Script “%(title)s” added.") % {"title": script.title})
        return back_to_library(store, request, f"script-{script.pk}")
    return _form_page(request, store, form, None, client_token=token)


@requires(Capability.EDIT_SCRIPTS)
def script_edit(request: StaffRequest, script_id: int) -> HttpResponse:
    store = editable_store(request)
    script = script_for_store(store=store, script_id=script_id)
    text_only = not script.key.startswith("store-")
    form = ScriptForm(request.POST or None, instance=_copy(script), text_only=text_only)
    if request.method == "POST" and not _is_preview(request) and form.is_valid():
        try:
            saved = script_update(store=store, script=script, by=request.user, changes=form.changes())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Script “%(title)s” saved.") % {"title": saved.title})
            return back_to_library(store, request, f"script-{saved.pk}")
    return _form_page(request, store, form, script)


def _copy(script: Script) -> Script:
    # The form must not write into the row it was given: the service decides which row changes.
    return Script(**{f.attname: getattr(script, f.attname) for f in Script._meta.concrete_fields})


def _is_preview(request: StaffRequest) -> bool:
    # The preview buttons submit the same form; without JavaScript they post here instead of the preview URL.
    return "preview" in request.POST or "preview_customer" in request.POST


def _form_page(request: StaffRequest, store: Store, form, script: Script | None, client_token=None) -> HttpResponse:
    context = {"store": store, "form": form, "script": script, "preview": None, "client_token": client_token}
    context["store_query"] = store_query(request.user, store)
    if request.method == "POST" and _is_preview(request):
        context["preview"] = _preview(request, store)
    return render(request, "reactivation/script_form.html", context)


@requires(Capability.EDIT_SCRIPTS)
@require_POST
def script_preview(request: StaffRequest) -> HttpResponse:
    """The draft text filled in for a customer of the store (htmx); changes nothing."""
    store = editable_store(request)
    return render(request, "reactivation/_script_preview.html", {"preview": _preview(request, store)})


def _preview(request: StaffRequest, store: Store) -> dict:
    form = PreviewForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    matches = _preview_customers(request, store, data.get("preview_query") or "", data.get("preview_customer"))
    result = {"matches": matches, "query": data.get("preview_query") or "", "customer": None}
    if matches:
        customer = matches[0]
        draft = Script(body=data.get("body") or "", language=data.get("language") or script_language())
        result.update(customer=customer, filled=_fill_draft(draft, customer, request))
    return result


def _fill_draft(draft: Script, customer: Customer, request: StaffRequest) -> dict:
    if errors := placeholder_errors(draft.body):
        return {"text": "", "warnings": [], "errors": errors}
    filled = fill_script(draft, customer_facts(customer=customer, staff=request.user))
    return {"text": filled.text, "warnings": filled.warnings, "errors": []}


def _preview_customers(request: StaffRequest, store: Store, query: str, chosen: int | None) -> list[Customer]:
    """The chosen customer first, then up to a few more whose name or last four digits match what she typed."""
    customers = visible_customers(request.user).filter(store=store, is_archived=False)
    customers = customers.select_related("store", "last_beautician", "assignee")
    found = list(customers_matching(customers, query)[:PREVIEW_MATCHES])
    if chosen:
        first = customers.filter(pk=chosen).first()
        if first is not None:
            found = [first, *[c for c in found if c.pk != first.pk]]
    return found


@requires(Capability.EDIT_SCRIPTS)
@require_POST
def script_active(request: StaffRequest, script_id: int) -> HttpResponse:
    store = editable_store(request)
    script = script_for_store(store=store, script_id=script_id)
    active = request.POST.get("active") == "1"
    saved = script_set_active(store=store, script=script, by=request.user, active=active)
    text = _("“%(title)s” is in use again.") if active else _("“%(title)s” is no longer in use.")
    messages.success(request, text % {"title": saved.title})
    return back_to_library(store, request, f"script-{saved.pk}")


@requires(Capability.EDIT_SCRIPTS)
@require_POST
def script_restore_version(request: StaffRequest, script_id: int, version_id: int) -> HttpResponse:
    store = editable_store(request)
    script = script_for_store(store=store, script_id=script_id)
    version = get_version(script, version_id)
    saved = script_restore(store=store, script=script, version=version, by=request.user)
    messages.success(request, _("The earlier version of “%(title)s” is back in use.") % {"title": saved.title})
    return back_to_library(store, request, f"script-{saved.pk}")
