from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class RewardSheetStamp(models.Model):
    """A new token every time something the store's reward sheet reads changes (visits, returns, staff, settings),
    written in the writer's transaction: figures computed from the sheet are cached under the token, so a
    cached figure can never outlive the data it came from (`reactivation.selectors.rewards.my_month`)."""

    store = models.OneToOneField(
        "customers.Store", verbose_name=_("store"), on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    token = models.UUIDField(_("token"), default=uuid.uuid4)

    class Meta:
        verbose_name = _("reward sheet stamp")
        verbose_name_plural = _("reward sheet stamps")

    def __str__(self) -> str:
        return f"{self.store_id}: {self.token}"
