#!/usr/bin/env bash
# Set up .venv with the test dependencies and run every check:
# ruff, mypy (django-stubs), missing migrations, and the whole pytest suite (browser tests in Chromium included).
# On SQLite by default; on PostgreSQL when DATABASE_URL points at one, e.g.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test scripts/test.sh
# Extra arguments go to pytest (scripts/test.sh -k assignment).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh --test
py=.venv/bin/python
export DJANGO_SETTINGS_MODULE=salon_crm.settings.test

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check . >/dev/null || { echo "Code not formatted: run .venv/bin/ruff format ." >&2; exit 1; }
echo "== mypy"
.venv/bin/mypy --config-file pyproject.toml
echo "== migrations"
$py manage.py makemigrations --check --dry-run >/dev/null || {
    echo "Model changes without a migration: run manage.py makemigrations" >&2
    exit 1
}
echo "== pytest on ${DATABASE_URL:-SQLite}"
$py -m pytest "$@"
