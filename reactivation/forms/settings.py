"""The store settings form (/settings/): every setting of DESIGN §4.2, §4.6, the daily target and the
message cap. The form only reads the page; `store_settings_change` validates the values as the
store's own rules do, and its errors land on the matching field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from customers.buckets import DORMANT_BUCKETS, Bucket
from customers.models import Store

SCALARS = [
    "activation_visits",
    "activation_months",
    "attribution_days",
    "daily_contact_target",
    "marketing_cap_days",
    "reward_per_return_visit",
]
EMPTY_ROWS = 2  # blank tier rows offered beneath the store's own


def _cell(label) -> forms.NumberInput:
    return forms.NumberInput(attrs={"class": "form-control form-control-sm", "aria-label": label, "step": "any"})


class BeauticianTierForm(forms.Form):
    limit = forms.DecimalField(
        label=_("up to (yuan spent)"),
        required=False,
        min_value=0,
        decimal_places=2,
        widget=_cell(_("up to (yuan spent)")),
    )
    reward = forms.DecimalField(
        label=_("reward (yuan)"), required=False, decimal_places=2, widget=_cell(_("reward (yuan)"))
    )


class ManagerTierForm(forms.Form):
    at_least = forms.IntegerField(
        label=_("at least (customers activated)"), required=False, min_value=1,
        widget=_cell(_("at least (customers activated)")),
    )  # fmt: skip
    reward = forms.DecimalField(
        label=_("reward (yuan)"), required=False, decimal_places=2, widget=_cell(_("reward (yuan)"))
    )


BeauticianTiers = forms.formset_factory(BeauticianTierForm, extra=EMPTY_ROWS)
ManagerTiers = forms.formset_factory(ManagerTierForm, extra=EMPTY_ROWS)


class StoreSettingsForm(forms.ModelForm):
    beautician_buckets = forms.MultipleChoiceField(
        label=_("Buckets the beauticians call (the others go to the front desk)"),
        choices=[(b, Bucket(b).label) for b in DORMANT_BUCKETS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Store
        fields = ["beautician_buckets", *SCALARS]

    def __init__(self, data=None, *, store: Store, **kwargs) -> None:
        super().__init__(data, instance=store, **kwargs)
        self.beautician_tiers = BeauticianTiers(
            data, prefix="btier", initial=[{"limit": lim, "reward": r} for lim, r in store.beautician_reward_tiers]
        )
        self.tier_errors: dict[str, list[str]] = {"beautician_reward_tiers": [], "manager_reward_tiers": []}
        self.manager_tiers = ManagerTiers(
            data, prefix="mtier", initial=[{"at_least": n, "reward": r} for n, r in store.manager_reward_tiers]
        )

    def _post_clean(self) -> None:
        """No model validation here: the service does it, all at once, and says which field is wrong."""

    def is_valid(self) -> bool:
        valid = [super().is_valid(), self.beautician_tiers.is_valid(), self.manager_tiers.is_valid()]
        return all(valid)

    def values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in ["beautician_buckets", *SCALARS]}
        values["beautician_buckets"] = [b for b in DORMANT_BUCKETS if b in values["beautician_buckets"]]
        values["beautician_reward_tiers"] = [
            [None if row["limit"] is None else f"{row['limit']:.2f}", f"{row['reward']:.2f}"]
            for row in self.beautician_tiers.cleaned_data
            if row.get("reward") is not None
        ]
        values["manager_reward_tiers"] = [
            [row["at_least"], f"{row['reward']:.2f}"]
            for row in self.manager_tiers.cleaned_data
            if row.get("reward") is not None and row.get("at_least") is not None
        ]
        return values

    def add_service_errors(self, error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            if name in self.fields:
                self.add_error(name, messages)
            elif name in self.tier_errors:
                self.tier_errors[name].extend(messages)
            else:
                self.add_error(None, messages)
