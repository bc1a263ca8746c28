#!/usr/bin/env bash
# The production stack on one machine: gunicorn, one Celery worker and Celery beat, with
# production settings, against a local PostgreSQL and Redis. Ctrl-C stops all three.
#   DATABASE_URL       default postgres://postgres@127.0.0.1:5432/salon (created if missing)
#   CELERY_BROKER_URL  default redis://127.0.0.1:6379/0
#   PORT               default 8000 (open http://localhost:$PORT/)
# Without a TLS proxy in front, HTTPS redirects are switched off here; everything else is as in production.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
export DJANGO_SETTINGS_MODULE=salon_crm.settings.production
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/salon}
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-localhost,127.0.0.1}
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-False}
# No proxy in front here: client addresses are the connections' own (set 1 behind a TLS proxy).
export TRUSTED_PROXY_COUNT=${TRUSTED_PROXY_COUNT:-0}
mkdir -p var
if [ -z "${SECRET_KEY:-}" ]; then
    # Kept in var/ so that sessions survive a restart of the stack.
    [ -s var/secret_key ] || .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
    SECRET_KEY=$(cat var/secret_key)
    export SECRET_KEY
fi

py=.venv/bin/python
$py - <<'PY'
import os, psycopg2
url = os.environ["DATABASE_URL"]
base, name = url.rsplit("/", 1)
conn = psycopg2.connect(base + "/postgres")
conn.autocommit = True
with conn.cursor() as cursor:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    if cursor.fetchone() is None:
        cursor.execute(f'CREATE DATABASE "{name}"')
        print(f"created database {name}")
PY
$py manage.py migrate --noinput -v 0
$py manage.py collectstatic --noinput -v 0
$py manage.py check --deploy  # warns that HTTPS redirects are off here

trap 'kill 0' EXIT INT TERM
.venv/bin/gunicorn -c gunicorn.conf.py salon_crm.wsgi --bind "127.0.0.1:${PORT:-8000}" --workers 3 --access-logfile - &
.venv/bin/celery -A salon_crm worker --loglevel INFO --concurrency 2 &
.venv/bin/celery -A salon_crm beat --loglevel INFO --schedule var/celerybeat-schedule &
echo "Salon CRM (production settings): http://localhost:${PORT:-8000}/"
wait
