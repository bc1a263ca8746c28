"""The five dormancy buckets of DESIGN §4.2 (plain values, no database): the records keep a customer's bucket,
the workflow (`reactivation`) decides it each night."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Bucket(models.TextChoices):
    ACTIVE = "active", _("Active")
    M1 = "m1", _("1 month away")
    M2 = "m2", _("2 months away")
    M3 = "m3", _("3 months away")
    M3PLUS = "m3plus", _("More than 3 months away")


class BucketGroup(models.TextChoices):
    """Who calls a dormant bucket's customers (DESIGN §4.2; a store setting says which buckets are whose)."""

    BEAUTICIAN = "beautician", _("Beauticians")
    FRONT_DESK = "front_desk", _("Front desk")


DORMANT_BUCKETS: tuple[str, ...] = (Bucket.M1, Bucket.M2, Bucket.M3, Bucket.M3PLUS)

# For table headers on a phone.
SHORT_LABELS: dict[str, StrOrPromise] = {  # by bucket code
    Bucket.M1: _("1 mo."),
    Bucket.M2: _("2 mo."),
    Bucket.M3: _("3 mo."),
    Bucket.M3PLUS: _("3+ mo."),
}
