"""Writing thousands of rows per statement.

On PostgreSQL a batch is one `INSERT … SELECT FROM unnest(arrays)` (or `UPDATE … FROM unnest`):
the rows travel as one array per column, with none of the per-object work of `bulk_create`, which
is what lets a million visits go in within the import's time target. Other databases (SQLite, the
embedded default) use Django's bulk operations or multi-row VALUES. Either way no signal fires,
so callers write only what needs no signal; the import as a whole is audited.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

import polars as pl
from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone


def insert_rows(model: type[models.Model], rows: Sequence[dict[str, object]]) -> list[int]:
    """Insert rows given as {attname: value} (all rows with the same keys) and return their ids, in order.

    Fields a row does not give take their model default; `auto_now`/`auto_now_add` fields take now.
    """
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objects = [model(**row) for row in rows]
        model._default_manager.bulk_create(objects)
        return [obj.pk for obj in objects]
    sql, params = _unnest_insert(model, rows, returning=(model._meta.pk.column,))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [pk for (pk,) in cursor.fetchall()]


def _unnest_insert(model, rows, *, returning: Sequence[str]) -> tuple[str, list]:
    """One INSERT for all rows: a column whose value differs between rows travels as an array, a
    column with one value for all (the store, who imports) as that value, others take their default."""
    columns = {name: [row[name] for row in rows] for name in rows[0]}
    varying = [name for name, values in columns.items() if any(value != values[0] for value in values)]
    selected, scalars = [], []
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for f in fields:
        if f.attname in varying:
            selected.append(f"u.c{varying.index(f.attname)}")
        else:
            selected.append(f"%s::{f.db_type(connection)}")
            scalars.append(columns[f.attname][0] if f.attname in columns else _default(f))
    arrays = [f"%s::{_concrete_field(model, name).db_type(connection)}[]" for name in varying]
    source = f"unnest({', '.join(arrays)}) AS u({', '.join(f'c{i}' for i in range(len(varying)))})"
    if not varying:
        source = f"generate_series(1, {len(rows)})"
    sql = (
        f"INSERT INTO {_q(model._meta.db_table)} ({', '.join(_q(f.column) for f in fields)}) "
        f"SELECT {', '.join(selected)} FROM {source} "
        f"RETURNING {', '.join(map(_q, returning))}"
    )
    return sql, [*scalars, *(array_text(columns[name]) for name in varying)]


def update_rows(model: type[models.Model], rows: Sequence[dict[str, object]]) -> None:
    """Update rows given as {"id": pk, attname: value, …}, all with the same keys."""
    if not rows:
        return
    names = [name for name in rows[0] if name != "id"]
    if connection.vendor != "postgresql":
        objects = [model(**row) for row in rows]
        model._default_manager.bulk_update(objects, [_concrete_field(model, n).name for n in names], batch_size=500)
        return
    table = _q(model._meta.db_table)
    pk = model._meta.pk
    fields = [_concrete_field(model, name) for name in names]
    assignments = ", ".join(f"{_q(f.column)} = u.c{i}" for i, f in enumerate(fields))
    arrays = ", ".join([f"%s::{pk.db_type(connection)}[]", *(f"%s::{f.db_type(connection)}[]" for f in fields)])
    aliases = ", ".join(["id", *(f"c{i}" for i in range(len(fields)))])
    sql = f"UPDATE {table} SET {assignments} FROM unnest({arrays}) AS u({aliases}) WHERE {table}.{_q(pk.column)} = u.id"
    params = [array_text([row["id"] for row in rows]), *(array_text([row[name] for row in rows]) for name in names)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def array_text(values: Sequence[object] | pl.Series) -> str:
    """A PostgreSQL array literal: `{1,NULL,"王丽"}`.

    Sent as one string per column and parsed by the server's array input, a batch travels in a
    fraction of the time the driver takes to spell out thousands of separate literals. A polars
    column of numbers or dates is spelled out by polars: a million ids without a Python object each.
    """
    if isinstance(values, pl.Series) and (values.dtype.is_integer() or values.dtype == pl.Date):
        return "{" + values.cast(pl.String).fill_null("NULL").str.join(",").item() + "}"
    return "{" + ",".join(map(_element, values)) + "}"


def _quoted(value: object) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


_ENCODERS: dict[type, Callable[[Any], str]] = {
    type(None): lambda value: "NULL",
    bool: lambda value: "t" if value else "f",
    int: str,
    Decimal: str,
    dt.date: dt.date.isoformat,
    dt.datetime: lambda value: f'"{value.isoformat()}"',
    str: _quoted,
}


def _element(value: object) -> str:
    encode = _ENCODERS.get(value.__class__)
    if encode is not None:
        return encode(value)
    if isinstance(value, int | Decimal):  # an IntegerChoices member, say
        return str(int(value) if isinstance(value, int) else value)
    return _quoted(value)


_V = TypeVar("_V")


def any_of(column: str, values: Sequence[_V], db_type: str) -> tuple[str, list[_V | str]]:
    """`column` is one of `values`, as SQL and its parameters (one array on PostgreSQL)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s::{db_type}[])", [array_text(values)]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def refresh_statistics(model: type[models.Model]) -> None:
    """Let PostgreSQL's planner see the rows just written (it counts them even before the commit).

    Without it, a table that a moment ago held no visit with a beautician looks, to the planner,
    as if it still held none, and the queries that follow pick an index that reads every row.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {_q(model._meta.db_table)}")


def _concrete_field(model: type[models.Model], name: str) -> models.Field:
    """The field stored in column `name` (a name or an attname such as "customer_id")."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{model.__name__}.{name} is not a column"
    return field


