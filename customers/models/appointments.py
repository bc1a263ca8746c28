from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Appointment(models.Model):
    """A booked visit (预约). A booked appointment in the future takes the customer off call lists."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("No-show")
        CANCELLED = "cancelled", _("Cancelled")

    store = models.ForeignKey(
        "customers.Store", verbose_name=_("store"), on_delete=models.PROTECT, related_name="appointments"
    )
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="appointments"
    )
    starts_at = models.DateTimeField(_("starts at"))
    staff = models.ForeignKey(
        "customers.Staff",
        verbose_name=_("with"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
    )
    service = models.ForeignKey(
        "customers.Service", verbose_name=_("service"), on_delete=models.PROTECT, null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        "customers.Staff",
        verbose_name=_("booked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at"]
        indexes = [
            # Contactability: does this customer have a booked appointment still ahead?
            models.Index(fields=["customer", "status", "starts_at"], name="appointment_customer_status"),
            models.Index(fields=["store", "starts_at"], name="appointment_store_time"),
        ]

    def __str__(self) -> str:
        return f"{self.customer} @ {self.starts_at:%Y-%m-%d %H:%M}"


class AftercareCall(models.Model):
    """The call after a returning customer's visit (回访), on the serving beautician's list until it is made."""

    store = models.ForeignKey("customers.Store", verbose_name=_("store"), on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="aftercare_calls"
    )
    staff = models.ForeignKey(
        "customers.Staff", verbose_name=_("to be called by"), on_delete=models.PROTECT, related_name="aftercare_calls"
    )
    visit = models.ForeignKey(
        "customers.Visit", verbose_name=_("after the visit"), on_delete=models.SET_NULL, null=True, blank=True
    )
    due_on = models.DateField(_("call on"))
    done_at = models.DateTimeField(_("called at"), null=True, blank=True)
    created_at = models.DateTimeField(_("scheduled at"), auto_now_add=True)

    class Meta:
        verbose_name = _("aftercare call")
        verbose_name_plural = _("aftercare calls")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["staff", "done_at", "due_on"], name="aftercare_staff_open")]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.due_on}"
