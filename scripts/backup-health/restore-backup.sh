#!/usr/bin/env bash
# The seed's restore-backup.sh: request a restore and follow it to its result.
#   restore-backup.sh [set|latest] [path] [test=true|false]
#     set|latest  a backup label (20261124-020000F...) or "latest" (default)
#     path        test restores: the scratch sub-directory name (kept for inspection when given)
#     test=false  a production restore in place: also set CONFIRM=<stanza> and REASON="...",
#                 and the executor must allow it in its own configuration. The first run prints the
#                 executor's challenge (what would be overwritten) and exits 4; run it again with
#                 CONFIRM_NONCE=<the nonce it printed> within the challenge's validity to restore.
# Environment: STANZA (main), SCHEDULER_URL (http://127.0.0.1:8082), WAIT_SECONDS (3600),
# API_TOKEN_FILE (.local/api-token), REPO (the repository to restore from, e.g. 2 = the offsite one).
# Exit 0 completed, 1 failed, 2 refused or usage, 3 unreachable or no answer in time, 4 challenged.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

target="${1:-latest}"
path="${2:-}"
test_mode="${3:-test=true}"
stanza="${STANZA:-main}"
SCHEDULER_URL="${SCHEDULER_URL:-http://127.0.0.1:8082}"
WAIT_SECONDS="${WAIT_SECONDS:-3600}"

case "$test_mode" in
    test=true) mode=test ;;
    test=false) mode=production ;;
    *) echo "usage: $0 [set|latest] [path] [test=true|false]" >&2; exit 2 ;;
esac
if [ "$target" = latest ]; then
    target_json='{"kind":"latest"}'
else
    target_json="{\"kind\":\"set\",\"value\":$(json_string "$target")}"
fi
body="{\"stanza\":$(json_string "$stanza"),\"mode\":\"$mode\",\"target\":$target_json"
if [ -n "$path" ]; then body="$body,\"path\":$(json_string "$path"),\"keep\":true"; fi
if [ -n "${REPO:-}" ]; then
    case "$REPO" in *[!0-9]* | "") echo "REPO must be a repository number (e.g. 2)" >&2; exit 2 ;; esac
    body="$body,\"repo\":$REPO"
fi
if [ "$mode" = production ]; then
    body="$body,\"confirm\":$(json_string "${CONFIRM:-}"),\"reason\":$(json_string "${REASON:-}")"
    if [ -n "${CONFIRM_NONCE:-}" ]; then body="$body,\"confirmNonce\":$(json_string "$CONFIRM_NONCE")"; fi
fi
body="$body,\"requestedBy\":$(json_string "restore-backup.sh (${USER:-unknown})")}"

submit /restores "$body"
echo "requested $mode restore of stanza $stanza to $target: request $id"

deadline=$((SECONDS + WAIT_SECONDS))
last=""
while [ $SECONDS -lt $deadline ]; do
    status=$(curl -fsS "$SCHEDULER_URL/requests/$id" 2>/dev/null || true)
    event=$(printf '%s' "$status" | sed -n 's/.*"lastEventType":"\([A-Za-z]*\)".*/\1/p')
    if [ -n "$event" ] && [ "$event" != "$last" ]; then
        last=$event
        case "$event" in
            RestoreStarted) echo "$(date -u +%H:%M:%S) started on executor $(printf '%s' "$status" | sed -n 's/.*"claimedBy":"\([^"]*\)".*/\1/p')" ;;
            RestoreCompleted)
                echo "$(date -u +%H:%M:%S) completed: $(printf '%s' "$status" | grep -o '"restoreSeconds":[0-9.]*,"replaySeconds":[0-9.]*,"verifySeconds":[0-9.]*')"
                printf '%s' "$status" | grep -o '"keptAt":"[^"]*"' || true
                printf '%s' "$status" | grep -o '"rowCounts":{[^}]*}' || true
                exit 0 ;;
            RestoreFailed)
                if printf '%s' "$status" | grep -q '"errorCode":"CONFIRMATION_PENDING"'; then
                    echo "the executor asks for confirmation; this restore would overwrite:"
                    printf '%s' "$status" | grep -o '"challenge":{[^}]*}'
                    nonce=$(printf '%s' "$status" | sed -n 's/.*"nonce":"\([A-Za-z0-9_-]*\)".*/\1/p')
                    echo "to go ahead, run again within its validity with CONFIRM_NONCE=$nonce (and the same target)"
                    exit 4
                fi
                echo "$(date -u +%H:%M:%S) failed: $(printf '%s' "$status" | grep -o '"errorCode":"[^"]*"') $(printf '%s' "$status" | grep -o '"reason":"[^"]*"')" >&2
                exit 1 ;;
            *) echo "$(date -u +%H:%M:%S) $event" ;;
        esac
    fi
    sleep 2
done
echo "no answer for request $id within ${WAIT_SECONDS}s" >&2
exit 3
