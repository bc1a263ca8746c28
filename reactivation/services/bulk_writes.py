"""Writing the nightly job's changes, set-based.

Django's `bulk_update` spends about half a millisecond of Python per row building
CASE expressions (30× off the database's limit at a million rows), and `bulk_create`
builds a model instance per row. On PostgreSQL, changed customer states travel as one
array per column into one `UPDATE … FROM unnest(…)`, and history rows are streamed
in with COPY. SQLite, the single-salon default, takes plain
`executemany` and `bulk_create`, which is what it is fast at.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from django.db import connection
from django.utils import timezone

from customers.buckets import Bucket
from customers.imports.bulk import array_text
from customers.models import Customer

from ..classification import AssigneeChange, Change
from ..models import AssignmentChange, SegmentCount, SegmentRun

_TABLE = Customer._meta.db_table


def write_customer_states(changes: Sequence[Change]) -> None:
    if not changes:
        return
    if connection.vendor == "postgresql":
        _write_with_arrays(changes)
    else:
        _write_with_executemany(changes)


def _write_with_arrays(changes: Sequence[Change]) -> None:
    # One statement, the rows travelling as one array per column: a quiet night writes a handful of
    # customers, the first night thousands, and either way each is looked up by her key.
    states = [c.after for c in sorted(changes)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {_TABLE} AS c
                   SET bucket = s.bucket, months_away = s.months, assignee_id = s.assignee_id,
                       dormant_since = s.dormant_since,
                       escalated_on = CASE WHEN s.bucket = %s THEN NULL ELSE c.escalated_on END
                  FROM unnest(%s::bigint[], %s::varchar[], %s::smallint[], %s::bigint[], %s::date[])
                       AS s(id, bucket, months, assignee_id, dormant_since)
                 WHERE c.id = s.id""",
            [
                Bucket.ACTIVE,
                array_text([c.customer_id for c in sorted(changes)]),
                array_text([state.bucket for state in states]),
                array_text([state.months for state in states]),
                array_text([state.assignee for state in states]),
                array_text([state.dormant_since for state in states]),
            ],
        )


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


def write_run_done(
    run: SegmentRun, *, counts: Sequence[tuple[tuple[str, int | None], int]], fields: Sequence[str]
) -> None:
    """The run's snapshot (customers per bucket and assignee) and its row's `fields`, saved.

    PostgreSQL takes both in one statement: a store's quiet night is a handful of round trips."""
    if connection.vendor != "postgresql":
        SegmentCount.objects.bulk_create(
            [SegmentCount(run=run, bucket=b, assignee_id=a, customers=n) for (b, a), n in counts]
        )
        run.save(update_fields=list(fields))
        return
    columns = [SegmentRun._meta.get_field(name) for name in fields]
    sets = ", ".join(f"{f.column} = %s" for f in columns)  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH counts AS (
                    INSERT INTO {SegmentCount._meta.db_table} (run_id, bucket, assignee_id, customers)
                    SELECT %s, * FROM unnest(%s::varchar[], %s::bigint[], %s::integer[]))
                UPDATE {SegmentRun._meta.db_table} SET {sets} WHERE id = %s""",
            [
                run.pk,
                array_text([b for (b, _a), _n in counts]),
                array_text([a for (_b, a), _n in counts]),
                array_text([n for _key, n in counts]),
                *(f.get_db_prep_save(getattr(run, f.attname), connection) for f in columns),  # type: ignore[union-attr]
                run.pk,
            ],
        )
