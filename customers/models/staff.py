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

    A password a store manager handed over (set at /staff/ for her beautician or front desk) is
    good only for the account as it was: when the account's role or store changes — through an
    import, the admin, the command line or any other door that saves it — the password becomes
    unusable and her sessions end. Otherwise a manager could set a beautician's password and have
    the account promoted, or a peer manager demoted, set and promoted back, and sign in as a
    manager she does not manage. Whoever now manages the account sets a new one. A password the
    person chose or head office set is not affected.
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
    password_set_by_manager = models.BooleanField(
        _("password set by a store manager"),
        default=False,
        db_default=False,  # rows written by raw SQL (a benchmark's generator) get it too
        editable=False,
        help_text=_("Such a password stops working when the account's role or store changes."),
    )

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

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_set_by_manager = False  # whoever sets it now (she herself, head office) owns it

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if self._handed_over_password_expires(update_fields):
            self.set_unusable_password()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "password", "password_set_by_manager"}
        super().save(*args, **kwargs)

    def _handed_over_password_expires(self, update_fields) -> bool:
        """True when this save changes the role or store of an account whose password a manager set."""
        if self.pk is None or (update_fields is not None and not {"role", "store", "store_id"} & set(update_fields)):
            return False
        before = Staff.objects.filter(pk=self.pk).values("role", "store_id", "password_set_by_manager").first()
        if before is None or not before["password_set_by_manager"]:
            return False
        return (before["role"], before["store_id"]) != (self.role, self.store_id)

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
