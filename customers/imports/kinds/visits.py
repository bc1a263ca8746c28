"""Visits, keyed by store + phone + date + service (DESIGN §5.1), checked and written a whole file at a time.

A visit names a customer the store already has (anyone else is a bad row), optionally the
beautician who served her (user name, or her name when that is unambiguous) and the service (a
service the menu lacks is added to it). The file is read as columns (`columnar`): each check runs
once per distinct store, date, phone, beautician or service, and rows are matched to customers,
to each other and to the visits already saved by joins, not one by one. New visits go in with one
COPY. Once every row is written, customers' last visits move forward and dormant customers who
came back leave the call lists (announced through `customers.visit_hooks.visits_saved`).
"""

from __future__ import annotations

import datetime as dt
from typing import BinaryIO, NamedTuple, cast

import polars as pl
from django.db import connection

from customers.visit_hooks import visits_saved

from ...models import Customer, Service, Staff, Store, Visit
from ...services.last_visits import customers_record_first_visits, customers_refresh_last_visits, first_visits
from .. import problems as p
from ..bulk import (
    allocate_ids,
    array_text,
    copy_frame,
    fetch_frame,
    lock_for_key_share,
    refresh_statistics,
    sequence_position,
    update_rows,
)
from ..columnar import RAW, ROW, Checked, as_written, looked_up, read_checked, repeats_a_key, without, yuan, yuan_text
from ..indexes import indexes_built_after
from .base import Importer

RECORD_CHUNK = 2000  # customers brought up to date per call of visits_saved (SQLite: its parameter limit)
RECORD_CHUNK_POSTGRESQL = 50_000  # (PostgreSQL: the customers travel as one array)
KEY = ["customer_id", "visited_on", "service_id"]
PHONES_PER_STORE = 10**11  # store and phone as one number: store * PHONES_PER_STORE + the 11-digit phone
# A first import's million visits build these once rather than row by row (`indexes`).
BUILT_AFTER = frozenset({"visit_store_date", "visit_unique_per_day_and_service"})
# A file that brings more than this share of the customers a new last visit (a chain's period export, as it
# moves in) rewrites their rows with every index but the primary key built once after (`indexes`).
CUSTOMERS_REWRITTEN = 0.5
CUSTOMER_INDEXES = frozenset(
    [index.name for index in Customer._meta.indexes] + [constraint.name for constraint in Customer._meta.constraints]
)


class RecordedVisit(NamedTuple):
    """What the saved-visits hook needs of a visit, without building a model instance per row."""

    pk: int
    customer_id: int
    visited_on: dt.date


