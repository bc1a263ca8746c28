"""Sending a script's text to the customer on the card, as an SMS (POST from the scripts panel)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from customers.access import Capability, get_customer_for, requires
from customers.http import StaffRequest

from ..selectors.script_panel import scripts_for_customer
from ..selectors.scripts import script_for_store
from ..services.messages import SendRefused, sent_notice, sms_send


@requires(Capability.SEND_MESSAGES)
@require_POST
def send_script_sms(request: StaffRequest, customer_id: int) -> HttpResponse:
    customer = get_customer_for(request.user, customer_id)
    script = script_for_store(store=customer.store, script_id=_int(request.POST.get("script")))
    notice, ok = _send(request, customer, script)
    if request.htmx:
        panel = scripts_for_customer(customer=customer, user=request.user)
        context = {"scripts_panel": panel, "panel_notice": notice, "panel_notice_ok": ok}
        return render(request, "reactivation/_scripts_panel.html", context)
    (messages.success if ok else messages.error)(request, notice)
    return redirect("reactivation:customer_card", customer_id=customer.pk)


def _send(request: StaffRequest, customer, script) -> tuple[str, bool]:
    try:
        token = uuid.UUID(request.POST.get("client_token", ""))
    except ValueError:
        token = None
    try:
        message = sms_send(by=request.user, customer=customer, script=script, client_token=token)
    except SendRefused as refusal:
        return str(refusal), False
    return sent_notice(message)


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0