def _default(f: models.Field) -> object:
    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        return timezone.now()
    return f.get_default()


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


# --- whole tables: COPY on PostgreSQL ----------------------------------------------------------

COPY_ROWS = 100_000


def copy_frame(
    model: type[models.Model],
    frame,
    constants: Mapping[str, object] | None = None,
    *,
    columns: Sequence[Any] | None = None,
    order=None,
) -> None:
    """Insert every row of `frame` (a polars DataFrame) into `model`'s table.

    `columns` (polars expressions or names, default: all of the frame's) give the attnames written;
    they are computed a slice at a time, so that a million rows never exist twice in full. `order`
    (row indices) is the order to write them in. Fields not given take `constants`, else their
    database default (`db_default`: left to the database), else their model default. PostgreSQL
    loads the rows with one COPY (the same path as a plain `COPY … FROM`); elsewhere they go in as
    multi-row INSERTs.
    """
    if frame.height == 0:
        return
    constants = constants or {}
    columns = list(columns) if columns is not None else list(frame.columns)
    given = frame.head(0).select(columns).columns
    fields = [
        f
        for f in model._meta.concrete_fields
        if f.attname in given or (not f.primary_key and (f.attname in constants or f.db_default is NOT_PROVIDED))
    ]
    missing = {f.attname: constants.get(f.attname, _default(f)) for f in fields if f.attname not in given}
    if connection.vendor == "postgresql":
        listed = ", ".join(_q(f.column) for f in fields)
        sql = f"COPY {_q(model._meta.db_table)} ({listed}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
        constant = [pl.lit(_copy_constant(value)).alias(name) for name, value in missing.items()]

        def texts() -> Iterator[bytes]:  # memory: a slice's text at a time
            for part in _slices(frame, order, COPY_ROWS):
                buffer = io.BytesIO()
                filled = part.select(columns).with_columns(constant).select([f.attname for f in fields])
                filled.write_csv(buffer, include_header=False, null_value="\\N", quote_style="non_numeric")
                yield buffer.getvalue()

        with connection.cursor() as cursor:
            # One COPY, fed as the slices are written: the next slice's text is made while the
            # database is still writing the last one's rows.
            cursor.cursor.copy_expert(sql, _Stream(texts()), size=1 << 20)
        return
    frame = frame.select(columns)
    names = [f.attname for f in fields]
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = f"INSERT INTO {_q(model._meta.db_table)} ({', '.join(_q(f.column) for f in fields)}) VALUES {placeholders}"
    prepared = {name: value for name, value in missing.items()}
    present = [f for f in fields if f.attname in frame.columns]
    with connection.cursor() as cursor:
        for chunk in _slices(frame.select([f.attname for f in present]), order, 10_000):
            columns_ = {
                f.attname: [f.get_db_prep_save(v, connection) for v in chunk[f.attname].to_list()] for f in present
            }
            rows: list[list[Any]] = [
                [columns_[name][i] if name in columns_ else _prep(model, name, prepared[name]) for name in names]
                for i in range(chunk.height)
            ]
            cursor.executemany(sql, rows)


