"""Celery tasks: thin wrappers that look the store up and call the same service as the command.

Beat fires `dispatch_nightly_segmentation` every quarter of an hour. It queues one
`segment_store_task` per store whose local time has passed 02:00 and that has no run
for its local date yet, so stores in other time zones are classified in their own night
and a chain of hundreds of stores spreads across the workers.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.db import OperationalError, transaction
from django.utils import timezone

from customers.models import Store

from .models import SegmentRun
from .services.messages import message_deliver, messages_requeue_waiting
from .services.segment import segment_store

logger = logging.getLogger(__name__)

NIGHTLY_AT = dt.time(2, 0)
# A queued run that no worker has finished after this long is queued again (a lost message).
REQUEUE_AFTER = dt.timedelta(hours=3)


@shared_task(
    base=DjangoTask,  # what Celery's Django fix-up makes every task: it has delay_on_commit
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    retry_jitter=True,
    max_retries=3,
    soft_time_limit=20 * 60,
    time_limit=25 * 60,
)
def segment_store_task(store_id: int, run_date: str) -> str:
    store = Store.objects.get(pk=store_id)
    return segment_store(store=store, today=dt.date.fromisoformat(run_date)).status


@shared_task(acks_late=False, soft_time_limit=60, time_limit=90)
def deliver_message_task(message_id: int) -> str:
    """Hand one recorded message to the gateway (acknowledged early: a lost task leaves it queued, never twice)."""
    message = message_deliver(message_id=message_id)
    return message.status if message is not None else "already claimed"


@shared_task(soft_time_limit=60, time_limit=90)
def requeue_waiting_messages() -> int:
    return messages_requeue_waiting()


@shared_task(acks_late=True, soft_time_limit=5 * 60, time_limit=6 * 60)
def dispatch_nightly_segmentation() -> int:
    return dispatch_nightly(now=timezone.now())


def dispatch_nightly(*, now: dt.datetime) -> int:
    """Queue tonight's run once for every open store whose local time is past 02:00; returns how many."""
    queued = 0
    for store in Store.objects.filter(is_active=True).order_by("pk"):
        local = now.astimezone(store.tzinfo)
        if local.time() >= NIGHTLY_AT and _queue_once(store, local.date(), now):
            queued += 1
    return queued


def _queue_once(store: Store, day: dt.date, now: dt.datetime) -> bool:
    """Create the day's run row and queue its task after commit; a run already queued, done or failed is left
    alone, except a queued one nobody picked up for hours (its message was lost), which is queued again."""
    with transaction.atomic():
        run, created = SegmentRun.objects.select_for_update().get_or_create(store=store, run_date=day)
        stale = run.status == SegmentRun.Status.QUEUED and now - run.started_at > REQUEUE_AFTER
        if not (created or stale):
            return False
        if stale:
            SegmentRun.objects.filter(pk=run.pk).update(started_at=now)
        segment_store_task.delay_on_commit(store.pk, day.isoformat())
    logger.info("queued segmentation of store %s for %s", store.code, day)
    return True
