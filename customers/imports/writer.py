"""Writing one batch while the next is being prepared.

A large visits import spends about as long in PostgreSQL (indexes, foreign-key checks) as in
Python (reading and checking rows). On two cores the two can overlap: `BatchWriter.submit` hands
a batch's statements to a writer thread and returns at once, and the importer prepares the next
batch meanwhile, collecting the result before it submits again.

The writer uses the import's own connection, inside the import's transaction, so all-or-nothing
still holds: psycopg2 connections may be shared between threads and run one statement at a time.
The importer keeps to one rule — no database work of its own between `submit` and `result` but
what can wait for the writer (psycopg2 simply queues it). Elsewhere (SQLite, whose connections
belong to one thread) a submitted job runs at once.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections

T = TypeVar("T")


class BatchWriter:
    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        if connection.vendor == "postgresql":
            # `connection` is per thread: keep this thread's, whose transaction the import runs in.
            self._connection = connections[DEFAULT_DB_ALIAS]
            self._connection.ensure_connection()
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer")

    def submit(self, job: Callable[[object], T]) -> Future[T]:
        """Run `job(cursor)`: in the writer thread on PostgreSQL, here and now elsewhere."""
        if self._pool is None:
            done: Future[T] = Future()
            try:
                with connection.cursor() as cursor:
                    done.set_result(job(cursor))
            except Exception as error:
                done.set_exception(error)
            return done
        return self._pool.submit(self._run, job)

    def _run(self, job: Callable[[object], T]) -> T:
        # Database errors come out as Django's (an IntegrityError is still an IntegrityError).
        with self._connection.wrap_database_errors, self._connection.connection.cursor() as cursor:
            return job(cursor)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
