"""Celery tasks: the two runs of a browser import, thin wrappers around the import services.

A large file takes longer to check and import than a web request may last, so the page queues
these and follows the batch's status. Both are reruns-safe: a batch no longer in the state a task
expects (checked already, imported already) is left as it is. Their time limits stay below the
broker's visibility timeout, so a task is redelivered only when its worker really died.
"""

from __future__ import annotations

from typing import TypedDict

from celery import shared_task
from celery.contrib.django.task import DjangoTask

from .services.imports import check_upload, import_confirmed


class _TimeLimits(TypedDict):
    soft_time_limit: int
    time_limit: int


TIME_LIMITS: _TimeLimits = {"soft_time_limit": 30 * 60, "time_limit": 35 * 60}
# base=DjangoTask: the class Celery's Django fix-up gives every task anyway, named so that the
# type checker knows its delay_on_commit.


@shared_task(base=DjangoTask, acks_late=True, **TIME_LIMITS)
def check_upload_task(batch_id: int) -> str | None:
    batch = check_upload(batch_id=batch_id)
    return batch.status if batch else None


@shared_task(base=DjangoTask, acks_late=True, **TIME_LIMITS)
def import_confirmed_task(batch_id: int) -> str | None:
    batch = import_confirmed(batch_id=batch_id)
    return batch.status if batch else None
