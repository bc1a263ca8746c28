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

    # How far the check or the import running now has got, written by its worker every few
    # seconds (outside the import's transaction, so the page sees it): rows checked and imported
    # out of `rows`, when the step started (for the time left) and the worker's last sign of life.
    # A step whose worker has said nothing for STALE_AFTER died (killed, out of memory, a lost
    # machine): the page offers to run it again.
    checked_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    imported_rows = models.PositiveIntegerField(_("rows imported"), default=0)
    step_started_at = models.DateTimeField(_("step started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("worker last seen at"), null=True, blank=True)
    # The ids of the visits this import wrote, lowest and highest: the nightly run need not
    # read them again, the import has already brought its customers up to date.
    visits_first_id = models.BigIntegerField(_("first visit id written"), null=True, blank=True)
    visits_last_id = models.BigIntegerField(_("last visit id written"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"
