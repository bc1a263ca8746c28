"""Visits, keyed by store + phone + date + service (DESIGN §5.1).

A visit names a customer the store already has (anyone else is a bad row), optionally the
beautician who served her (user name, or her name when that is unambiguous) and the service (a
service the menu lacks is added to it). Once every row is written, customers' last visits move
forward and dormant customers who came back leave the call lists (announced through
`customers.visit_hooks.visits_saved`).
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import Future
from decimal import Decimal
from functools import partial
from typing import NamedTuple

from django.db import connection

from customers.visit_hooks import visits_saved

from ...models import Service, Staff, Store, Visit
from .. import problems as p
from ..bulk import any_of, new_rows_statements, refresh_statistics, run_statements, update_rows
from ..report import Row
from ..writer import BatchWriter
from .base import Importer

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
RECORD_CHUNK = 2000  # customers brought up to date per call of visits_recorded
VISIT_KEY = ("customer_id", "visited_on", "service_id")


class RecordedVisit(NamedTuple):
    """What the saved-visits hook needs of a visit, without building a model instance per row."""

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
        self._writer = BatchWriter()
        self._writing: tuple[list[_Planned], Future[list]] | None = None

    def import_batch(self, rows: list[Row]) -> None:
        """Prepare batch k while the writer inserts batch k-1; take in k-1's outcome; hand k over."""
        planned = self._plan(self.not_after_today(self.located(rows), ("visited_on",)))
        statements = new_rows_statements(Visit, [entry.visit for entry in planned], VISIT_KEY)
        self._collect()
        self._writing = (planned, self._writer.submit(partial(run_statements, statements)))

    def complete(self) -> None:
        self._collect()

    def close(self) -> None:
        self._writer.close()

    def finish(self) -> None:
        refresh_statistics(Visit)
        for store_id, touched in self._touched.items():
            store = Store.objects.get(pk=store_id)
            visits = list(touched.values())
            for start in range(0, len(visits), RECORD_CHUNK):
                visits_saved(store=store, visits=visits[start : start + RECORD_CHUNK])

    def _plan(self, located) -> list[_Planned]:
        """The rows naming a customer and staff member the store has, each key once in the batch.
        (The loop runs for every row of the file: what does not change per row is looked up once.)"""
        planned: list[_Planned] = []
        firsts: dict[tuple, tuple[Row, dict]] = {}
        created_by = self.by.id if self.by else None
        directories: dict[int, dict[str, tuple]] = {}
        for row, store in located:
            values = row.values
            directory = directories.get(store.id)
            if directory is None:
                directory = directories[store.id] = self.store_customers(store, "last_visit_on", "joined_on")
            customer = directory.get(values["phone"])
            if customer is None:
                self.reject_unknown_customer(row, store)
                continue
            beautician_id = self._beautician(store, values.get("beautician"))
            if type(beautician_id) is str:
                self.reject(row, "beautician", beautician_id, store=store.code)
                continue
            visit = {
                "store_id": store.id,
                "customer_id": customer[0],
                "visited_on": values["visited_on"],
                "service_id": self._service(store, values.get("service")),
                "beautician_id": beautician_id,
                "amount": values.get("amount") or ZERO,
                "created_by_id": created_by,
            }
            key = (customer[0], visit["visited_on"], visit["service_id"])
            if key in firsts:
                first_row, first = firsts[key]
                if (first["beautician_id"], first["amount"]) == (beautician_id, visit["amount"]):
                    self.twin(first_row, row)
                else:
                    self.repeat(row, same=False)
                continue
            firsts[key] = (row, visit)
            # The day she was last seen: her last visit, or the day she joined.
            planned.append(_Planned(row, store, customer[1] or customer[2], visit))
        return planned

    def _collect(self) -> None:
        """Take in the batch the writer inserted. A visit it did not insert has a key already
        taken: by a visit saved before the import (updated, or left as it is) or by a visit this
        import wrote from an earlier row (a repeat)."""
        if self._writing is None:
            return
        planned, outcome = self._writing
        self._writing = None
        inserted = {(c, str(d), s): pk for pk, c, d, s in outcome.result()}
        taken = []
        for entry in planned:
            visit = entry.visit
            pk = inserted.get((visit["customer_id"], visit["visited_on"].isoformat(), visit["service_id"]))
            if pk is None:
                taken.append(entry)
            else:
                self.seen.add(pk)
                self._touch(entry.store, entry.last_seen, RecordedVisit(pk, visit["customer_id"], visit["visited_on"]))
        self.report.added += len(planned) - len(taken)
        if taken:
            self._match_saved(taken)

    def _match_saved(self, taken: list[_Planned]) -> None:
        existing = _existing([entry.visit for entry in taken])
        changed = []
        for entry in taken:
            visit = entry.visit
            current = existing.get((visit["customer_id"], visit["visited_on"], visit["service_id"]))
            if current is None:  # taken a moment ago, gone now: someone else is changing these visits
                raise p.Problem(p.CONCURRENT_CHANGE)
            if current[0] in self.seen:
                self.repeat(entry.row, same=_change(entry.row, visit, current) is None)
                continue
            self.seen.add(current[0])
            change = _change(entry.row, visit, current)
            if change:  # who served her may change her last beautician; an unchanged visit changes nothing
                changed.append(change)
                saved = RecordedVisit(current[0], visit["customer_id"], visit["visited_on"])
                self._touch(entry.store, entry.last_seen, saved)
            else:
                self.report.unchanged += 1
        update_rows(Visit, changed)
        self.report.updated += len(changed)

    def _touch(self, store: Store, last_seen: dt.date, visit: RecordedVisit) -> None:
        touched = self._touched.setdefault(store.id, {})
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
        if store.id not in self._staff:
            self._staff[store.id] = _staff_directory(store)
        return self._staff[store.id].get(str(value), p.UNKNOWN_BEAUTICIAN)

    def _service(self, store: Store, name: str | None) -> int | None:
        if name is None:
            return None
        menu = self._services.get(store.id)
        if menu is None:
            menu = self._services[store.id] = dict(Service.objects.filter(store=store).values_list("name", "id"))
        if name not in menu:
            menu[str(name)] = Service.objects.create(store=store, name=name).pk
            self.report.new_services.append(str(name))
        return menu[str(name)]


class _Planned(NamedTuple):
    row: Row
    store: Store
    last_seen: dt.date  # her last visit before the import, or the day she joined
    visit: dict


def _existing(visits: list[dict]) -> dict[tuple, tuple[int, int | None, Decimal]]:
    """The saved visits under these visits' keys (their customers, within their dates)."""
    dates = [visit["visited_on"] for visit in visits]
    customer_is_one_of, params = any_of("customer_id", sorted({visit["customer_id"] for visit in visits}), "bigint")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, customer_id, visited_on, service_id, beautician_id, amount FROM {Visit._meta.db_table} "
            f"WHERE {customer_is_one_of} AND visited_on BETWEEN %s AND %s",
            [*params, min(dates), max(dates)],
        )
        rows = cursor.fetchall()
    # SQLite hands decimals back as floats: through str to fen, or 0.1 would differ from 0.10.
    return {(c, d, s): (pk, b, Decimal(str(a)).quantize(CENT)) for pk, c, d, s, b, a in rows}


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
