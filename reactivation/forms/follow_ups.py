"""The follow-up form on the customer card (DESIGN §5.5) and the soft-profile form beside it."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Channel, Customer, Service
from customers.services.customers import PROFILE_FIELDS

from ..follow_up_rules import default_next_follow_up
from ..models import Script
from ..outcomes import Outcome
from ..reasons import Reason
from .bootstrap import BootstrapWidgets

# What a person logs by hand; "message sent" is written by the SMS service.
LOGGED_OUTCOMES = [(value, label) for value, label in Outcome.choices if value != Outcome.MESSAGE_SENT]


class FollowUpForm(BootstrapWidgets, forms.Form):
    outcome = forms.ChoiceField(label=_("What happened"), choices=LOGGED_OUTCOMES, widget=forms.RadioSelect)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    reasons = forms.MultipleChoiceField(
        label=_("Why she stopped coming"), choices=Reason.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    reason_detail = forms.CharField(label=_("In her words"), max_length=200, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_follow_up_on = forms.DateField(
        label=_("Next follow-up"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Left empty: tomorrow after no answer or “call back”, in a week after a talk."),
    )
    appointment_at = forms.DateTimeField(
        label=_("Appointment"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    service = forms.ModelChoiceField(label=_("Treatment"), queryset=Service.objects.none(), required=False)
    script = forms.ModelChoiceField(label=_("Script used"), queryset=Script.objects.none(), required=False)
    client_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, customer: Customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.customer = customer
        self.fields["service"].queryset = Service.objects.filter(store=customer.store, is_active=True)  # type: ignore[attr-defined]
        self.fields["script"].queryset = Script.objects.filter(  # type: ignore[attr-defined]
            store__in=[None, customer.store_id], is_active=True, channel=Script.Channel.CALL
        ).order_by("situation", "title")
        if not self.is_bound:
            self.initial["client_token"] = uuid.uuid4()

    def clean(self):
        data = super().clean() or {}
        outcome, appointment_at = data.get("outcome"), data.get("appointment_at")
        if outcome == Outcome.BOOKED and appointment_at is None:
            self.add_error("appointment_at", _("Give the day and time she is coming."))
        if appointment_at is not None:
            if outcome != Outcome.BOOKED:
                self.add_error("appointment_at", _("An appointment goes with “Talked and booked a visit”."))
            elif appointment_at < timezone.now():
                self.add_error("appointment_at", _("The appointment is in the past."))
        today = self.customer.store.today()
        next_on = data.get("next_follow_up_on")
        if next_on is not None and next_on < today:
            self.add_error("next_follow_up_on", _("The next follow-up cannot be before today."))
        if next_on is None and outcome:
            data["next_follow_up_on"] = default_next_follow_up(outcome, today)
        return data


class ProfileForm(BootstrapWidgets, forms.ModelForm):
    class Meta:
        model = Customer
        fields = list(PROFILE_FIELDS)
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


def next_dates(today: dt.date) -> str:
    """The proposed next follow-up date per outcome (JSON), for the form to fill in as she picks one."""
    dates = {value: d.isoformat() for value, _label in LOGGED_OUTCOMES if (d := default_next_follow_up(value, today))}
    return json.dumps(dates)
