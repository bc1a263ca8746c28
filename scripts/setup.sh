#!/usr/bin/env bash
# Create or refresh .venv and everything the product needs to run from this checkout:
# Python packages, the front-end packages (npm), compiled translations.
#   scripts/setup.sh          runtime packages
#   scripts/setup.sh --test   runtime and test packages
# Safe to run again: each step is skipped when what it depends on has not changed.
set -euo pipefail
cd "$(dirname "$0")/.."

requirements=requirements/base.txt
[ "${1:-}" = "--test" ] && requirements=requirements/test.txt

python=${PYTHON:-}
if [ -z "$python" ]; then
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
            python=$candidate
            break
        fi
    done
fi
if [ -z "$python" ]; then
    echo "Python 3.11 is needed (Django 5.2 LTS). Install it, or point PYTHON at it." >&2
    exit 1
fi

if [ ! -x .venv/bin/python ]; then
    echo "Creating .venv with $("$python" --version)"
    "$python" -m venv .venv
fi

stamp=.venv/.installed-$(basename "$requirements" .txt)
wanted=$(cat requirements/*.txt | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "Installing Python packages from $requirements"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
    echo "$wanted" > "$stamp"
fi

lock=$(sha256sum package-lock.json | cut -c1-16)
if [ "$(cat static/vendor/.lock 2>/dev/null)" != "$lock" ]; then
    ./scripts/vendor_static.sh
    echo "$lock" > static/vendor/.lock
fi

.venv/bin/python scripts/compile_messages.py
