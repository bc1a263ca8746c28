"""Shared fixtures: the personas of one store (and a stranger from another), real Chromium and a
real Celery worker."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid

import pytest
from django.db import connection

from customers.models import Staff

from .factories import PASSWORD, StaffFactory, StoreFactory
from .processes import ROOT, process_env

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make beside it are still synchronous and safe. Tests only, never the app.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def needs(what: str) -> None:
    """Skip a test whose infrastructure is missing; under CI a missing piece is a failure."""
    message = f"{what} is not available"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: this is a failure, not a skip)")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _default_script_library(request):
    """The default scripts, as migrate loads them.

    Tests that commit (live server, real processes) end by flushing the database, which
    takes the migrations' data with it; the next test that uses the database gets it back.
    """
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    transactional = bool(names & {"transactional_db", "live_server"}) or bool(
        marker and marker.kwargs.get("transaction")
    )
    if not (transactional or marker or "db" in names):
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    from reactivation.library.sync import sync_default_scripts
    from reactivation.models import Script, ScriptVersion

    if not Script.objects.filter(store__isnull=True).exists():
        sync_default_scripts(Script, ScriptVersion)


@pytest.fixture(autouse=True)
def _postgres_only(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL only (set DATABASE_URL)")


# --- personas -----------------------------------------------------------------


@pytest.fixture
def store(db):
    return StoreFactory(code="MAIN", name="丽颜美容会所")


@pytest.fixture
def other_store(db):
    return StoreFactory(code="OTHER", name="隔壁美容院")


@pytest.fixture
def manager(store):
    return StaffFactory(username="manager", name="周店长", role=Staff.Role.MANAGER, store=store)


@pytest.fixture
def beautician_a(store):
    return StaffFactory(username="beautician_a", name="小美", role=Staff.Role.BEAUTICIAN, store=store)


@pytest.fixture
def beautician_b(store):
    return StaffFactory(username="beautician_b", name="小雅", role=Staff.Role.BEAUTICIAN, store=store)


@pytest.fixture
def front_desk(store):
    return StaffFactory(username="front_desk", name="阿芳", role=Staff.Role.FRONT_DESK, store=store)


@pytest.fixture
def owner(db):
    return StaffFactory(username="owner", name="林总", role=Staff.Role.OWNER, store=None)


@pytest.fixture
def stranger(other_store):
    """A beautician of another store: must never see anything of `store`."""
    return StaffFactory(username="stranger", name="外店美容师", role=Staff.Role.BEAUTICIAN, store=other_store)


@pytest.fixture
def password():
    return PASSWORD


# --- real Chromium ----------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        needs("Chromium (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A phone: every staff page must work 390 px wide.
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}, "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def phone_page(page):
    """A Chromium page at phone size that fails the test on any JavaScript error."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def sign_in(live_server, phone_page):
    def _sign_in(username: str, password: str = PASSWORD):
        phone_page.goto(f"{live_server.url}/accounts/login/")
        phone_page.fill("input[name=username]", username)
        phone_page.fill("input[name=password]", password)
        phone_page.click("#sign-in")
        return phone_page

    return _sign_in


# --- Celery's real path ---------------------------------------------------------------------

BROKER = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_up():
    import redis

    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        needs(f"Redis at {BROKER}")


@pytest.fixture
def worker(redis_up):
    """A real Celery worker process consuming from Redis (one queue of its own); yields the queue."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "salon_crm", "worker", "--pool=solo", "--queues", queue,
         "--loglevel=INFO", "--without-gossip", "--without-mingle"],
        cwd=ROOT,
        env=process_env(CELERY_BROKER_URL=BROKER, CELERY_TASK_ALWAYS_EAGER="False"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    yield queue
    process.terminate()
    output, _ = process.communicate(timeout=30)
    print(output[-3000:])
