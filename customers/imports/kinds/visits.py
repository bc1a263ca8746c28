"""Visits, keyed by store + phone + date + service (DESIGN §5.1).

A visit names a customer the store already has (anyone else is a bad row), optionally the
beautician who served her (user name, or her name when that is unambiguous) and the service (a
service the menu lacks is added to it). Once every row is written, customers' last visits move
forward and dormant customers who came back leave the call lists (`visits_recorded`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from reactivation.services.returns import visits_recorded

from ...models import Service, Staff, Store, Visit
from .. import problems as p
from ..bulk import insert_rows, refresh_statistics, update_rows
from ..report import Row
from .base import Importer

ZERO = Decimal("0.00")
RECORD_CHUNK = 2000  # customers brought up to date per call of visits_recorded


class RecordedVisit(NamedTuple):
    """What `visits_recorded` needs of a visit, without building a model instance per row."""

    pk: int
    customer_id: int
    visited_on: dt.date


class VisitImporter(Importer):
    kind = "visits"
    key_name = p.KEY_VISIT

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._staff: dict[int, dict[str, int | str]] = {}
        self._services: dict[int, dict[str, int]] = {}
        # Per store, per customer: her earliest new visit after the day she was last seen, else any visit.
        self._touched: dict[int, dict[int, RecordedVisit]] = {}

    def import_batch(self, rows: list[Row]) -> None:
        located = self.not_after_today(self.located(rows), ("visited_on",))
        customers = self.customers(located, "last_visit_on", "joined_on")
        planned = []
        for row, store in located:
            customer = customers.get((store.pk, row.values["phone"]))
            if customer is None:
                self.reject_unknown_customer(row, store)
            elif (visit := self._visit(row, store, customer[0])) is not None:
                # The day she was last seen: her last visit, or the day she joined.
                planned.append((row, store, customer[1] or customer[2], visit))
        self._write(self._first_of_each_visit(planned))

    def finish(self) -> None:
        refresh_statistics(Visit)
        for store_id, touched in self._touched.items():
            store = Store.objects.get(pk=store_id)
            visits = list(touched.values())
            for start in range(0, len(visits), RECORD_CHUNK):
                visits_recorded(store=store, visits=visits[start : start + RECORD_CHUNK])

    # --- one batch ---------------------------------------------------------------------

    def _visit(self, row: Row, store: Store, customer_id: int) -> dict | None:
        values = row.values
        beautician_id = self._beautician(store, values.get("beautician"))
        if isinstance(beautician_id, str):
            self.reject(row, "beautician", beautician_id, store=store.code)
            return None
        return {
            "store_id": store.pk,
            "customer_id": customer_id,
            "visited_on": values["visited_on"],
            "service_id": self._service(store, values.get("service")),
            "beautician_id": beautician_id,
            "amount": values.get("amount") or ZERO,
            "created_by_id": self.by.pk if self.by else None,
        }

    def _first_of_each_visit(self, planned: list) -> list:
        keys, kept = set(), []
        for entry in planned:
            visit = entry[3]
            key = (visit["customer_id"], visit["visited_on"], visit["service_id"])
            if key in keys:
                self.reject_repeat(entry[0])
            else:
                keys.add(key)
                kept.append(entry)
        return kept

    def _write(self, planned: list) -> None:
        existing = self._existing([entry[3] for entry in planned])
        new, changed = [], []
        for row, store, last_seen, visit in planned:
            current = existing.get((visit["customer_id"], visit["visited_on"], visit["service_id"]))
            if current is None:
                new.append((store, last_seen, visit))
            elif current[0] in self.seen:
                self.reject_repeat(row)
            else:
                self.seen.add(current[0])
                self._touch(store, last_seen, RecordedVisit(current[0], visit["customer_id"], visit["visited_on"]))
                change = _change(row, visit, current)
                if change:
                    changed.append(change)
                else:
                    self.report.unchanged += 1
        ids = insert_rows(Visit, [visit for _store, _last_seen, visit in new])
        for pk, (store, last_seen, visit) in zip(ids, new, strict=True):
            self.seen.add(pk)
            self._touch(store, last_seen, RecordedVisit(pk, visit["customer_id"], visit["visited_on"]))
        update_rows(Visit, changed)
        self.report.added += len(new)
        self.report.updated += len(changed)

    def _existing(self, visits: list[dict]) -> dict[tuple, tuple[int, int | None, Decimal]]:
        if not visits:
            return {}
        dates = [visit["visited_on"] for visit in visits]
        rows = Visit.objects.filter(
            customer_id__in={visit["customer_id"] for visit in visits}, visited_on__range=(min(dates), max(dates))
        ).values_list("id", "customer_id", "visited_on", "service_id", "beautician_id", "amount")
        return {(c, d, s): (pk, b, a) for pk, c, d, s, b, a in rows}

    def _touch(self, store: Store, last_seen: dt.date, visit: RecordedVisit) -> None:
        touched = self._touched.setdefault(store.pk, {})
        kept = touched.get(visit.customer_id)
        if kept is None or (
            visit.visited_on > last_seen
            and (kept.visited_on <= last_seen or (visit.visited_on, visit.pk) < (kept.visited_on, kept.pk))
        ):
            touched[visit.customer_id] = visit

    # --- the store's staff and menu ---------------------------------------------------------

    def _beautician(self, store: Store, value: object) -> int | str | None:
        """The staff member's id, None for a blank cell, or the reason she cannot be found."""
        if value is None:
            return None
        if store.pk not in self._staff:
            self._staff[store.pk] = _staff_directory(store)
        return self._staff[store.pk].get(str(value), p.UNKNOWN_BEAUTICIAN)

    def _service(self, store: Store, name: object) -> int | None:
        if name is None:
            return None
        menu = self._services.get(store.pk)
        if menu is None:
            menu = self._services[store.pk] = dict(Service.objects.filter(store=store).values_list("name", "id"))
        if name not in menu:
            menu[str(name)] = Service.objects.create(store=store, name=name).pk
            self.report.new_services.append(str(name))
        return menu[str(name)]


def _change(row: Row, visit: dict, current: tuple[int, int | None, Decimal]) -> dict | None:
    """The update an existing visit needs, or None. Columns the file lacks keep what is there."""
    pk, beautician_id, amount = current
    wanted = {"id": pk, "beautician_id": beautician_id, "amount": amount}
    if "beautician" in row.values:
        wanted["beautician_id"] = visit["beautician_id"]
    if "amount" in row.values:
        wanted["amount"] = visit["amount"]
    return wanted if (wanted["beautician_id"], wanted["amount"]) != (beautician_id, amount) else None


def _staff_directory(store: Store) -> dict[str, int | str]:
    """User name or name → staff id; a name two people share points to the reason instead."""
    directory: dict[str, int | str] = {}
    members = list(Staff.objects.filter(store=store).values_list("id", "username", "name"))
    for pk, _username, name in members:
        if name:
            directory[name] = p.AMBIGUOUS_BEAUTICIAN if name in directory else pk
    for pk, username, _name in members:
        directory[username] = pk
    return directory
