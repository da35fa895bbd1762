#!/usr/bin/env bash
# The seed's run-backup.sh: request a backup now and follow it to its end.
#   run-backup.sh full|diff|incr [stanza]     (stanza defaults to $STANZA, $PGBACKREST_STANZA or main)
# Environment: SCHEDULER_URL (http://127.0.0.1:8082), HEALTH_URL (http://127.0.0.1:8080),
# WAIT_SECONDS (3600; 0 = do not wait), API_TOKEN_FILE (.local/api-token). Exit 0 completed, 1 failed, 2 usage, 3 unreachable or no answer.
set -euo pipefail
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

type="${1:-}"
stanza="${2:-${STANZA:-${PGBACKREST_STANZA:-main}}}"
SCHEDULER_URL="${SCHEDULER_URL:-http://127.0.0.1:8082}"
HEALTH_URL="${HEALTH_URL:-http://127.0.0.1:8080}"
WAIT_SECONDS="${WAIT_SECONDS:-3600}"

case "$type" in
    full | diff | incr) ;;
    *) echo "usage: $0 full|diff|incr [stanza]" >&2; exit 2 ;;
esac

body="{\"stanza\":$(json_string "$stanza"),\"backupType\":\"$type\",\"requestedBy\":$(json_string "run-backup.sh (${USER:-unknown})")}"
submit /backups "$body"
echo "requested $type backup of stanza $stanza: request $id"
[ "$WAIT_SECONDS" = 0 ] && exit 0

deadline=$((SECONDS + WAIT_SECONDS))
while [ $SECONDS -lt $deadline ]; do
    detail=$(curl -fsS "$HEALTH_URL/stanzas/$stanza" 2>/dev/null || true)
    if printf '%s' "$detail" | grep -q "\"requestId\":\"$id\""; then
        if printf '%s' "$detail" | grep -q '"outcome":"BackupCompleted"'; then
            echo "completed: $(printf '%s' "$detail" | grep -o '"label":"[^"]*"' | head -1)"
            exit 0
        fi
        echo "failed: $(printf '%s' "$detail" | grep -o '"errorCode":"[^"]*","reason":"[^"]*"' | head -1)" >&2
        exit 1
    fi
    sleep 2
done
echo "no answer for request $id within ${WAIT_SECONDS}s (a coalesced request is answered through the one it joined)" >&2
exit 3
