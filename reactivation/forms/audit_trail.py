"""Filtering the store's audit trail: what, who, and which days."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from customers.models import Store

from ..selectors.audit_trail import Kind, trail_people


class TrailFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), required=False, choices=[("", _("Everything")), *Kind.choices])
    person = forms.TypedChoiceField(label=_("Who"), required=False, coerce=int, empty_value=None)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, store: Store, **kwargs):
        super().__init__(*args, **kwargs)
        people = [(p.pk, f"{p} · {p.get_role_display()}") for p in trail_people(store)]
        self.fields["person"].choices = [("", _("Anyone")), *people]  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The last day cannot be before the first."))
        return data
