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

# A file, not memory, on SQLite: the tests that start real processes (a Celery worker,
# two concurrent nightly runs) must see the same test database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test.sqlite3")}  # noqa: F405
    (BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405
