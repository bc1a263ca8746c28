from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One import of one file: checked (the preview), then imported whole or not at all; the import history.

    From the browser both steps run in the background (a Celery task each): uploaded → checking →
    previewed → importing → imported, or rejected at either step; a preview nobody confirms expires.
    """

    class Kind(models.TextChoices):
        STORES = "stores", _("Stores")
        STAFF = "staff", _("Staff")
        CUSTOMERS = "customers", _("Customers")
        VISITS = "visits", _("Visits")
        CARDS = "cards", _("Cards")

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking the file")
        PREVIEWED = "previewed", _("Checked, waiting for confirmation")
        IMPORTING = "importing", _("Importing")
        IMPORTED = "imported", _("Imported")
        REJECTED = "rejected", _("Rejected: bad rows, nothing saved")
        EXPIRED = "expired", _("Not confirmed in time: the file was erased")

    store = models.ForeignKey(
        "customers.Store",
        verbose_name=_("store"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="imports",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file_name = models.CharField(_("file"), max_length=255)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    added = models.PositiveIntegerField(_("added"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    bad_rows = models.PositiveIntegerField(_("bad rows"), default=0)
    errors = models.JSONField(
        _("problems"), default=list, blank=True, help_text=_("The first bad rows: row, column, value and reason.")
    )
    file_problem = models.JSONField(_("problem with the file"), null=True, blank=True)
    new_services = models.JSONField(_("services added to the menu"), default=list, blank=True)
    # The file itself, kept only from the upload to the import (a day at most), then erased.
    upload = models.BinaryField(_("uploaded file"), null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        "customers.Staff",
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        "customers.Staff",
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"
