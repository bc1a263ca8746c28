from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from customers.buckets import Bucket

from ..assignment import Cause


class SegmentRun(models.Model):
    """One nightly classification of one store for one date.

    Unique on (store, run_date). The run locks its row and marks it done in the same
    transaction as the work, so a rerun for the same date, or a second worker, waits
    for the first one and then finds the row done and does nothing.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to run")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    store = models.ForeignKey(
        "customers.Store", verbose_name=_("store"), on_delete=models.CASCADE, related_name="segment_runs"
    )
    run_date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    customers_changed = models.PositiveIntegerField(_("customers changed"), default=0)
    assignees_changed = models.PositiveIntegerField(_("assignees changed"), default=0)
    unassigned = models.PositiveIntegerField(_("dormant customers nobody could take"), default=0)
    # The snapshot's split of "more than 3 months away", for the trend (DESIGN §4.2).
    away_6_plus = models.PositiveIntegerField(_("customers 6 months or more away"), default=0)
    away_12_plus = models.PositiveIntegerField(_("customers 12 months or more away"), default=0)
    error = models.TextField(_("error"), blank=True)
    # Visits with ids up to this one had reached the customers' last-visit dates when the run was done.
    visits_up_to = models.BigIntegerField(_("visits taken into account up to id"), default=0)

    class Meta:
        verbose_name = _("segment run")
        verbose_name_plural = _("segment runs")
        ordering = ["-run_date", "store_id"]
        constraints = [models.UniqueConstraint(fields=["store", "run_date"], name="segment_run_once_per_store_and_day")]

    def __str__(self) -> str:
        return f"{self.store} {self.run_date} {self.status}"


class SegmentCount(models.Model):
    """The daily snapshot: how many customers sat in each bucket with each assignee after a run."""

    run = models.ForeignKey(SegmentRun, verbose_name=_("segment run"), on_delete=models.CASCADE, related_name="counts")
    bucket = models.CharField(_("bucket"), max_length=10, choices=Bucket.choices)
    assignee = models.ForeignKey(
        "customers.Staff",
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    customers = models.PositiveIntegerField(_("customers"))

    class Meta:
        verbose_name = _("segment count")
        verbose_name_plural = _("segment counts")
        constraints = [
            models.UniqueConstraint(fields=["run", "bucket", "assignee"], name="segment_count_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.bucket}: {self.customers}"


class AssignmentChange(models.Model):
    """Who a customer was given to, when and why: a beautician whose list changed overnight can be told.

    Written in bulk by the nightly job — hundreds of thousands of rows on a store's first
    night — so the table carries no database-level foreign keys (each would be checked row
    by row at COMMIT) and only the indexes its readers need. Django still applies
    CASCADE/PROTECT, and the job only writes ids it has just read.
    """

    Cause = Cause

    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="assignment_changes",
        db_constraint=False,
        db_index=False,
    )
    changed_on = models.DateField(_("date"))
    from_staff = models.ForeignKey(
        "customers.Staff", verbose_name=_("from"), on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        db_constraint=False, db_index=False,
    )  # fmt: skip
    to_staff = models.ForeignKey(
        "customers.Staff", verbose_name=_("to"), on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        db_constraint=False, db_index=False,
    )  # fmt: skip
    cause = models.CharField(_("cause"), max_length=20, choices=Cause.choices)
    run = models.ForeignKey(
        SegmentRun, verbose_name=_("segment run"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        db_constraint=False,
    )  # fmt: skip
    # Who moved her by hand (a manual reassignment); empty for the nightly run's moves.
    by = models.ForeignKey(
        "customers.Staff", verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        db_constraint=False, db_index=False,
    )  # fmt: skip
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment change")
        verbose_name_plural = _("assignment changes")
        ordering = ["-changed_on", "-id"]
        indexes = [
            # The customer card's "why she is on this list".
            models.Index(fields=["customer", "changed_on"], name="assignment_change_customer"),
            # The audit trail: the moves people made by hand, newest first.
            models.Index(fields=["created_at"], name="assignment_change_by_hand", condition=Q(by__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.from_staff_id}→{self.to_staff_id} ({self.cause})"