class _Stream:
    """A file to read from (what the driver's COPY reads) over pieces of bytes made on demand."""

    def __init__(self, pieces: Iterator[bytes]) -> None:
        self.pieces = pieces
        self.piece, self.at = b"", 0

    def read(self, size: int = -1) -> bytes:
        while self.at >= len(self.piece):  # an empty piece is not the end: only running out of pieces is
            piece = next(self.pieces, None)
            if piece is None:
                return b""
            self.piece, self.at = piece, 0
        end = len(self.piece) if size < 0 else self.at + size
        chunk = self.piece[self.at : end]
        self.at += len(chunk)
        return chunk


def _slices(frame, order, size: int):
    """`frame` `size` rows at a time, in `order` (row indices) when given."""
    if order is None:
        yield from frame.iter_slices(size)
        return
    for start in range(0, len(order), size):
        yield frame[order[start : start + size]]


def _prep(model, name: str, value: object) -> object:
    return _concrete_field(model, name).get_db_prep_save(value, connection)


def _copy_constant(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def allocate_ids(model: type[models.Model], count: int):
    """`count` new primary keys for `model`, taken from its sequence before the rows are written
    (so that the import knows each new row's id without reading it back)."""
    if count == 0:
        return pl.Series("id", [], dtype=pl.Int64)
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        sql = "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)"
        return fetch_frame(sql, [table, model._meta.pk.column, count], {"id": pl.Int64})["id"]
    with connection.cursor() as cursor:
        # SQLite: claim the write lock first (a write that changes nothing), then count on from the highest id.
        cursor.execute(f"UPDATE {_q(table)} SET {_q(model._meta.pk.column)} = {_q(model._meta.pk.column)} WHERE 0")
        cursor.execute(f"SELECT max({_q(model._meta.pk.column)}) FROM {_q(table)}")
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        start = max(highest, found[0] if found else 0) + 1
    return pl.int_range(start, start + count, eager=True, dtype=pl.Int64).alias("id")


def sequence_position(model: type[models.Model]) -> int:
    """The last id PostgreSQL's sequence for `model` handed out (or will hand out first, if none yet)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {pg_sequence(model)}")
        return cursor.fetchone()[0]


def pg_sequence(model: type[models.Model]) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column])
        return cursor.fetchone()[0]


def fetch_frame(sql: str, params: Sequence[Any], schema: dict):
    """A query's rows as a polars DataFrame with `schema` (column name → polars type).

    On PostgreSQL the rows travel as `COPY (query) TO STDOUT` CSV, read by polars: a million
    rows without a Python object each."""
    if connection.vendor == "postgresql":
        return _copied_frame(sql, params, schema)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    series = []
    for (name, dtype), found in zip(schema.items(), columns, strict=True):
        values: list[Any] = list(found)
        if dtype == pl.Date:  # SQLite hands dates back as text
            values = [dt.date.fromisoformat(v) if isinstance(v, str) else v for v in values]
        elif dtype == pl.Boolean:
            values = [None if v is None else bool(v) for v in values]
        series.append(pl.Series(name, values, dtype=dtype))
    return pl.DataFrame(series)


def _copied_frame(sql: str, params: Sequence[Any], schema: dict):
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        query = cursor.mogrify(sql, params).decode()
        cursor.cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)", buffer)
    if not buffer.tell():
        return pl.DataFrame(schema=schema)
    buffer.seek(0)
    # Read as their types (numbers and dates straight from the text: a million rows never exist as strings),
    # but booleans, which PostgreSQL writes t and f.
    read = {name: pl.String if dtype == pl.Boolean else dtype for name, dtype in schema.items()}
    frame = pl.read_csv(buffer, has_header=False, schema=read)
    return frame.with_columns((pl.col(name) == "t") for name, dtype in schema.items() if dtype == pl.Boolean)


def lock_for_key_share(model: type[models.Model], ids: Sequence[int] | pl.Series) -> None:
    """Keep rows the import refers to from being deleted until it commits: what a foreign key's
    check does row by row, taken here in one statement (PostgreSQL; SQLite has one writer at a time)."""
    if connection.vendor != "postgresql" or len(ids) == 0:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {_q(model._meta.db_table)} WHERE id = ANY(%s::bigint[]) "
            "FOR KEY SHARE) AS locked",
            [array_text(ids)],
        )
