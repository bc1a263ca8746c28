from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class Service(models.Model):
    """A treatment on a store's menu (项目)."""

    store = models.ForeignKey(
        "customers.Store", verbose_name=_("store"), on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(_("service"), max_length=100)
    price = models.DecimalField(_("list price (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    is_active = models.BooleanField(_("on the menu"), default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["store_id", "name"]
        constraints = [models.UniqueConstraint(fields=["store", "name"], name="service_name_unique_per_store")]

    def __str__(self) -> str:
        return self.name


class Visit(models.Model):
    """One customer's visit (到店) for one service on one day."""

    # No foreign-key constraints in the database and no index of their own. A salon's first import
    # brings a million visits, and PostgreSQL checks each constraint row by row (several µs a row
    # and constraint: five of them cost three times the rest of the import); every index is written
    # once per visit. Django still applies CASCADE / PROTECT / SET_NULL, every door writes ids it
    # has just read, and the import locks the rows it refers to (FOR KEY SHARE, in one statement)
    # so that nothing it names is deleted before it commits. Store and customer lead the
    # (store, date) and (customer, date, service) indexes below, which serve every lookup.
    store = models.ForeignKey(
        "customers.Store",
        verbose_name=_("store"),
        on_delete=models.PROTECT,
        related_name="visits",
        db_index=False,
        db_constraint=False,
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="visits",
        db_index=False,
        db_constraint=False,
    )
    visited_on = models.DateField(_("visit date"))
    beautician = models.ForeignKey(
        "customers.Staff",
        verbose_name=_("served by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="served_visits",
        db_index=False,
        db_constraint=False,
    )
    service = models.ForeignKey(
        "customers.Service",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        db_constraint=False,
    )
    amount = models.DecimalField(_("amount paid (yuan)"), max_digits=12, decimal_places=2, default=0)
    # The database knows these defaults too (`db_default`): an import's COPY leaves them out, rather than
    # sending, and the database reading, the same "0,0,,<now>" a million times.
    card_amount = models.DecimalField(
        _("drawn from card (yuan)"), max_digits=12, decimal_places=2, default=0, db_default=0
    )
    card_sessions = models.PositiveSmallIntegerField(_("sessions drawn from card"), default=0, db_default=0)
    note = models.CharField(_("note"), max_length=200, blank=True, default="", db_default="")
    created_by = models.ForeignKey(
        "customers.Staff",
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True, db_default=Now())

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        constraints = [
            # Imports are keyed by store + phone + date + service: one row per service per day. Not
            # partial, so that it also finds a customer's last visit from the index alone (rows
            # without a service never clash here: NULLs differ; the next constraint covers them).
            models.UniqueConstraint(
                fields=["customer", "visited_on", "service"], name="visit_unique_per_day_and_service"
            ),
            models.UniqueConstraint(
                fields=["customer", "visited_on"],
                name="visit_unique_per_day_without_service",
                condition=Q(service__isnull=True),
            ),
        ]
        indexes = [
            # Reports and rewards read one store's visits over a period.
            models.Index(fields=["store", "visited_on"], name="visit_store_date"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} @ {self.visited_on}"
