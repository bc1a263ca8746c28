"""Test settings: the base settings with fast hashing and nothing external.

The database still comes from `DATABASE_URL`, so the same suite runs on SQLite
and on PostgreSQL.
"""

from __future__ import annotations

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True
SMS_BACKEND = "reactivation.messaging.backends.LocmemBackend"
AXES_ENABLED = True
ALLOWED_HOSTS = ["*"]
