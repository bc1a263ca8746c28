"""Stores and staff: short lists, written one by one so each change lands in the model history."""

from __future__ import annotations

from typing import Literal

from ...access import manageable_staff
from ...models import Staff, Store
from .. import problems as p
from ..report import Row
from .base import Importer


class StoreImporter(Importer):
    kind = "stores"
    key_name = p.KEY_STORE

    def import_batch(self, rows: list[Row]) -> None:
        for row in rows:
            self._import_store(row)

    def _import_store(self, row: Row) -> None:
        code, name = row.values["code"], row.values["name"]
        store = self.store(code)
        if store is None:
            store = Store.objects.create(code=code, name=name)
            self.remember_store(store)
            self.report.added += 1
        elif store.pk in self.seen:
            return self.repeat(row, same=store.name == name)
        elif store.name != name:
            store.name = name
            store.save(update_fields=["name"])
            self.report.updated += 1
        else:
            self.report.unchanged += 1
        self.seen.add(store.pk)
        self.report.store_ids.add(store.pk)


class StaffImporter(Importer):
    """Staff accounts: new ones get no usable password (the manager sets one on the staff page)."""

    kind = "staff"
    key_name = p.KEY_USERNAME
    _accounts: dict[str, Staff]  # the current batch's accounts by user name

    def import_batch(self, rows: list[Row]) -> None:
        # The batch's accounts in one query, not one per row (a chain's staff file has thousands).
        usernames = {row.values["username"] for row in rows}
        self._accounts = {staff.username: staff for staff in Staff.objects.filter(username__in=usernames)}
        for row in rows:
            self._import_member(row)

    def _import_member(self, row: Row) -> None:
        values = row.values
        store = self._store_of(row)
        if store is False:
            return
        staff = self._accounts.get(values["username"])
        if staff is not None and staff.pk in self.seen:
            return self.repeat(row, same=not _changes(staff, values, store))
        refusal = self._refusal(staff, values, store)
        if refusal:
            return self.reject(row, *refusal)
        if staff is None:
            staff = self._create(values, store)
            self._accounts[staff.username] = staff
            self.report.added += 1
        elif self._update(staff, values, store):
            self.report.updated += 1
        else:
            self.report.unchanged += 1
        self.seen.add(staff.pk)

    def _store_of(self, row: Row) -> Store | Literal[False] | None:
        """The member's store; None for head office without one; False when the row was rejected."""
        if row.values["store"] is None:
            if row.values["role"] != Staff.Role.OWNER:
                self.reject(row, "store", p.STAFF_NEEDS_STORE)
                return False
            return None
        located = self.located([row])
        return located[0][1] if located else False

    def _refusal(self, staff: Staff | None, values: dict, store: Store | None) -> tuple[str, str] | None:
        """(column, reason) when this importer may not write this account; None when it may.

        A manager's import changes only accounts she manages (her beauticians and front desk): a peer
        manager's row must match the account as it is, so that no import can demote a manager into
        an account whose password the importer may set.
        """
        by_store = self.store_ids is not None  # a manager: only her own store, never head office
        if by_store and values["role"] == Staff.Role.OWNER:
            return "role", p.STAFF_OWNER_BY_MANAGER
        if staff is None:
            return None
        if self.by is not None and staff.pk == self.by.pk:
            return "username", p.STAFF_SELF
        if (staff.is_superuser and self.by is not None) or (by_store and staff.role == Staff.Role.OWNER):
            return "username", p.STAFF_PROTECTED
        if by_store and staff.store_id not in (self.store_ids or ()):
            return "username", p.STAFF_OF_OTHER_STORE
        if by_store and _changes(staff, values, store) and not self._manages(staff):
            return "username", p.STAFF_NOT_YOURS
        return None

    def _manages(self, staff: Staff) -> bool:
        return self.by is not None and manageable_staff(self.by).filter(pk=staff.pk).exists()

    def _create(self, values: dict, store: Store | None) -> Staff:
        staff = Staff(
            username=values["username"],
            name=values["name"],
            role=values["role"],
            store=store,
            is_active=values.get("active") is not False,
        )
        staff.set_unusable_password()
        staff.save()
        return staff

    def _update(self, staff: Staff, values: dict, store: Store | None) -> bool:
        changed = _changes(staff, values, store)
        for name, value in changed.items():
            setattr(staff, name, value)
        if changed:
            staff.save(update_fields=[name.removesuffix("_id") for name in changed])
        return bool(changed)


def _changes(staff: Staff, values: dict, store: Store | None) -> dict[str, object]:
    """What the row says that the account does not; a blank 在职 cell keeps the account as it is."""
    wanted = {"name": values["name"], "role": values["role"], "store_id": store.pk if store else None}
    if values.get("active") is not None:
        wanted["is_active"] = values["active"]
    return {name: value for name, value in wanted.items() if getattr(staff, name) != value}
