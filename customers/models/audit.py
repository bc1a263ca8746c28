from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who saw or took personal data (full phone number reveals, exports and imports), and who
    set a staff member's password — the one change to an account its history does not show.

    Model changes have their own history (django-auditlog, which leaves passwords out); this table
    answers the data-protection questions "who looked at which numbers, and when" and "who could
    have signed in as her".
    """

    class Action(models.TextChoices):
        REVEAL_PHONE = "reveal_phone", _("Revealed a full phone number")
        EXPORT = "export", _("Exported data")
        IMPORT = "import", _("Imported data")
        SET_PASSWORD = "set_password", _("Set a staff password")
        CHANGE_SETTINGS = "change_settings", _("Changed store settings")
        UNLOCK = "unlock", _("Unlocked a staff sign-in")
        ANONYMISE = "anonymise", _("Made a customer anonymous")

    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        "customers.Staff",
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when done from the command line."),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    store = models.ForeignKey(
        "customers.Store", verbose_name=_("store"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["store", "at"], name="audit_store_time")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"
