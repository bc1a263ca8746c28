"""How far a running check or import has got, for the page that follows it.

The import runs in one transaction that nobody else can see into until it commits, so its worker
writes its progress through a connection of its own (`BatchProgress`): rows checked and imported
out of the total, and a heartbeat every few seconds — also while one long statement runs, from a
small thread. A batch whose heartbeat is older than STALE_AFTER lost its worker (killed, out of
memory, a machine gone) and may be run again (`customers.services.imports.import_retry`).

SQLite, the single-salon default, runs the task in the request that started it (eager Celery):
nobody is polling, and a second connection could not write while the import holds the database,
so progress is kept in memory only and the history entry gets the final figures.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from ..models import ImportBatch

STALE_AFTER = dt.timedelta(seconds=90)
HEARTBEAT_SECONDS = 3.0


@dataclass(frozen=True)
class Progress:
    """What the page shows: a percentage, the counts, and the time left (None until it can be told)."""

    percent: int
    checked: int
    imported: int
    total: int
    seconds_left: int | None

    @property
    def minutes_left(self) -> int | None:
        return None if self.seconds_left is None else -(-self.seconds_left // 60)


def progress_of(batch: ImportBatch, now: dt.datetime) -> Progress:
    """The share done of the step running now (a check counts rows checked; an import, checked
    and then imported, each half), and the time left at the pace so far."""
    total = batch.rows
    if batch.status == ImportBatch.Status.IMPORTING:
        done = (batch.checked_rows + batch.imported_rows) / (2 * total) if total else 0.0
    else:
        done = batch.checked_rows / total if total else 0.0
    done = min(done, 1.0)
    seconds_left = None
    if batch.step_started_at is not None and 0.02 <= done < 1.0:
        elapsed = (now - batch.step_started_at).total_seconds()
        seconds_left = max(int(elapsed * (1 - done) / done), 1)
    return Progress(int(done * 100), batch.checked_rows, batch.imported_rows, total, seconds_left)


def is_stale(batch: ImportBatch, now: dt.datetime) -> bool:
    """Its worker started and then stopped giving signs of life."""
    running = batch.status in {ImportBatch.Status.CHECKING, ImportBatch.Status.IMPORTING}
    return running and batch.heartbeat_at is not None and now - batch.heartbeat_at > STALE_AFTER


class BatchProgress:
    """`on_progress` for `run_import`: keeps a batch's progress fields and heartbeat up to date."""

    def __init__(self, batch_id: int) -> None:
        self.batch_id = batch_id
        self.figures = {"checked_rows": 0, "imported_rows": 0, "rows": 0}
        self._changed = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __call__(self, *, checked: int, imported: int, total: int) -> None:
        self.figures = {"checked_rows": checked, "imported_rows": imported, "rows": total}
        self._changed.set()

    def __enter__(self) -> BatchProgress:
        if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
            self._thread = threading.Thread(target=self._beat, name=f"import-progress-{self.batch_id}", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _beat(self) -> None:
        """Every HEARTBEAT_SECONDS, or sooner when figures change: write them, on a connection of its own."""
        connection = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            while not self._stop.is_set():
                self._write(connection)
                self._changed.wait(HEARTBEAT_SECONDS)
                self._changed.clear()
                time.sleep(0.5)  # at most two writes a second
            self._write(connection)
        finally:
            connection.close()

    def _write(self, connection) -> None:
        figures = self.figures
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportBatch._meta.db_table} SET checked_rows = %s, imported_rows = %s, rows = %s, "
                "heartbeat_at = %s WHERE id = %s",
                [figures["checked_rows"], figures["imported_rows"], figures["rows"], timezone.now(), self.batch_id],
            )
