"""The Celery application.

Configured from Django settings (`CELERY_*`). Without a broker (the embedded
default) tasks run eagerly in the calling process. The nightly schedule is
declared here, in code, and nowhere else.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salon_crm.settings.base")

app = Celery("salon_crm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The schedule: every 15 minutes the dispatcher queues the stores whose local night (02:00) has
# come and that have not been classified for their local date yet; every 5 minutes, messages
# recorded while the broker was unreachable are queued again.
app.conf.beat_schedule = {
    "dispatch-nightly-segmentation": {
        "task": "reactivation.tasks.dispatch_nightly_segmentation",
        "schedule": 15 * 60,
        "options": {"expires": 14 * 60},
    },
    "requeue-waiting-messages": {
        "task": "reactivation.tasks.requeue_waiting_messages",
        "schedule": 5 * 60,
        "options": {"expires": 4 * 60},
    },
}