class VisitImporter(Importer):
    kind = "visits"
    key_name = p.KEY_VISIT
    columnar = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._touched: pl.DataFrame | None = None
        self._first_visits: pl.DataFrame | None = None  # customers whose first visits the file brings
        self._since: dt.date | None = None  # the earliest day of the visits written (added or changed)
        self.visit_ids: tuple[int, int] | None = None  # the lowest and highest id of the visits written

    def import_file(self, stream: BinaryIO) -> None:
        checked = read_checked(
            self.kind,
            stream,
            self.report,
            keep_raw=("store", "phone", "visited_on", "beautician"),
            on_batch=self.checking,
        )
        self.report.rows = checked.rows
        frame = self.stores_of(checked).drop(f"{RAW}store", "store")
        checked.frame = checked.frame.clear()  # what follows works on `frame`
        frame = self.dates_not_after_today(checked, frame, ("visited_on",)).drop(f"{RAW}visited_on", strict=False)
        frame = self._customers_of(checked, frame)
        frame = self._beauticians_of(checked, frame).drop(f"{RAW}beautician", "beautician", strict=False)
        frame = self._services_of(checked, frame).drop("service", strict=False)
        frame = self._first_of_each(checked, frame)
        self.progress(checked=checked.rows)
        new, known = self._new_and_known(frame)
        del frame  # memory: from here on, only the new rows and the known ones
        self._write(checked, new, known)

    def finish(self) -> None:
        refresh_statistics(Visit)
        if self._touched is None:
            return
        for (store_id,), visits in self._touched.group_by(["store_id"], maintain_order=True):
            store = Store.objects.get(pk=store_id)
            recorded = [RecordedVisit(*row) for row in visits.select("id", "customer_id", "visited_on").iter_rows()]
            chunk = RECORD_CHUNK_POSTGRESQL if connection.vendor == "postgresql" else RECORD_CHUNK
            for start in range(0, len(recorded), chunk):
                visits_saved(store=store, visits=recorded[start : start + chunk], last_visits_by_caller=True)
        touched = self._touched["customer_id"]
        with indexes_built_after(Customer, CUSTOMER_INDEXES, rows=len(touched), share=CUSTOMERS_REWRITTEN):
            if self._first_visits is not None:
                touched = touched.filter(~touched.is_in(customers_record_first_visits(self._first_visits).implode()))
            customers_refresh_last_visits(customer_ids=touched, since=self._since)

    # --- the checks, each on the rows still standing ---------------------------------------------

    def _customers_of(self, checked: Checked, frame: pl.DataFrame) -> pl.DataFrame:
        """Each row's customer (and the day she was last seen); rows naming nobody are bad rows."""
        store_ids = frame["store_id"].unique().to_list() or [0]
        # Store and phone as one number (every phone the file's cells give is 11 digits; an anonymised
        # customer's "#…" is none), made by the database and searched for among the directory's, sorted:
        # a million customers are matched without their phones as text, or the memory a join takes.
        directory = fetch_frame(
            f"SELECT store_id * {PHONES_PER_STORE} + CAST(phone AS bigint), id, coalesce(last_visit_on, joined_on), "
            f"last_visit_on FROM {Customer._meta.db_table} "
            f"WHERE store_id IN ({', '.join(['%s'] * len(store_ids))}) AND phone NOT LIKE %s",
            [*store_ids, "#%"],
            {"key": pl.Int64, "customer_id": pl.Int64, "last_seen": pl.Date, "last_visit": pl.Date},
        )
        key = (pl.col("store_id") * PHONES_PER_STORE + pl.col("phone").cast(pl.Int64, strict=False)).fill_null(-1)
        frame = frame.with_columns(_found(directory.sort("key"), frame.select(key).to_series()))
        missing = frame.filter(pl.col("customer_id").is_null())
        for row in missing.select(ROW, "phone", as_written("phone"), "store_id").iter_rows():
            number, phone, cell, store_id = row
            store_code = self.store_by_id(store_id).code
            if not self.phone_is_valid(phone):
                self.reject_at(number, "phone", cell, p.BAD_PHONE, value=phone)
            else:
                self.reject_at(number, "phone", cell, p.UNKNOWN_CUSTOMER, store=store_code)
        return without(frame, pl.col("customer_id").is_null())

    def _beauticians_of(self, checked: Checked, frame: pl.DataFrame) -> pl.DataFrame:
        if not checked.has("beautician"):
            return frame.with_columns(pl.lit(None, dtype=pl.Int64).alias("beautician_id"))
        pairs = frame.select("store_id", "beautician").unique().drop_nulls()
        found: dict[tuple[int, str], int | str] = {}
        directories: dict[int, dict[str, int | str]] = {}
        for store_id, name in pairs.iter_rows():
            if store_id not in directories:
                directories[store_id] = _staff_directory(store_id)
            found[(store_id, name)] = directories[store_id].get(name, p.UNKNOWN_BEAUTICIAN)
        keys = pl.DataFrame(
            [
                (s, n, v if isinstance(v, int) else None, v if isinstance(v, str) else None)
                for (s, n), v in found.items()
            ],
            schema={
                "store_id": pl.Int64,
                "beautician": pl.String,
                "beautician_id": pl.Int64,
                "staff_problem": pl.String,
            },
            orient="row",
        ).with_columns(pl.col("beautician").cast(pl.Categorical))
        frame = looked_up(frame, keys, ["store_id", "beautician"])
        bad = frame.filter(pl.col("staff_problem").is_not_null())
        for number, cell, msgid, store_id in bad.select(
            ROW, f"{RAW}beautician", "staff_problem", "store_id"
        ).iter_rows():
            self.reject_at(number, "beautician", cell, msgid, store=self.store_by_id(store_id).code)
        return without(frame, pl.col("staff_problem").is_not_null()).drop("staff_problem")

    def _services_of(self, checked: Checked, frame: pl.DataFrame) -> pl.DataFrame:
        """Each row's service id; services missing from a store's menu are added to it (in file order)."""
        if not checked.has("service"):
            return frame.with_columns(pl.lit(None, dtype=pl.Int64).alias("service_id"))
        wanted = frame.select("store_id", "service").drop_nulls().unique(maintain_order=True)
        ids: dict[tuple[int, str], int] = {}
        for store_id in wanted["store_id"].unique(maintain_order=True).to_list():
            menu = dict(Service.objects.filter(store_id=store_id).values_list("name", "id"))
            ids.update({(store_id, name): pk for name, pk in menu.items()})
        for store_id, name in wanted.iter_rows():
            if (store_id, name) not in ids:
                ids[(store_id, name)] = Service.objects.create(store_id=store_id, name=name).pk
                if name not in self.report.new_services:  # a chain's file adds it to many stores' menus
                    self.report.new_services.append(name)
        keys = pl.DataFrame(
            [(s, n, pk) for (s, n), pk in ids.items()],
            schema={"store_id": pl.Int64, "service": pl.String, "service_id": pl.Int64},
            orient="row",
        ).with_columns(pl.col("service").cast(pl.Categorical))
        return looked_up(frame, keys, ["store_id", "service"])

    def _first_of_each(self, checked: Checked, frame: pl.DataFrame) -> pl.DataFrame:
        """One row per key: a later row saying the same (who served her, what she paid) is harmless,
        one saying something else is a bad row."""
        amount = pl.col("amount").fill_null(0) if checked.has("amount") else pl.lit(0, dtype=pl.Int64).alias("amount")
        frame = frame.with_columns(amount)
        if not repeats_a_key(frame, KEY):  # most files
            return frame
        frame = frame.with_columns(
            pl.col(ROW).rank("ordinal").over(KEY).alias("nth"),
            pl.col("beautician_id").first().over(KEY).alias("first_beautician"),
            pl.col("amount").first().over(KEY).alias("first_amount"),
        )
        later = frame.filter(pl.col("nth") > 1)
        same = pl.col("beautician_id").eq_missing(pl.col("first_beautician")) & (
            pl.col("amount") == pl.col("first_amount")
        )
        self.report.unchanged += later.filter(same).height
        for number, cell in later.filter(~same).select(ROW, as_written("phone")).iter_rows():
            self.reject_at(number, "phone", cell, p.REPEATED_ROW, key=self.key_name)
        return frame.filter(pl.col("nth") == 1).drop("nth", "first_beautician", "first_amount")

    # --- writing ----------------------------------------------------------------------------------

    def _new_and_known(self, frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """The rows no saved visit has the key of, and the others with the saved visit's id, beautician and amount."""
        frame = frame.select(ROW, "store_id", *KEY, "beautician_id", "amount", "last_seen", "last_visit")
        existing = self._existing(frame)
        if existing.height == 0:  # nothing saved on the file's days (a first import): every row is new, as it is
            return frame, looked_up(frame.clear(), existing, KEY)
        frame = looked_up(frame, existing, KEY)
        saved = pl.col("id").is_not_null()
        return frame.filter(~saved).drop("id", "saved_beautician", "saved_amount"), frame.filter(saved)

    def _write(self, checked: Checked, new: pl.DataFrame, known: pl.DataFrame) -> None:
        """New visits in one COPY; visits saved before whose amount or beautician differ, updated."""
        # Columns the file lacks keep what is there.
        if checked.has("beautician"):
            known = known.with_columns(pl.col("beautician_id").alias("wanted_beautician"))
        else:
            known = known.with_columns(pl.col("saved_beautician").alias("wanted_beautician"))
        wanted_amount = pl.col("amount") if checked.has("amount") else pl.col("saved_amount")
        known = known.with_columns(wanted_amount.alias("wanted_amount"))
        changed = known.filter(
            ~pl.col("wanted_beautician").eq_missing(pl.col("saved_beautician"))
            | (pl.col("wanted_amount") != pl.col("saved_amount"))
        )
        self.report.unchanged += known.height - changed.height
        self.report.updated += changed.height
        self.report.added += new.height
        days = [cast(dt.date, day) for day in (new["visited_on"].min(), changed["visited_on"].min()) if day is not None]
        self._since = min(days, default=None)
        if not self.report.ok or self.dry_run:
            return
        lock_for_key_share(Customer, new["customer_id"].unique())
        lock_for_key_share(Staff, new["beautician_id"].drop_nulls().unique())
        lock_for_key_share(Service, new["service_id"].drop_nulls().unique())
        # In customer order: a customer's visits land side by side, in the table and in the
        # (customer, date, service) index, which is then written from left to right. Only the order
        # is sorted, not the rows (memory); `position` is each row's place in it.
        order = new.select(pl.arg_sort_by("customer_id", "visited_on", ROW)).to_series()
        new = new.with_columns(order.arg_sort().alias("position"))
        # Customers without a visit before the file have all their visits among the new rows (told
        # before the COPY: memory, the rows' text and this grouping are not held at once).
        theirs = order.filter(new["last_visit"].gather(order).is_null())
        self._first_visits = first_visits(new.select("customer_id", "visited_on", "beautician_id", "amount")[theirs])
        first_id = self._copy_new(new, order)
        new = new.select(*_TOUCHED, "position", ROW)  # memory: what is left to do needs no more of them
        self.progress(imported=new.height)
        update_rows(
            Visit,
            [
                {"id": pk, "beautician_id": beautician, "amount": yuan(amount)}
                for pk, beautician, amount in changed.select("id", "wanted_beautician", "wanted_amount").iter_rows()
            ],
        )
        self.progress(imported=new.height + changed.height)
        new_id = pl.lit(None, dtype=pl.Int64) if first_id is None else pl.col("position").cast(pl.Int64) + first_id
        touched = _first_new_per_customer(new, order).select(*_TOUCHED, new_id.alias("id"), new=True, order=ROW)
        if changed.height:  # else one row per customer already, by customer (a copy less of 600,000 rows)
            changed_ = _one_per_customer(changed.select(*_TOUCHED, "id", new=False, order="id"))
            touched = _one_per_customer(pl.concat([touched, changed_]))
        self._touched = self._with_ids(touched)

    def _copy_new(self, new: pl.DataFrame, order: pl.Series) -> int | None:
        """Write the new visits in `order`; the id of the first when they took consecutive ids in that order."""
        if new.height == 0:
            return None
        columns = [
            "store_id",
            "customer_id",
            "visited_on",
            "beautician_id",
            "service_id",
            yuan_text("amount").alias("amount"),
        ]
        constants = {"created_by_id": self.by.pk if self.by else None}  # created_at: the database's now
        if connection.vendor == "postgresql":
            # The table's own sequence numbers the rows as COPY writes them, one after the other. Had
            # another session taken an id meanwhile, the range is longer than the rows: the ids the
            # hook needs are then looked up by key (`_with_ids`).
            before = sequence_position(Visit)
            with indexes_built_after(Visit, BUILT_AFTER, rows=new.height):
                copy_frame(Visit, new, constants, columns=columns, order=order)
            self.visit_ids = (before + 1, sequence_position(Visit))
            return before + 1 if self.visit_ids[1] - before == new.height else None
        first = cast(int, allocate_ids(Visit, new.height)[0])
        id_ = (pl.col("position").cast(pl.Int64) + first).alias("id")
        copy_frame(Visit, new, constants, columns=[id_, *columns], order=order)
        self.visit_ids = (first, first + new.height - 1)
        return first

    def _with_ids(self, touched: pl.DataFrame) -> pl.DataFrame:
        """The ids of the touched visits COPY wrote (looked up by key among the ids it took)."""
        missing = touched.filter(pl.col("id").is_null())
        if missing.height == 0 or self.visit_ids is None:
            return touched
        low, high = self.visit_ids
        found = fetch_frame(
            f"SELECT v.id, v.customer_id FROM {Visit._meta.db_table} v "
            "JOIN unnest(%s::bigint[], %s::date[], %s::bigint[]) AS t(customer_id, visited_on, service_id) "
            "ON v.customer_id = t.customer_id AND v.visited_on = t.visited_on "
            "AND v.service_id IS NOT DISTINCT FROM t.service_id WHERE v.id BETWEEN %s AND %s",
            [*(array_text(missing[name]) for name in KEY), low, high],
            {"found_id": pl.Int64, "customer_id": pl.Int64},
        )
        touched = touched.join(found, on="customer_id", how="left", maintain_order="left")
        return touched.with_columns(pl.coalesce("id", "found_id").alias("id")).drop("found_id")

    def _existing(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The visits already saved for the file's customers: their keys, ids, beautician and amount."""
        schema = {
            "id": pl.Int64,
            "customer_id": pl.Int64,
            "visited_on": pl.Date,
            "service_id": pl.Int64,
            "saved_beautician": pl.Int64,
            "saved_amount": pl.Int64,
        }
        store_ids = frame["store_id"].unique().to_list()
        if not store_ids:
            return pl.DataFrame(schema=schema)
        # A visit carries her customer's store; only the file's days can hold one of its keys.
        cents = "CAST(round(amount * 100) AS bigint)"
        return fetch_frame(
            f"SELECT id, customer_id, visited_on, service_id, beautician_id, {cents} FROM {Visit._meta.db_table} "
            f"WHERE store_id IN ({', '.join(['%s'] * len(store_ids))}) AND visited_on BETWEEN %s AND %s",
            [*store_ids, frame["visited_on"].min(), frame["visited_on"].max()],
            schema,
        )


_TOUCHED = ["store_id", "customer_id", "visited_on", "service_id", "last_seen"]


def _one_per_customer(touched: pl.DataFrame) -> pl.DataFrame:
    """Per customer, her earliest written visit after the day she was last seen, else her earliest:
    the visit a return is dated by (`visits_saved` brings her last visit up to date either way).
    Visits saved before the import (`new` false) have lower ids than the ones it writes, which it
    writes in `order`."""
    after = (pl.col("visited_on") > pl.col("last_seen")).fill_null(False)
    first = [after, "customer_id", "visited_on", "new", "order"]
    return (
        touched.sort(first, descending=[True, False, False, False, False])
        .unique(subset=["customer_id"], keep="first", maintain_order=True)
        .sort("customer_id")
    )


def _first_new_per_customer(new: pl.DataFrame, order: pl.Series) -> pl.DataFrame:
    """`_one_per_customer` among the new rows, written in `order` (by customer, date, row): each
    customer's first row in that order after the day she was last seen, else her first, by customer.

    In that order each customer's rows lie side by side, and those after the day she was last seen
    come last: her first such row follows one that is not (or starts her rows), and she has one if
    her last row is one. Told from neighbours, a million rows without grouping or sorting them."""
    after = (pl.col("visited_on") > pl.col("last_seen")).fill_null(False)
    starts = pl.col("customer_id").ne_missing(pl.col("customer_id").shift(1))
    marks = new.select(pl.col("customer_id").gather(order), after.gather(order).alias("after")).select(
        starts.alias("first"),
        pl.col("customer_id").ne_missing(pl.col("customer_id").shift(-1)).alias("last"),
        (pl.col("after") & (starts | ~pl.col("after").shift(1, fill_value=False))).alias("first_after"),
        "after",
    )
    first, last = marks["first"].arg_true(), marks["last"].arg_true()  # one of each per customer, in her order
    never_after = first.filter(~marks["after"].gather(last))
    positions = pl.concat([marks["first_after"].arg_true(), never_after]).sort()
    return new[order.gather(positions)]


def _found(directory: pl.DataFrame, keys: pl.Series) -> list[pl.Series]:
    """The directory's other columns for each of `keys` (null where it lacks the key); sorted by "key"."""
    columns = [name for name in directory.columns if name != "key"]
    if directory.height == 0:
        return [pl.repeat(None, len(keys), dtype=directory.schema[name], eager=True).alias(name) for name in columns]
    at = directory["key"].search_sorted(keys).clip(upper_bound=directory.height - 1)
    hit = directory["key"].gather(at) == keys
    return [
        directory[name].gather(at).zip_with(hit, pl.Series([None], dtype=directory.schema[name])) for name in columns
    ]


def _staff_directory(store_id: int) -> dict[str, int | str]:
    """User name or name → staff id; a name two people share points to the reason instead."""
    directory: dict[str, int | str] = {}
    members = list(Staff.objects.filter(store_id=store_id).values_list("id", "username", "name"))
    for pk, _username, name in members:
        if name:
            directory[name] = p.AMBIGUOUS_BEAUTICIAN if name in directory else pk
    for pk, username, _name in members:
        directory[username] = pk
    return directory
