"""Production settings: refuse to start without secrets, and pass Django's deployment checks with them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRETS = {
    "SECRET_KEY": "x7#kq2!vL9@pZr4$wN8^bT1&mC6*hF3(jD5)sG0-yU2+eA7=oI9",
    "DATABASE_URL": "postgres://salon@127.0.0.1:5432/salon",
    "ALLOWED_HOSTS": "crm.example.com",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def run_manage(*args, env):
    unwanted = {*SECRETS, "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unwanted}
    clean.update(env, DJANGO_SETTINGS_MODULE="salon_crm.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_each_secret():
    for missing in SECRETS:
        env = {k: v for k, v in SECRETS.items() if k != missing}
        result = run_manage("check", env=env)
        assert result.returncode != 0, missing
        assert missing in result.stderr, result.stderr[-500:]


def test_production_settings_pass_the_deployment_checks():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=SECRETS)
    assert result.returncode == 0, result.stdout + result.stderr
