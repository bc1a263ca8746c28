from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, available_timezones

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..buckets import DORMANT_BUCKETS

DEFAULT_BEAUTICIAN_BUCKETS = ["m1", "m2"]
# Reward tiers (DESIGN §4.6) as [[up to, yuan], …, [None, yuan]]: the last tier has no upper bound.
DEFAULT_BEAUTICIAN_TIERS: list[tuple[str | None, str]] = [("1000.00", "20.00"), ("1500.00", "40.00"), (None, "50.00")]
# Manager tiers by customers activated in the month, as [[at least, yuan], …]; fewer than the first earns nothing.
DEFAULT_MANAGER_TIERS: list[tuple[int, str]] = [(3, "80.00"), (6, "150.00"), (10, "300.00")]


def default_beautician_buckets() -> list[str]:
    return list(DEFAULT_BEAUTICIAN_BUCKETS)


def default_beautician_tiers() -> list[list]:
    return [[limit, reward] for limit, reward in DEFAULT_BEAUTICIAN_TIERS]


def default_manager_tiers() -> list[list]:
    return [[count, reward] for count, reward in DEFAULT_MANAGER_TIERS]


def validate_beautician_buckets(value) -> None:
    if not isinstance(value, list) or any(b not in DORMANT_BUCKETS for b in value) or len(set(value)) != len(value):
        raise ValidationError(_("Choose dormant buckets (1, 2, 3 or more than 3 months away), each once."))


def _money(value) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(_("“%(value)s” is not an amount in yuan.") % {"value": value}) from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("Amounts are in yuan with at most two decimals, never negative."))
    return amount


def validate_beautician_tiers(value) -> None:
    """[[up to, yuan], …, [None, yuan]]: ascending limits, the last one open-ended."""
    if not isinstance(value, list) or not value or any(not isinstance(t, list) or len(t) != 2 for t in value):
        raise ValidationError(_("Give at least one tier: up to an amount spent, the reward."))
    limits = [t[0] for t in value]
    if limits[-1] is not None or any(limit is None for limit in limits[:-1]):
        raise ValidationError(_("Only the last tier may be open-ended, and it must be."))
    bounded = [_money(limit) for limit in limits[:-1]]
    if bounded != sorted(set(bounded)):
        raise ValidationError(_("Tier limits must go up from one tier to the next."))
    for _limit, reward in value:
        _money(reward)


def validate_manager_tiers(value) -> None:
    """[[at least N activated, yuan], …]: ascending counts."""
    if not isinstance(value, list) or any(not isinstance(t, list) or len(t) != 2 for t in value):
        raise ValidationError(_("Give each tier as: at least this many customers activated, the reward."))
    counts = [t[0] for t in value]
    if any(not isinstance(n, int) or isinstance(n, bool) or n < 1 for n in counts) or counts != sorted(set(counts)):
        raise ValidationError(_("Customer counts must be whole numbers going up from one tier to the next."))
    for _count, reward in value:
        _money(reward)


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
    beautician_buckets = models.JSONField(
        _("buckets called by beauticians"), default=default_beautician_buckets, validators=[validate_beautician_buckets]
    )
    attribution_days = models.PositiveSmallIntegerField(
        _("days a contact counts towards a return"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    activation_visits = models.PositiveSmallIntegerField(
        _("visits that make a return an activation"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    activation_months = models.PositiveSmallIntegerField(
        _("months in which those visits must fall"), default=3, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    marketing_cap_days = models.PositiveSmallIntegerField(
        _("days between two marketing messages to one customer"), default=7, validators=[MaxValueValidator(365)]
    )
    daily_contact_target = models.PositiveSmallIntegerField(
        _("contacts per person per day"),
        default=10,
        db_default=10,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    reward_per_return_visit = models.DecimalField(
        _("reward per visit of a returned customer (yuan)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("5.00"),
        db_default=Decimal("5.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    beautician_reward_tiers = models.JSONField(
        _("beautician bonus by the returning customer's spend"),
        default=default_beautician_tiers,
        db_default=Value(default_beautician_tiers(), output_field=models.JSONField()),
        validators=[validate_beautician_tiers],
    )
    manager_reward_tiers = models.JSONField(
        _("manager bonus by customers activated in the month"),
        default=default_manager_tiers,
        db_default=Value(default_manager_tiers(), output_field=models.JSONField()),
        validators=[validate_manager_tiers],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The routine's settings carry database defaults too: rows written by raw SQL (a migration script,
    # a benchmark's generator) get the same defaults as rows written through Django.

    # What a manager may change at /settings/ (through `customers.services.store_settings`).
    SETTINGS = (
        "beautician_buckets",
        "activation_visits",
        "activation_months",
        "attribution_days",
        "daily_contact_target",
        "marketing_cap_days",
        "reward_per_return_visit",
        "beautician_reward_tiers",
        "manager_reward_tiers",
    )

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
