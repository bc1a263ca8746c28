"""Writing thousands of rows per statement.

On PostgreSQL a batch is one `INSERT … SELECT FROM unnest(arrays)` (or `UPDATE … FROM unnest`):
the rows travel as one array per column, with none of the per-object work of `bulk_create`, which
is what lets a million visits go in within the import's time target. Other databases (SQLite, the
embedded default) use Django's bulk operations or multi-row VALUES. Either way no signal fires,
so callers write only what needs no signal; the import as a whole is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.db import connection, models
from django.utils import timezone

_SQLITE_PARAMETERS = 30000  # SQLite allows 32,766 parameters per statement


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


def new_rows_statements(model: type[models.Model], rows: Sequence[dict[str, object]], key: Sequence[str]) -> list:
    """The statements inserting `rows` except those whose unique key is already taken, each
    returning (id, *key) of the rows it inserted: the caller tells taken keys by their absence.

    Built here, run anywhere (`run_statements`): the writer thread only has to send them.
    """
    if not rows:
        return []
    returning = (model._meta.pk.column, *(_concrete_field(model, name).column for name in key))
    if connection.vendor == "postgresql":
        return [_unnest_insert(model, rows, returning=returning, skip_taken=True)]
    return _values_inserts(model, rows, returning)


def run_statements(statements: Sequence[tuple[str, list]], cursor) -> list:
    """Execute statements through `cursor` and return every row they returned."""
    returned = []
    for sql, params in statements:
        cursor.execute(sql, params)
        returned.extend(cursor.fetchall())
    return returned


def _unnest_insert(model, rows, *, returning: Sequence[str], skip_taken: bool = False) -> tuple[str, list]:
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
        f"{'ON CONFLICT DO NOTHING ' if skip_taken else ''}RETURNING {', '.join(map(_q, returning))}"
    )
    return sql, [*scalars, *(array_text(columns[name]) for name in varying)]


def _values_inserts(model, rows, returning: Sequence[str]) -> list[tuple[str, list]]:
    """SQLite: multi-row VALUES in chunks its parameter limit allows, values prepared by each field."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: _default(f) for f in fields if f.attname not in rows[0]}
    per_chunk = max(_SQLITE_PARAMETERS // len(fields), 1)
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    statements = []
    for start in range(0, len(rows), per_chunk):
        chunk = rows[start : start + per_chunk]
        params = [
            f.get_db_prep_save(row[f.attname] if f.attname in row else defaults[f.attname], connection)
            for row in chunk
            for f in fields
        ]
        sql = (
            f"INSERT INTO {_q(model._meta.db_table)} ({', '.join(_q(f.column) for f in fields)}) "
            f"VALUES {', '.join([placeholders] * len(chunk))} ON CONFLICT DO NOTHING "
            f"RETURNING {', '.join(map(_q, returning))}"
        )
        statements.append((sql, params))
    return statements


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


def array_text(values: Sequence[object]) -> str:
    """A PostgreSQL array literal: `{1,NULL,"王丽"}`.

    Sent as one string per column and parsed by the server's array input, a batch travels in a
    fraction of the time the driver takes to spell out thousands of separate literals.
    """
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
