"""Customers, keyed by store + phone (DESIGN §5.1): new ones are added, known ones updated in place."""

from __future__ import annotations

from django.utils import timezone

from ...models import Customer
from .. import problems as p
from ..bulk import insert_rows, refresh_statistics, update_rows
from ..report import Row
from .base import Importer, Located

# Columns a file may give, and what a blank cell in them means.
BLANK = {
    "gender": "",
    "birthday": None,
    "level": "",
    "do_not_contact": False,
    "marketing_consent": False,
    "notes": "",
}


class CustomerImporter(Importer):
    kind = "customers"
    key_name = p.KEY_PHONE

    def import_batch(self, rows: list[Row]) -> None:
        located = self.not_after_today(self.located(rows), ("birthday", "joined_on"))
        located = self.first_of_each(located, key=lambda row, store: (store.id, row.values["phone"]))
        existing = self._existing(located)
        new, changed = [], []
        for row, store in located:
            current = existing.get((store.id, row.values["phone"]))
            if current is None:
                new.append(self._new(row, store))
            elif current["id"] in self.seen:
                wanted = self._wanted(row, current)
                self.repeat(row, same=all(current[name] == value for name, value in wanted.items()))
            else:
                self.seen.add(current["id"])
                wanted = self._wanted(row, current)
                if any(current[name] != value for name, value in wanted.items()):
                    changed.append({"id": current["id"], **wanted, "updated_at": timezone.now()})
                else:
                    self.report.unchanged += 1
        self.seen.update(insert_rows(Customer, new))
        update_rows(Customer, changed)
        self.report.added += len(new)
        self.report.updated += len(changed)

    def finish(self) -> None:
        refresh_statistics(Customer)

    def _existing(self, located: Located) -> dict[tuple[int, str], dict]:
        names = ("name", "joined_on", *BLANK)
        found = self.customers(located, *names)
        return {key: {"id": row[0], **dict(zip(names, row[1:], strict=True))} for key, row in found.items()}

    def _wanted(self, row: Row, current: dict) -> dict[str, object]:
        """The values the row sets. Columns the file lacks keep what is there; a blank joining date too."""
        values = row.values
        wanted: dict[str, object] = {"name": values["name"]}
        wanted["joined_on"] = values.get("joined_on") or current["joined_on"]
        for name, blank in BLANK.items():
            if name in values:
                wanted[name] = blank if values[name] is None else values[name]
            else:
                wanted[name] = current[name]
        return wanted

    def _new(self, row: Row, store) -> dict[str, object]:
        values = row.values
        customer = {"store_id": store.pk, "phone": values["phone"], "name": values["name"]}
        # A customer whose file gives no joining date joined, as far as we know, today.
        customer["joined_on"] = values.get("joined_on") or self.today(store)
        for name, blank in BLANK.items():
            customer[name] = blank if values.get(name) is None else values[name]
        return customer
