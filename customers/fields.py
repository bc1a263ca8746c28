from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .phones import is_anonymised_phone, normalize_phone


class MobilePhoneField(models.CharField):
    """A mainland mobile number, normalised on the way in (forms, `full_clean` and saves); or the
    placeholder an anonymised customer keeps (customers/privacy.py), left as it is."""

    description = _("Mainland mobile phone number")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 11)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 11:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def to_python(self, value):
        if value in self.empty_values or is_anonymised_phone(value):
            return value
        return normalize_phone(value)

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value not in self.empty_values and not is_anonymised_phone(value):
            value = normalize_phone(value)
            setattr(model_instance, self.attname, value)
        return value
