"""Bootstrap 5's classes on a form's widgets, for forms rendered through `field_html` (`|bootstrap_field`).

The customer card renders the follow-up and profile forms on every view and every saved contact;
through crispy-forms they cost most of the card's time. The same markup written in Python with the
classes set here once per form costs a fraction of it.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import ErrorDict

_CHECKS = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.CheckboxInput)


class BootstrapWidgets:
    """A form mixin: each widget gets Bootstrap's class for its kind, and `is-invalid` once its field has errors."""

    fields: dict[str, forms.Field]
    _errors: ErrorDict | None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():
            widget = field.widget
            kind = (
                "form-check-input"
                if isinstance(widget, _CHECKS)
                else "form-select"
                if isinstance(widget, forms.Select)
                else "form-control"
            )
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {kind}".strip()

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        for name in self._errors or {}:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
