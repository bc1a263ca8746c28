"""Writing the nightly job's changes, set-based.

Django's `bulk_update` spends about half a millisecond of Python per row building
CASE expressions (30× off the database's limit at a million rows), and `bulk_create`
builds a model instance per row. On PostgreSQL, changed customer states are streamed
with COPY into a temporary table and applied with one `UPDATE … FROM`, and history
rows are streamed in with COPY. SQLite, the single-salon default, takes plain
`executemany` and `bulk_create`, which is what it is fast at.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from django.db import connection
from django.utils import timezone

from customers.buckets import Bucket
from customers.models import Customer

from ..classification import AssigneeChange, Change
from ..models import AssignmentChange, SegmentRun

_TABLE = Customer._meta.db_table


def write_customer_states(changes: Sequence[Change]) -> None:
    if not changes:
        return
    if connection.vendor == "postgresql":
        _write_with_copy(changes)
    else:
        _write_with_executemany(changes)


def _write_with_copy(changes: Sequence[Change]) -> None:
    null = r"\N"
    buffer = io.StringIO()
    for c in sorted(changes):
        state = c.after
        assignee = null if state.assignee is None else state.assignee
        spell = null if state.dormant_since is None else state.dormant_since
        buffer.write(f"{c.customer_id}\t{state.bucket}\t{state.months}\t{assignee}\t{spell}\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        # Created once per database session; emptied by every COMMIT.
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS segment_changes (id bigint PRIMARY KEY, bucket varchar(10), "
            "months smallint, assignee_id bigint, dormant_since date) ON COMMIT DELETE ROWS"
        )
        cursor.execute("DELETE FROM segment_changes")  # left over when called twice in one transaction
        cursor.cursor.copy_expert("COPY segment_changes FROM STDIN", buffer)
        # One store's customers are a sliver of the chain's: look each one up by its key. Left to
        # itself the planner hashes the changes and scans every customer of every store.
        cursor.execute("SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off")
        cursor.execute(
            f"""UPDATE {_TABLE} AS c
                   SET bucket = s.bucket, months_away = s.months, assignee_id = s.assignee_id,
                       dormant_since = s.dormant_since,
                       escalated_on = CASE WHEN s.bucket = %s THEN NULL ELSE c.escalated_on END
                  FROM segment_changes AS s
                 WHERE c.id = s.id""",
            [Bucket.ACTIVE],
        )
        cursor.execute("SET LOCAL enable_hashjoin = on; SET LOCAL enable_mergejoin = on")


def _write_with_executemany(changes: Sequence[Change]) -> None:
    rows = [
        (
            c.after.bucket,
            c.after.months,
            c.after.assignee,
            c.after.dormant_since,
            c.after.bucket,
            Bucket.ACTIVE,
            c.customer_id,
        )
        for c in changes
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"""UPDATE {_TABLE}
                   SET bucket = %s, months_away = %s, assignee_id = %s, dormant_since = %s,
                       escalated_on = CASE WHEN %s = %s THEN NULL ELSE escalated_on END
                 WHERE id = %s""",
            rows,
        )


def write_assignment_changes(changes: Sequence[AssigneeChange], *, run: SegmentRun, day: dt.date) -> None:
    """One history row per change of assignee, with its cause."""
    if not changes:
        return
    if connection.vendor != "postgresql":
        AssignmentChange.objects.bulk_create(
            [
                AssignmentChange(customer_id=c.customer_id, changed_on=day, from_staff_id=c.before.assignee,
                                 to_staff_id=c.after.assignee, cause=c.cause, run=run)
                for c in changes
            ],
            batch_size=2000,
        )  # fmt: skip
        return
    now, null = timezone.now().isoformat(), r"\N"
    buffer = io.StringIO()
    for c in changes:
        before = null if c.before.assignee is None else c.before.assignee
        after = null if c.after.assignee is None else c.after.assignee
        buffer.write(f"{c.customer_id}\t{day}\t{before}\t{after}\t{c.cause}\t{run.pk}\t{now}\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {AssignmentChange._meta.db_table} "
            "(customer_id, changed_on, from_staff_id, to_staff_id, cause, run_id, created_at) FROM STDIN",
            buffer,
        )
