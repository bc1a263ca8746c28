#!/usr/bin/env bash
# One command from a fresh checkout to a running demo salon:
# installs everything into .venv, creates the SQLite database, seeds the demo
# store, runs the nightly classification, and serves on 127.0.0.1:${PORT:-8000}.
#   scripts/demo.sh             set up and serve
#   scripts/demo.sh --no-serve  set up only
# Safe to run again: an existing demo store is kept as it is.
set -euo pipefail
cd "$(dirname "$0")/.."

serve=1
for arg in "$@"; do
    case "$arg" in
        --no-serve) serve=0 ;;
        *) echo "usage: scripts/demo.sh [--no-serve]" >&2; exit 2 ;;
    esac
done

./scripts/setup.sh
export DJANGO_SETTINGS_MODULE=salon_crm.settings.base
py=.venv/bin/python
$py manage.py migrate --noinput -v 0
$py manage.py seed_demo --if-missing --password "${DEMO_PASSWORD:-salon-demo}"
$py manage.py segment_customers

port=${PORT:-8000}
echo
echo "Salon CRM demo: http://127.0.0.1:$port/  (sign in with a login above)"
if [ "$serve" = 1 ]; then
    exec $py manage.py runserver "127.0.0.1:$port"
fi
