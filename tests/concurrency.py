"""Doing one thing several times at the same moment, each on a database connection of its own (threads)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import close_old_connections, connection

T = TypeVar("T")


def at_once(times: int, work: Callable[[], T], *, timeout: float = 60) -> list[T]:
    """Run `work` in `times` threads released together; returns what each returned (in finishing order)."""
    start, results, errors = threading.Barrier(times), [], []

    def run():
        close_old_connections()
        start.wait()
        try:
            results.append(work())
        except BaseException as error:  # reported in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if errors:
        raise errors[0]
    return results
