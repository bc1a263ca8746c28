"""What every import kind shares: finding the row's store, refusing stores outside the importer's
reach, dates after today, and rows that repeat an earlier row of the same file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

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

    # --- whole-file (columnar) helpers ------------------------------------------------------------

    columnar = False  # True: the kind reads, checks and writes the whole file itself (`import_file`)
    dry_run = False

    def import_file(self, stream) -> None:
        raise NotImplementedError

    def progress(self, *, checked: int | None = None, imported: int | None = None) -> None:
        self.report.progress(checked=checked, imported=imported)

    def checking(self, rows: int, expected: int) -> None:
        """`rows` of about `expected` read and checked cell by cell."""
        self.report.rows = expected
        self.progress(checked=rows)

    def reject_at(self, number: int, field: str, cell: object, msgid: str, **params: object) -> None:
        """Row `number` is bad: `field`'s cell (as written) for this reason."""
        self.report.reject_cells(number, [(field, "" if cell is None else str(cell), p.Problem(msgid, **params))])

    def phone_is_valid(self, phone: str) -> bool:
        try:
            normalize_phone(phone)
        except ValidationError:
            return False
        return True

    def stores_of(self, checked):
        """The checked rows with their store (`store_id`); rows naming an unknown store,
        or one the importer may not touch, are bad rows."""
        import polars as pl

        from ..columnar import RAW, ROW

        frame = checked.frame
        found: dict[str, int] = {}
        refused: dict[str, tuple[str, dict[str, object]]] = {}
        for code in frame["store"].unique(maintain_order=True).to_list():
            store = self.store(code)
            if store is None:
                refused[code] = (p.UNKNOWN_STORE, {"value": code})
            elif self.store_ids is not None and store.id not in self.store_ids:
                refused[code] = (p.NOT_YOUR_STORE, {"store": self._own_store_code()})
            else:
                found[code] = store.id
        if refused:
            bad = frame.filter(pl.col("store").cast(pl.String).is_in(list(refused)))
            for number, code, cell in bad.select(ROW, "store", f"{RAW}store").iter_rows():
                msgid, params = refused[code]
                self.reject_at(number, "store", cell, msgid, **params)
            frame = frame.filter(~pl.col("store").cast(pl.String).is_in(list(refused)))
        self.report.store_ids.update(set(found.values()))
        store_id = (
            pl.col("store")
            .cast(pl.String)
            .replace_strict(list(found), list(found.values()), default=None, return_dtype=pl.Int64)
        )
        return frame.with_columns(store_id.alias("store_id"))

    def dates_not_after_today(self, checked, frame, fields: tuple[str, ...]):
        """The rows whose dates (in `fields`) are not after their store's today; the others are bad rows
        (the first such date of each row is named)."""
        import polars as pl

        from ..columnar import RAW, ROW, looked_up, today_of, without

        fields = tuple(f for f in fields if checked.has(f))
        if not fields or frame.height == 0:
            return frame
        stores = {pk: self.today(self.store_by_id(pk)) for pk in frame["store_id"].unique().to_list()}
        frame = looked_up(frame, today_of(stores), ["store_id"])
        late = pl.any_horizontal((pl.col(f) > pl.col("today")).fill_null(False) for f in fields)
        for record in frame.filter(late).iter_rows(named=True):
            field = next(f for f in fields if record[f] is not None and record[f] > record["today"])
            self.reject_at(record[ROW], field, record[f"{RAW}{field}"], p.DATE_IN_FUTURE, value=record[field])
        return without(frame, late).drop("today")

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

    def store_by_id(self, pk: int) -> Store:
        """A store a row named (found by `store` already)."""
        self.store("")
        assert self._stores is not None
        return next(store for store in self._stores.values() if store.pk == pk)

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
