"""Building a table's indexes after a large load instead of row by row during it (PostgreSQL).

A B-tree written one row at a time costs a descent and, for rows in no order of its own, a page
that must be found and split, each time; built once from all the rows, it costs one sort. A chain's
first visits import brings a million rows into an empty table, and its first customers file a
million customers in no order of store; keeping their large indexes up to date row by row takes
more than the rows themselves. The same holds for a visits import that brings most of a chain's
customers a new last visit: each customer row it rewrites is a new version in every index (the
rows cannot be updated in place, the call-list index holds the last visit). So, inside the
import's transaction (where DDL, too, commits or rolls back with the rows), they are dropped
before the rows are written and built again after — but only:

- when the rows written are more than `share` of those the table holds (a load: more than it
  holds; a rewrite of customers: more than half of them): a build reads the whole table, so for
  a table that already holds years of visits (or a chain's customers), writing the new rows into
  the index is cheaper;
- when nobody else is using the table: dropping an index takes the table for itself (no one reads
  or writes it until the import commits). The lock is waited for LOCK_WAIT at most; a till or a
  page using the table meanwhile makes the import keep the indexes and write them row by row.

A unique constraint is built again too, and checks every row as it is built.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import OperationalError, connection, models, transaction

LOCK_WAIT = "2s"


@contextmanager
def indexes_built_after(
    model: type[models.Model], names: frozenset[str], *, rows: int, share: float = 1.0
) -> Iterator[bool]:
    """Within the caller's transaction: `model`'s indexes and constraints named `names` are dropped
    for the `rows` written (added or rewritten) inside the block and built again after it, when
    they are more than `share` of the table's rows and the table can be had (see the module). Yields
    whether they were."""
    indexes = [index for index in model._meta.indexes if index.name in names]
    constraints = [constraint for constraint in model._meta.constraints if constraint.name in names]
    if (
        connection.vendor != "postgresql"
        or not _holds_fewer(model, int(rows / share))
        or not _dropped(model, indexes, constraints)
    ):
        yield False
        return
    yield True
    with connection.cursor() as cursor:
        # PostgreSQL builds no index on a table whose new rows still wait for their deferred checks (a
        # foreign key's): they are run now, and the constraints deferred again, as Django declares them.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    with connection.schema_editor(atomic=False) as editor:
        for index in indexes:
            editor.add_index(model, index)
        for constraint in constraints:
            editor.add_constraint(model, constraint)


def _holds_fewer(model: type[models.Model], rows: int) -> bool:
    """The table holds fewer than `rows` rows (reading `rows` of them at most)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {connection.ops.quote_name(model._meta.db_table)} LIMIT %s) AS t",
            [rows],
        )
        return cursor.fetchone()[0] < rows


def _dropped(model, indexes, constraints) -> bool:
    """Drop them, if the table's lock comes within LOCK_WAIT; False (nothing dropped) if it does not."""
    try:
        with transaction.atomic():  # a savepoint: a lock not had leaves the import's transaction as it was
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'")
                cursor.execute(f"LOCK TABLE {connection.ops.quote_name(model._meta.db_table)} IN ACCESS EXCLUSIVE MODE")
                cursor.execute("SET LOCAL lock_timeout = DEFAULT")
            with connection.schema_editor(atomic=False) as editor:
                for index in indexes:
                    editor.remove_index(model, index)
                for constraint in constraints:
                    editor.remove_constraint(model, constraint)
    except OperationalError:
        return False
    return True
