#!/usr/bin/env bash
# Create a named restore point on a stanza's primary (before a migration, a risky deploy...), to
# restore to it later with restore.requests target {"kind":"name","value":NAME}.
#   create-restore-point.sh NAME [reason]
# The executor of the stanza runs pg_create_restore_point(NAME) on its primary
# (executor.primary."<stanza>".jdbc-url) and switches WAL so the point is archived now.
# Environment: STANZA (main), SCHEDULER_URL (http://127.0.0.1:8082), WAIT_SECONDS (120).
# Exit 0 created (prints its LSN), 1 failed, 2 refused or usage, 3 unreachable or no answer in time.
set -euo pipefail
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

name="${1:-}"
reason="${2:-}"
stanza="${STANZA:-${PGBACKREST_STANZA:-main}}"
SCHEDULER_URL="${SCHEDULER_URL:-http://127.0.0.1:8082}"
WAIT_SECONDS="${WAIT_SECONDS:-120}"
[ -n "$name" ] || { echo "usage: $0 NAME [reason]" >&2; exit 2; }
body="{\"stanza\":$(json_string "$stanza"),\"mode\":\"point\",\"target\":{\"kind\":\"name\",\"value\":$(json_string "$name")}"
body="$body,\"reason\":$(json_string "$reason"),\"requestedBy\":$(json_string "create-restore-point.sh (${USER:-unknown})")}"

submit /restores "$body"
deadline=$((SECONDS + WAIT_SECONDS))
while [ $SECONDS -lt $deadline ]; do
    status=$(curl -fsS "$SCHEDULER_URL/requests/$id" 2>/dev/null || true)
    case "$(printf '%s' "$status" | sed -n 's/.*"lastEventType":"\([A-Za-z]*\)".*/\1/p')" in
        RestoreCompleted)
            echo "restore point $name of stanza $stanza created at LSN $(printf '%s' "$status" \
                | sed -n 's/.*"reachedLsn":"\([^"]*\)".*/\1/p') (request $id)"
            exit 0 ;;
        RestoreFailed)
            echo "failed: $(printf '%s' "$status" | grep -o '"errorCode":"[^"]*"') $(printf '%s' "$status" \
                | grep -o '"reason":"[^"]*"')" >&2
            exit 1 ;;
    esac
    sleep 1
done
echo "no answer for request $id within ${WAIT_SECONDS}s" >&2
exit 3
