"""What every import kind shares: finding the row's store, refusing stores outside the importer's
reach, dates after today, and rows that repeat an earlier row of the same file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable

from django.core.exceptions import ValidationError
from django.db import connection

from ...models import Customer, Staff, Store
from ...phones import normalize_phone
from .. import problems as p
from ..bulk import any_of
from ..report import ImportReport, Row

Located = list[tuple[Row, Store]]


class SeenIds:
    """Ids of rows this import has already written or matched, one bit each.

    A later row of the file with the same key finds its record here and is a repeat, however
    far apart the two rows are — without keeping the file's keys in memory.
    """

    def __init__(self) -> None:
        self._bits = bytearray()

    def add(self, pk: int) -> None:
        byte = pk >> 3
        if byte >= len(self._bits):
            self._bits.extend(bytes(max(byte + 1 - len(self._bits), len(self._bits))))
        self._bits[byte] |= 1 << (pk & 7)

    def update(self, pks: Iterable[int]) -> None:
        for pk in pks:
            self.add(pk)

    def __contains__(self, pk: int) -> bool:
        byte = pk >> 3
        return byte < len(self._bits) and bool(self._bits[byte] & (1 << (pk & 7)))


class Importer:
    """One kind's import, inside the import's transaction: `import_batch` for each few thousand
    good rows in file order, `complete` after the last, `finish` when every row was good (not on a
    dry run), and `close` whatever happened."""

    kind = ""
    key_name = ""

    def __init__(self, *, report: ImportReport, store_ids: frozenset[int] | None, by: Staff | None, note: str):
        self.report = report
        self.store_ids = store_ids
        self.by = by
        self.note = note
        self.seen = SeenIds()
        self._stores: dict[str, Store] | None = None
        self._today: dict[int, dt.date] = {}
        self._directories: dict[int, dict[str, tuple]] = {}

    def import_batch(self, rows: list[Row]) -> None:
        raise NotImplementedError

    def complete(self) -> None:
        """Write whatever is still pending after the last batch; dry run or not."""

    def finish(self) -> None:
        """Work that needs every row written first (only for a file without bad rows, not on a dry run)."""

    def close(self) -> None:
        """Let go of what the importer holds, whatever happened."""

    # --- helpers for the kinds ------------------------------------------------------

    def reject(self, row: Row, field: str, msgid: str, **params: object) -> None:
        """Row `row` is bad, and so are its twins (counted as unchanged until now)."""
        for bad in (row, *row.twins):
            self.report.reject(bad, {field: p.Problem(msgid, **params)})
        self.report.unchanged -= len(row.twins)

    def twin(self, first: Row, row: Row) -> None:
        """`row` says exactly what `first` said: harmless, counted as unchanged, unless `first` turns out bad."""
        first.twins.append(row)
        self.report.unchanged += 1

    def located(self, rows: list[Row], field: str = "store") -> Located:
        """Rows with their store; rows naming an unknown store, or one the importer may not touch, are rejected."""
        found: Located = []
        known: dict[object, Store | None] = {}  # a file names a handful of stores, a million times
        for row in rows:
            code = row.values[field]
            store = known[code] if code in known else known.setdefault(code, self.store(code))
            if store is None:
                self.reject(row, field, p.UNKNOWN_STORE, value=row.values[field])
            elif self.store_ids is not None and store.id not in self.store_ids:
                self.reject(row, field, p.NOT_YOUR_STORE, store=self._own_store_code())
            else:
                found.append((row, store))
        self.report.store_ids.update({store.id for _row, store in found})
        return found

    def store(self, code: object) -> Store | None:
        """The store with this code; a code typed in the wrong case still finds its store."""
        if self._stores is None:
            stores = list(Store.objects.all())
            self._stores = {s.code.lower(): s for s in stores} | {s.code: s for s in stores}
        return self._stores.get(str(code)) or self._stores.get(str(code).lower())

    def remember_store(self, store: Store) -> None:
        """A store this import created: later rows of the file may name it."""
        self.store(store.code)
        assert self._stores is not None
        self._stores[store.code] = self._stores[store.code.lower()] = store

    def today(self, store: Store) -> dt.date:
        """The store's today, read once per import (a long import does not straddle two "todays")."""
        if store.id not in self._today:
            self._today[store.id] = store.today()
        return self._today[store.id]

    def _own_store_code(self) -> str:
        stores = [s.code for s in Store.objects.filter(pk__in=self.store_ids or [])]
        return "、".join(stores) or "-"

    def not_after_today(self, located: Located, fields: tuple[str, ...]) -> Located:
        """The rows whose dates (in `fields`) are not after their store's today; the others are rejected."""
        kept: Located = []
        for row, store in located:
            today = self._today.get(store.id) or self.today(store)
            values = row.values
            for field in fields:
                value = values.get(field)
                if value is not None and value > today:
                    self.reject(row, field, p.DATE_IN_FUTURE, value=value)
                    break
            else:
                kept.append((row, store))
        return kept

    def first_of_each(self, located: Located, key: Callable[[Row, Store], Hashable]) -> Located:
        """Rows of this batch with a key not seen earlier in the batch; the repeats go to `repeat`."""
        firsts: dict[Hashable, Row] = {}
        kept: Located = []
        for row, store in located:
            row_key = key(row, store)
            if row_key in firsts and row.values == firsts[row_key].values:
                self.twin(firsts[row_key], row)
            elif row_key in firsts:
                self.repeat(row, same=False)
            else:
                firsts[row_key] = row
                kept.append((row, store))
        return kept

    def customers(self, located: Located, *columns: str) -> dict[tuple[int, str], tuple]:
        """(store id, phone) → (customer id, *columns) for the customers the rows name."""
        wanted: dict[int, set[str]] = {}
        for row, store in located:
            wanted.setdefault(store.id, set()).add(row.values["phone"])
        found = {}
        for store_id, phones in wanted.items():
            for phone, *rest in _customers_by_phone(store_id, sorted(phones), columns):
                found[(store_id, phone)] = tuple(rest)
        return found

    def store_customers(self, store: Store, *columns: str) -> dict[str, tuple]:
        """Phone → (customer id, *columns) for every customer of the store, read once per import.

        For visits: customers do not change while visits import, and one read of the store's
        customers beats a lookup per batch. Memory (some 150 bytes a customer) grows with the
        store, never with the file.
        """
        if store.id not in self._directories:
            rows = _customers_by_phone(store.id, None, columns)
            self._directories[store.id] = {phone: tuple(rest) for phone, *rest in rows}
        return self._directories[store.id]

    def reject_unknown_customer(self, row: Row, store: Store) -> None:
        """No such customer: say whether the number is wrong or the customer is missing."""
        try:
            normalize_phone(row.values["phone"])
        except ValidationError:
            return self.reject(row, "phone", p.BAD_PHONE, value=row.values["phone"])
        self.reject(row, "phone", p.UNKNOWN_CUSTOMER, store=store.code)

    def repeat(self, row: Row, *, same: bool) -> None:
        """A row whose key an earlier row of the file had. Saying the same thing again is harmless
        (exports often list a line twice) and counts as unchanged; saying something else is a bad row."""
        if same:
            self.report.unchanged += 1
            return
        field = "phone" if "phone" in row.values else next(iter(row.values))
        self.reject(row, field, p.REPEATED_ROW, key=self.key_name)


def _customers_by_phone(store_id: int, phones: list[str] | None, columns: tuple[str, ...]) -> list[tuple]:
    """The store's customers with these phones (all of them for None).

    Raw SQL on purpose: `phone__in` would run every already normalised number through the phone
    field's full validation again, a third of a large visits import's time."""
    selected = ", ".join(["phone", "id", *columns])
    sql = f"SELECT {selected} FROM {Customer._meta.db_table} WHERE store_id = %s"
    params: list[int | str] = [store_id]
    if phones is not None:
        phone_is_one_of, phone_params = any_of("phone", phones, "varchar")
        sql += f" AND {phone_is_one_of}"
        params += phone_params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
