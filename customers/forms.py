"""Forms of the customers area: the import upload."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .access import may_import
from .imports.columns import KINDS
from .models import ImportBatch, Staff

ACCEPTED = ".xlsx,.csv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(
        label=_("Excel or CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED}),
    )

    def __init__(self, *args, user: Staff, too_large: bool = False, **kwargs):
        """`too_large`: the upload was stopped at the size limit, so no file arrived; that alone is
        what the form says about the file (not also "this field is required")."""
        super().__init__(*args, **kwargs)
        # Filled in here, in the language of the request (a lazy text with % would be translated once, at start-up).
        self.fields["file"].help_text = _("An .xlsx workbook (first sheet) or a CSV file, up to %(limit)s MB.") % {
            "limit": settings.IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024)
        }
        self.too_large = too_large
        if too_large:
            self.fields["file"].required = False
        labels = dict(ImportBatch.Kind.choices)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)  # declared above
        kind.choices = [(kind, labels[kind]) for kind in KINDS if may_import(user, kind)]

    def clean_file(self):
        if self.too_large:
            limit = settings.IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024)
            raise forms.ValidationError(_("The file is larger than %(limit)s MB."), params={"limit": limit})
        return self.cleaned_data["file"]
