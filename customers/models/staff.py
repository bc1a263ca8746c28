from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffManager(UserManager["Staff"]):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Staff.Role.OWNER)
        return super().create_superuser(username, email, password, **extra_fields)


class Staff(AbstractUser):
    """A person who signs in: head office, a store manager, a beautician or the front desk.

    Staff who leave are deactivated (`is_active = False`), never deleted, so their
    follow-ups and visits keep their name.
    """

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner / head office")
        MANAGER = "manager", _("Store manager")
        BEAUTICIAN = "beautician", _("Beautician")
        FRONT_DESK = "front_desk", _("Front desk")

    name = models.CharField(_("name"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.BEAUTICIAN)
    store = models.ForeignKey(
        "customers.Store",
        verbose_name=_("store"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("Owners may have no store: they see every store."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    objects: ClassVar[StaffManager] = StaffManager()

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["store_id", "role", "username"]
        indexes = [
            # The nightly job lists each store's active staff per role.
            models.Index(fields=["store", "role", "is_active"], name="staff_store_role_active"),
        ]

    def __str__(self) -> str:
        return self.name or self.username

    def get_full_name(self) -> str:
        return self.name or self.username

    def get_short_name(self) -> str:
        return self.name or self.username

    @property
    def is_head_office(self) -> bool:
        """Head office (老板/总部): an owner, or a superuser. Sees every store, works on one at a time."""
        return self.role == self.Role.OWNER or self.is_superuser

    @property
    def is_manager(self) -> bool:
        return self.role == self.Role.MANAGER

    @property
    def is_beautician(self) -> bool:
        return self.role == self.Role.BEAUTICIAN

    @property
    def is_front_desk(self) -> bool:
        return self.role == self.Role.FRONT_DESK
