"""Forms of the script library: a script, a preview, a store offer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Script, StoreOffer
from ..placeholders import PLACEHOLDERS, placeholder_errors

TEXT_FIELDS = ["title", "when_to_use", "body"]
PLACEMENT_FIELDS = ["situation", "channel", "bucket", "reason"]


def placeholder_help() -> str:
    return "; ".join(f"{{{name}}} {meaning}" for name, meaning in PLACEHOLDERS.items())


class ScriptForm(forms.ModelForm):
    """A script's text; for a store's own scripts also where it applies.

    A default of the library keeps its place (situation, bucket, reason) so that
    the customer card keeps finding it: only its words change.
    """

    class Meta:
        model = Script
        fields = ["title", "situation", "channel", "bucket", "reason", "when_to_use", "body"]
        widgets = {
            "when_to_use": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 9}),
        }

    def __init__(self, *args, text_only: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _("Placeholders: %(list)s") % {"list": placeholder_help()}
        if text_only:
            for name in PLACEMENT_FIELDS:
                del self.fields[name]

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if errors := placeholder_errors(body):
            raise forms.ValidationError(errors)
        return body

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("situation") == Script.Situation.OPENING and not data.get("bucket"):
            self.add_error("bucket", _("An opening call is for one bucket: choose it."))
        if data.get("situation") == Script.Situation.REASON and not data.get("reason"):
            self.add_error("reason", _("Choose the reason this script answers."))
        return data

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}


class NewScriptForm(ScriptForm):
    language = forms.ChoiceField(label=_("language"), choices=Script.Language.choices)

    class Meta(ScriptForm.Meta):
        fields = ["language", *ScriptForm.Meta.fields]


class PreviewForm(forms.Form):
    """A draft text and the customer to fill it in for; nothing is saved."""

    body = forms.CharField(widget=forms.Textarea, required=False)
    language = forms.ChoiceField(choices=Script.Language.choices, required=False)
    preview_query = forms.CharField(label=_("Customer for the preview"), max_length=50, required=False)
    preview_customer = forms.IntegerField(required=False, widget=forms.HiddenInput)


class StoreOfferForm(forms.ModelForm):
    class Meta:
        model = StoreOffer
        fields = ["kind", "title", "description", "price", "valid_from", "valid_until"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The offer must end on or after the day it starts."))
        if data.get("price") is not None and data["price"] < 0:
            self.add_error("price", _("A price cannot be negative."))
        return data
