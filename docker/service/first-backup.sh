#!/bin/bash
# The compose stack's first backup, as `make up` takes one: once the services are up, a full backup
# of PGBACKREST_STANZA unless health already knows a successful one (a restarted stack takes none).
set -euo pipefail
stanza="${PGBACKREST_STANZA:-main}"
HEALTH_URL="${HEALTH_URL:-http://health:8080}"
for i in $(seq 1 60); do
    detail=$(curl -fsS "$HEALTH_URL/stanzas/$stanza" 2>/dev/null) && break
    sleep 2
done
if printf '%s' "${detail:-}" | grep -q '"lastSuccessfulBackup":{'; then
    echo "stanza $stanza already has a backup; no first backup"
    exit 0
fi
exec /usr/local/bin/run-backup.sh full "$stanza"
