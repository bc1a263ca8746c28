"""The visit form at the till (DESIGN §5.5) and the walk-in form beside it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.access import registrable_customers
from customers.models import Card, Customer, Service, Staff

from ..services.visits import AFTERCARE_AFTER

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0")}


class ServiceField(forms.ModelChoiceField):
    """A treatment on the store's menu, by id or by its exact name."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str) and not value.isdigit():
            found = self.queryset.filter(name=value.strip()).first()  # type: ignore[union-attr]
            if found is None:
                raise ValidationError(_("“%(name)s” is not on the menu.") % {"name": value}, code="invalid_choice")
            return found
        return super().to_python(value)


class VisitForm(forms.Form):
    customer = forms.ModelChoiceField(queryset=Customer.objects.none(), widget=forms.HiddenInput)
    visited_on = forms.DateField(
        label=_("Visit date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    service = ServiceField(label=_("Treatment"), queryset=Service.objects.none(), required=False)
    beautician = forms.ModelChoiceField(label=_("Served by"), queryset=Staff.objects.none(), required=False)
    amount = forms.DecimalField(label=_("Paid (yuan)"), initial=Decimal("0.00"), **MONEY)  # type: ignore[arg-type]
    card = forms.ModelChoiceField(label=_("Drawn from card"), queryset=Card.objects.none(), required=False)
    card_amount = forms.DecimalField(label=_("Yuan from the card"), required=False, **MONEY)  # type: ignore[arg-type]
    card_sessions = forms.IntegerField(label=_("Sessions from the card"), required=False, min_value=0, max_value=50)
    next_appointment_at = forms.DateTimeField(
        label=_("Next appointment (booked at the bed)"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    aftercare_on = forms.DateField(
        label=_("Aftercare call on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The serving beautician calls her that day to ask how she feels. Leave empty for none."),
    )

    def __init__(self, *args, user: Staff, customer: Customer | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        store = user.store
        self.fields["customer"].queryset = registrable_customers(user)  # type: ignore[attr-defined]
        self.fields["service"].queryset = Service.objects.filter(store=store, is_active=True)  # type: ignore[attr-defined]
        self.fields["beautician"].queryset = Staff.objects.filter(  # type: ignore[attr-defined]
            store=store, is_active=True, role__in=[Staff.Role.BEAUTICIAN, Staff.Role.MANAGER]
        ).order_by("role", "name")
        cards = Card.objects.filter(customer=customer) if customer is not None else Card.objects.none()
        if self.is_bound and customer is None:
            cards = Card.objects.filter(customer_id=self.data.get("customer") or 0, customer__store=store)
        self.fields["card"].queryset = cards  # type: ignore[attr-defined]
        self.fields["card"].label_from_instance = _card_label  # type: ignore[attr-defined]
        if not self.is_bound:
            today = store.today() if store else timezone.localdate()
            self.initial.update(visited_on=today, aftercare_on=today + AFTERCARE_AFTER)
            if customer is not None:
                self.initial.update(customer=customer.pk, beautician=customer.last_beautician_id)

    def clean(self):
        data = super().clean() or {}
        card, amount, sessions = (
            data.get("card"),
            data.get("card_amount") or Decimal("0"),
            data.get("card_sessions") or 0,
        )
        data["card_amount"], data["card_sessions"] = amount, sessions
        visited_on = data.get("visited_on")
        if visited_on is not None and visited_on > timezone.localdate() + dt.timedelta(days=1):
            self.add_error("visited_on", _("A visit cannot be in the future."))
        if card is None and (amount or sessions):
            self.add_error("card", _("Choose the card to draw from."))
        if card is not None:
            if card.kind == Card.Kind.VALUE and sessions:
                self.add_error("card_sessions", _("A stored-value card holds yuan, not sessions."))
            if card.kind == Card.Kind.SESSIONS and amount:
                self.add_error("card_amount", _("A package card holds sessions, not yuan."))
            if not (amount or sessions):
                self.add_error("card", _("Say how much is drawn from the card."))
            if card.expires_on and visited_on and card.expires_on < visited_on:
                self.add_error("card", _("This card expired on %(date)s.") % {"date": card.expires_on.isoformat()})
        starts = data.get("next_appointment_at")
        if starts is not None and starts < timezone.now():
            self.add_error("next_appointment_at", _("The next appointment is in the past."))
        return data


def _card_label(card: Card) -> str:
    left = f"¥{card.balance}" if card.kind == Card.Kind.VALUE else _("%(n)s sessions") % {"n": card.sessions_left}
    return f"{card.name} · {left}"


class WalkInForm(forms.ModelForm):
    """A new customer at the till: her name and mobile number are enough to start."""

    class Meta:
        model = Customer
        fields = ["name", "phone", "gender"]

    def __init__(self, *args, store, **kwargs):
        super().__init__(*args, **kwargs)
        self.store = store
        self.instance.store = store
        self.instance.joined_on = store.today()

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if Customer.objects.filter(store=self.store, phone=phone).exists():
            raise ValidationError(_("This number already belongs to a customer of the store: search for her."))
        return phone
