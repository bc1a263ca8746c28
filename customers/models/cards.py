from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Card(models.Model):
    """A prepaid card (储值卡 stored value, 疗程卡 sessions).

    `balance` and `sessions_left` are caches of the card's ledger: they change
    only in the same transaction as a `CardEntry` (see `customers.services.cards`),
    so every balance can be explained entry by entry.
    """

    class Kind(models.TextChoices):
        VALUE = "value", _("Stored value")
        SESSIONS = "sessions", _("Sessions")

    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="cards"
    )
    name = models.CharField(_("card name"), max_length=100)
    kind = models.CharField(_("card type"), max_length=10, choices=Kind.choices, default=Kind.VALUE)
    balance = models.DecimalField(_("balance (yuan)"), max_digits=12, decimal_places=2, default=0, editable=False)
    sessions_left = models.PositiveIntegerField(_("sessions left"), default=0, editable=False)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        ordering = ["customer_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "name"], name="card_name_unique_per_customer"),
            models.CheckConstraint(condition=Q(balance__gte=0), name="card_balance_not_negative"),
        ]
        indexes = [
            # The dashboard's "cards expiring in the next 30 days": walked in expiry order, only cards still
            # holding something, until enough of the store's dormant customers' cards are found.
            models.Index(
                fields=["expires_on", "id"],
                name="card_expiring_with_money",
                condition=Q(balance__gt=0) | Q(sessions_left__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CardEntry(models.Model):
    """One line of a card's ledger. Entries are only ever added, never changed or deleted."""

    class Kind(models.TextChoices):
        OPENING = "opening", _("Opening balance")
        TOP_UP = "top_up", _("Top-up")
        CONSUME = "consume", _("Consumption")
        ADJUST = "adjust", _("Adjustment")

    card = models.ForeignKey("customers.Card", verbose_name=_("card"), on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("entry type"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2, default=0)
    sessions = models.IntegerField(_("sessions"), default=0)
    balance_after = models.DecimalField(_("balance after (yuan)"), max_digits=12, decimal_places=2)
    sessions_after = models.IntegerField(_("sessions after"))
    visit = models.ForeignKey(
        "customers.Visit",
        verbose_name=_("visit"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="card_entries",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        "customers.Staff",
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("card ledger entry")
        verbose_name_plural = _("card ledger entries")
        ordering = ["card_id", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount:+} / {self.sessions:+}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Card ledger entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Card ledger entries are append-only.")
