from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, available_timezones

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_BEAUTICIAN_BUCKETS = ["m1", "m2"]


def default_beautician_buckets() -> list[str]:
    return list(DEFAULT_BEAUTICIAN_BUCKETS)


def validate_timezone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(_("Unknown time zone: %(value)s"), params={"value": value})


class Store(models.Model):
    """A salon (门店) and the settings that make its routine its own."""

    code = models.CharField(
        _("store code"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]+$", _("Use letters, digits, - and _ only."))],
    )
    name = models.CharField(_("store name"), max_length=100)
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai", validators=[validate_timezone])
    is_active = models.BooleanField(_("open"), default=True)

    # Which dormant buckets the beauticians call; the other dormant buckets go to the front desk.
    beautician_buckets = models.JSONField(_("buckets called by beauticians"), default=default_beautician_buckets)
    attribution_days = models.PositiveSmallIntegerField(
        _("days a contact counts towards a return"), default=30, validators=[MinValueValidator(1)]
    )
    activation_visits = models.PositiveSmallIntegerField(
        _("visits that make a return an activation"), default=2, validators=[MinValueValidator(1)]
    )
    activation_months = models.PositiveSmallIntegerField(
        _("months in which those visits must fall"), default=3, validators=[MinValueValidator(1)]
    )
    marketing_cap_days = models.PositiveSmallIntegerField(
        _("days between two marketing messages to one customer"), default=7
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def today(self) -> dt.date:
        """The store's local date: what "today" means for its customers and staff."""
        return timezone.localdate(timezone=self.tzinfo)
