"""Settings shared by every environment.

Everything that differs between a laptop and a chain's servers comes from the
environment (see `.env.example`). Without any variable set, the product runs on
its embedded default: an SQLite file in the repository and Celery tasks executed
eagerly in-process.
"""

from __future__ import annotations

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# A development key: production.py refuses to start without a real one.
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "axes",
    "auditlog",
    "csp",
    "customers",
    "reactivation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "salon_crm.middleware.LanguageCookieMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "salon_crm.client_address.ClientAddressAuditlogMiddleware",
    # Must stay last: it answers locked-out logins before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "salon_crm.urls"
WSGI_APPLICATION = "salon_crm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writers (web requests, the nightly job, an import) share one file:
    # IMMEDIATE transactions take the write lock up front instead of failing
    # half-way with "database is locked", WAL lets readers continue meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -----------------------------------------------------------------

AUTH_USER_MODEL = "customers.Staff"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Ours: the same rule, with its message in our catalog (customers/passwords.py).
    {"NAME": "customers.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # A birthday or a phone number is the first thing someone would try.
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# One shift: a phone left in the staff room signs out by the next morning.
SESSION_COOKIE_AGE = 10 * 60 * 60

# How many reverse proxies stand in front of gunicorn (each appends to X-Forwarded-For). 0: none, the
# header is ignored (the embedded default); production's documented TLS proxy: 1. See client_address.py.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Lock on the pair so that nobody can lock the manager out by guessing at her name; and one address
# trying many names at a higher limit of its own (salon_crm/lockout.py).
AXES_HANDLER = "salon_crm.lockout.SalonLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "salon_crm.client_address.client_address"
AXES_FAILURE_LIMIT = 5
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=30)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# --- Content-Security-Policy (django-csp) ----------------------------------------

# Everything from our own origin, nothing inline: no inline script or event handler (the pages'
# JavaScript is in static/js), no inline style (htmx's indicator styles are in app.css), no eval
# (htmx runs with allowEval off, see base.html). tests/e2e/test_content_security_policy.py proves
# the dashboard's chart, htmx and the store picker work under it with no violation reported.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Language and time --------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Static files -------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Uploads ------------------------------------------------------------------

# An import file larger than this is refused with a message, not read.
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
# An Excel workbook is a zip: refused before it is opened when it would unpack to more than this, or
# when a part of it is packed more tightly than any spreadsheet program packs (a "zip bomb").
# Its sheets are streamed; its table of texts (shared strings) is read whole, so it has a limit of its own.
IMPORT_MAX_UNPACKED_BYTES = env.int("IMPORT_MAX_UNPACKED_BYTES", default=512 * 1024 * 1024)
IMPORT_MAX_SHARED_STRINGS_BYTES = env.int("IMPORT_MAX_SHARED_STRINGS_BYTES", default=64 * 1024 * 1024)
IMPORT_MAX_PACKING_RATIO = env.int("IMPORT_MAX_PACKING_RATIO", default=100)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Celery -------------------------------------------------------------------

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
# Without a broker the embedded default runs every task in-process, at once.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL == "memory://")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True  # results live in the database (segment runs), not in Redis
CELERY_TASK_ACKS_LATE = True  # every task is safe to run twice
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_TIME_LIMIT = 30 * 60
# Longer than the hard time limit, so a slow task is never handed to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that queues a task (a message to send) waits at most a couple of seconds for a broker
# that is down; what it recorded is queued again from beat once the broker is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
# Keep Django's LOGGING (and its phone-masking filter) in the workers too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Audit and logging --------------------------------------------------------

AUDITLOG_MASK_CALLABLE = "customers.phones.mask_phone"
AUDITLOG_DISABLE_REMOTE_ADDR = False

# One handler, with the phone mask, for every logger. Django's own defaults give `django` and
# `django.server` (the request and runserver logs, which print URLs) handlers of their own without
# it: here they lose them and propagate to ours. gunicorn's logs: salon_crm/gunicorn_logger.py.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_phones": {"()": "customers.phones.MaskPhonesFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_phones"], "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
    },
}

# --- Messages to customers ----------------------------------------------------

SMS_BACKEND = env("SMS_BACKEND", default="reactivation.messaging.backends.ConsoleBackend")
SMS_FILE_PATH = env("SMS_FILE_PATH", default=str(BASE_DIR / "var" / "sms"))
