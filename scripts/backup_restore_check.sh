#!/usr/bin/env bash
# Back up the database with pg_dump, restore the dump into a scratch database, and check that the
# restored copy holds the same rows as the original (every table of ours, row for row in count).
#   scripts/backup_restore_check.sh postgres://salon@db/salon [backup-file.dump]
# The dump is kept (default: var/backups/salon-YYYYmmdd-HHMMSS.dump); the scratch database is dropped.
# Restoring for real is the same pg_restore into an empty database (see README, "Backups").
set -euo pipefail
url=${1:?usage: scripts/backup_restore_check.sh DATABASE_URL [DUMP_FILE]}
cd "$(dirname "$0")/.."
mkdir -p var/backups
dump=${2:-var/backups/salon-$(date +%Y%m%d-%H%M%S).dump}
scratch="restore_check_$$"
base=${url%/*}

counts() {
    psql "$1" -Atc "SELECT string_agg(format('%s=%s', t, (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I', t), false, true, '')))[1]::text), ' ' ORDER BY t)
                      FROM (SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'
                               AND (tablename LIKE 'customers\_%' OR tablename LIKE 'reactivation\_%')) tables"
}

echo "== dumping to $dump"
pg_dump --format=custom --no-owner --file="$dump" "$url"
echo "== restoring into the scratch database $scratch"
psql "$base/postgres" -qc "CREATE DATABASE $scratch"
trap 'psql "$base/postgres" -qc "DROP DATABASE IF EXISTS $scratch" >/dev/null' EXIT
pg_restore --no-owner --exit-on-error --dbname="$base/$scratch" "$dump"

original=$(counts "$url")
restored=$(counts "$base/$scratch")
if [ "$original" != "$restored" ]; then
    echo "restored copy differs:" >&2
    diff <(tr ' ' '\n' <<<"$original") <(tr ' ' '\n' <<<"$restored") >&2 || true
    exit 1
fi
echo "restored copy matches: $(wc -w <<<"$original") tables, $(du -h "$dump" | cut -f1) dump"
