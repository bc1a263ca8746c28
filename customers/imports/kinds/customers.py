"""Customers, keyed by store + phone (DESIGN §5.1): new ones are added, known ones updated in place.

The file is read as columns (`columnar`) and matched to the store's customers by a join; new
customers go in with one COPY, changed ones with one set-based UPDATE.
"""

from __future__ import annotations

from typing import BinaryIO

import polars as pl
from django.utils import timezone

from ...models import Customer, Store
from .. import problems as p
from ..bulk import copy_frame, fetch_frame, lock_for_key_share, refresh_statistics, update_rows
from ..columnar import ROW, Checked, as_written, looked_up, read_checked, repeats_a_key
from ..indexes import indexes_built_after
from .base import Importer

# Columns a file may give, and what a blank cell in them means.
BLANK = {
    "gender": "",
    "birthday": None,
    "level": "",
    "do_not_contact": False,
    "marketing_consent": False,
    "notes": "",
}
_TYPES = {
    "gender": pl.String,
    "birthday": pl.Date,
    "level": pl.String,
    "do_not_contact": pl.Boolean,
    "marketing_consent": pl.Boolean,
    "notes": pl.String,
}
VALUES = ["store", "phone", "name", "joined_on", *BLANK]
# A chain's first customers file builds the store tally once rather than row by row (`indexes`). The phone
# index is written as the rows come: the half-full pages that leaves are room for the first visits import,
# which writes every customer again (into a phone index built full, that import took 5.6 s longer at a million
# customers). For a file sorted by phone (as the benchmark's is) writing it costs about what building it
# would; a file in random order pays more here. The call-list indexes hold no one until the nightly run deals
# her.
BUILT_AFTER = frozenset({"customer_store_tally"})


class CustomerImporter(Importer):
    kind = "customers"
    key_name = p.KEY_PHONE
    columnar = True

    def import_file(self, stream: BinaryIO) -> None:
        checked = read_checked(
            self.kind, stream, self.report, keep_raw=("store", "phone", "birthday", "joined_on"), on_batch=self.checking
        )
        self.report.rows = checked.rows
        frame = self.stores_of(checked)
        checked.frame = checked.frame.clear()
        frame = self.dates_not_after_today(checked, frame, ("birthday", "joined_on"))
        frame = self._first_of_each(checked, frame)
        self.progress(checked=checked.rows)
        self._write(checked, frame)

    def finish(self) -> None:
        refresh_statistics(Customer)

    def _first_of_each(self, checked: Checked, frame: pl.DataFrame) -> pl.DataFrame:
        """One row per store and phone: a later row saying exactly the same is harmless, one saying
        anything else is a bad row."""
        key = ["store_id", "phone"]
        if not repeats_a_key(frame, key):  # most files: no search, no copy of a million names and notes
            return frame
        given = [name for name in VALUES if checked.has(name) and name not in key]
        frame = frame.sort(ROW).with_columns(pl.col(ROW).rank("ordinal").over(key).alias("nth"))
        firsts = frame.filter(pl.col("nth") == 1)
        later = frame.filter(pl.col("nth") > 1)
        if later.height:
            compared = later.join(firsts.select(*key, *given), on=key, how="left", suffix="_first")
            same = pl.all_horizontal(pl.col(name).eq_missing(pl.col(f"{name}_first")) for name in given)
            self.report.unchanged += compared.filter(same).height
            for number, cell in compared.filter(~same).select(ROW, as_written("phone")).iter_rows():
                self.reject_at(number, "phone", cell, p.REPEATED_ROW, key=self.key_name)
        return firsts.drop("nth")

    def _write(self, checked: Checked, frame: pl.DataFrame) -> None:
        existing = self._existing(frame)
        frame = looked_up(frame, existing, ["store_id", "phone"])
        new, known = frame.filter(pl.col("id").is_null()), frame.filter(pl.col("id").is_not_null())
        # The values each known customer should have: columns the file lacks keep what is there,
        # and so does a blank joining date; a blank cell elsewhere means "none".
        joined = pl.coalesce("joined_on", "saved_joined_on") if checked.has("joined_on") else pl.col("saved_joined_on")
        wanted = [pl.col("name").alias("want_name"), joined.alias("want_joined_on")]
        for name, blank in BLANK.items():
            if checked.has(name):
                wanted.append(pl.col(name).fill_null(pl.lit(blank, dtype=_TYPES[name])).alias(f"want_{name}"))
            else:
                wanted.append(pl.col(f"saved_{name}").alias(f"want_{name}"))
        known = known.with_columns(wanted)
        fields = ["name", "joined_on", *BLANK]
        differs = pl.any_horizontal(~pl.col(f"want_{n}").eq_missing(pl.col(f"saved_{n}")) for n in fields)
        changed = known.filter(differs)
        self.report.added += new.height
        self.report.updated += changed.height
        self.report.unchanged += known.height - changed.height
        if not self.report.ok or self.dry_run:
            return
        self._insert(checked, new)
        self.progress(imported=new.height)
        now = timezone.now()
        update_rows(
            Customer,
            [
                {"id": row["id"], **{n: row[f"want_{n}"] for n in fields}, "updated_at": now}
                for row in changed.select("id", *(f"want_{n}" for n in fields)).iter_rows(named=True)
            ],
        )
        self.progress(imported=new.height + changed.height)

    def _insert(self, checked: Checked, new: pl.DataFrame) -> None:
        """New customers; one whose file gives no joining date joined, as far as we know, today."""
        todays = {pk: self.today(self.store_by_id(pk)) for pk in new["store_id"].unique().to_list()}
        today = pl.col("store_id").replace_strict(list(todays), list(todays.values()), return_dtype=pl.Date)
        columns = [
            pl.col("store_id"),
            pl.col("phone"),
            pl.col("name"),
            (pl.col("joined_on").fill_null(today) if checked.has("joined_on") else today).alias("joined_on"),
        ]
        for name, blank in BLANK.items():
            value = pl.col(name) if checked.has(name) else pl.lit(None, dtype=_TYPES[name])
            columns.append(value.fill_null(pl.lit(blank, dtype=_TYPES[name])).alias(name))
        lock_for_key_share(Store, list(todays))  # no constraint checks them (see `Customer.store`)
        with indexes_built_after(Customer, BUILT_AFTER, rows=new.height):
            copy_frame(Customer, new.select(columns))  # created and updated at: the database's now

    def _existing(self, frame: pl.DataFrame) -> pl.DataFrame:
        schema = {"store_id": pl.Int64, "phone": pl.String, "id": pl.Int64, "saved_name": pl.String}
        schema |= {"saved_joined_on": pl.Date} | {f"saved_{name}": dtype for name, dtype in _TYPES.items()}
        store_ids = frame["store_id"].unique().to_list() or [0]
        return fetch_frame(
            f"SELECT store_id, phone, id, name, joined_on, {', '.join(BLANK)} FROM {Customer._meta.db_table} "
            f"WHERE store_id IN ({', '.join(['%s'] * len(store_ids))})",
            store_ids,
            schema,
        )
