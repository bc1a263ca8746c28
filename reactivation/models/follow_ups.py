from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from customers.models import Channel

from ..outcomes import FAILED_OUTCOMES, Outcome
from ..reasons import Reason


class FollowUp(models.Model):
    """One contact with a customer (回访记录): who, when, how, what came of it and why she stopped coming."""

    Outcome = Outcome

    store = models.ForeignKey("customers.Store", verbose_name=_("store"), on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    by = models.ForeignKey("customers.Staff", verbose_name=_("by"), on_delete=models.PROTECT, related_name="follow_ups")
    contacted_at = models.DateTimeField(_("contacted at"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.PHONE)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    notes = models.TextField(_("notes"), blank=True)
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)
    appointment = models.ForeignKey(
        "customers.Appointment",
        verbose_name=_("appointment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    script = models.ForeignKey(
        "reactivation.Script",
        verbose_name=_("script used"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Rendered into the form: a double tap or a retried request on a phone logs one follow-up, not two.
    client_token = models.UUIDField(_("form token"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-contacted_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "contacted_at"], name="follow_up_customer_time"),
            # The dashboards count a store's contacts of a week or two months (per person, per customer, per
            # outcome, and join their reasons): the included columns let the database answer from the index.
            models.Index(
                fields=["store", "contacted_at"],
                include=["id", "customer", "by", "outcome"],
                name="follow_up_store_tally",
            ),
            models.Index(fields=["by", "contacted_at"], name="follow_up_by_time"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.outcome} @ {self.contacted_at:%Y-%m-%d %H:%M}"

    @property
    def failed(self) -> bool:
        return self.outcome in FAILED_OUTCOMES


class FollowUpReason(models.Model):
    """A dormancy reason heard in a follow-up; one row per reason so reports can count them."""

    follow_up = models.ForeignKey(
        FollowUp, verbose_name=_("follow-up"), on_delete=models.CASCADE, related_name="reasons"
    )
    store = models.ForeignKey("customers.Store", verbose_name=_("store"), on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    detail = models.CharField(_("in her words"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("dormancy reason")
        verbose_name_plural = _("dormancy reasons")
        constraints = [models.UniqueConstraint(fields=["follow_up", "reason"], name="follow_up_reason_once")]
        indexes = [models.Index(fields=["store", "reason"], name="follow_up_reason_store")]

    def __str__(self) -> str:
        return self.get_reason_display()


class CustomerReturn(models.Model):
    """A dormant customer's first visit after her dormant spell (回店), and who gets the credit."""

    store = models.ForeignKey("customers.Store", verbose_name=_("store"), on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="returns"
    )
    visit = models.OneToOneField(
        "customers.Visit", verbose_name=_("return visit"), on_delete=models.CASCADE, related_name="customer_return"
    )
    returned_on = models.DateField(_("returned on"))
    dormant_since = models.DateField(_("dormant since"), null=True, blank=True)
    bucket = models.CharField(_("bucket before returning"), max_length=10)
    months_away = models.PositiveSmallIntegerField(_("months away"))
    credited_to = models.ForeignKey(
        "customers.Staff",
        verbose_name=_("credited to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credited_returns",
    )
    follow_up = models.ForeignKey(
        FollowUp, verbose_name=_("contact credited"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    activated_on = models.DateField(_("activated on"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer return")
        verbose_name_plural = _("customer returns")
        ordering = ["-returned_on", "-id"]
        indexes = [
            models.Index(fields=["store", "returned_on"], name="return_store_date"),
            models.Index(fields=["credited_to", "returned_on"], name="return_credited_date"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} returned {self.returned_on}"
