#!/usr/bin/env bash
# The seed's restore-backup.sh: request a restore and follow it to its result.
#   restore-backup.sh                       test restore of the latest backup; the copy, started,
#                                           checked and stopped, is left in the executor's
#                                           RESTORE_TEST_DIR (/tmp/postgres-restore-test),
#                                           replacing the previous one
#   restore-backup.sh LABEL                 the same for backup set LABEL (20261124-020000F...)
#   restore-backup.sh LABEL|latest NAME     a test copy kept under the executor's scratch root as NAME
#   restore-backup.sh latest /var/lib/postgresql/data false
#                                           production: restore in place over that data directory
# A production restore needs the executor to allow it (executor.restore.production-enabled) and a
# confirmation: on a terminal this script asks for it; otherwise set CONFIRM=<stanza> and
# REASON="...". The executor first answers with what would be overwritten and a one-time code; on a
# terminal you confirm it here, otherwise run again with CONFIRM_NONCE=<code> within its validity.
# (The older form [set|latest] [path] test=true|test=false still works.)
# Environment: STANZA or PGBACKREST_STANZA (main), SCHEDULER_URL (http://127.0.0.1:8082),
# WAIT_SECONDS (3600), API_TOKEN_FILE, REPO (the repository to restore from, e.g. 2 = offsite),
# KEEP=false (test restores: remove the copy after checking it).
# Exit 0 completed, 1 failed, 2 refused or usage, 3 unreachable or no answer in time, 4 challenged.
set -euo pipefail
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

target="${1:-latest}"
path="${2:-}"
test_mode="${3:-true}"
stanza="${STANZA:-${PGBACKREST_STANZA:-main}}"
SCHEDULER_URL="${SCHEDULER_URL:-http://127.0.0.1:8082}"
WAIT_SECONDS="${WAIT_SECONDS:-3600}"
usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

case "$test_mode" in
    true | test=true) mode=test ;;
    false | test=false) mode=production ;;
    *) usage ;;
esac
case "$target" in -h | --help) usage ;; esac
if [ "$mode" = test ] && [ "${path#/}" != "$path" ]; then
    echo "a test restore's copy goes under the executor's own folders: give a NAME, not a path" \
        "(without one it is left in the executor's RESTORE_TEST_DIR)" >&2
    exit 2
fi
if [ "$target" = latest ]; then
    target_json='{"kind":"latest"}'
else
    target_json="{\"kind\":\"set\",\"value\":$(json_string "$target")}"
fi

interactive() { [ -t 0 ] && [ -t 1 ]; }
if [ "$mode" = production ]; then
    if [ -z "${CONFIRM:-}" ] || [ -z "${REASON:-}" ]; then
        if ! interactive; then
            echo "a production restore overwrites stanza $stanza's data directory${path:+ $path}; to go ahead set" >&2
            echo "  CONFIRM=$stanza REASON=\"why\"   (and the executor must allow production restores)" >&2
            exit 2
        fi
        echo "PRODUCTION RESTORE of stanza $stanza to $target${path:+, over $path}."
        read -r -p "Type the stanza name to confirm: " CONFIRM
        [ "$CONFIRM" = "$stanza" ] || { echo "not confirmed" >&2; exit 2; }
        read -r -p "Reason (recorded with the request): " REASON
        [ -n "$REASON" ] || { echo "a reason is required" >&2; exit 2; }
    fi
fi

# body [NONCE]: the request's JSON.
body() {
    local b="{\"stanza\":$(json_string "$stanza"),\"mode\":\"$mode\",\"target\":$target_json"
    if [ "$mode" = test ]; then
        if [ -n "$path" ]; then b="$b,\"path\":$(json_string "$path")"; fi
        if [ "${KEEP:-true}" != false ]; then b="$b,\"keep\":true"; fi
    fi
    if [ -n "${REPO:-}" ]; then
        case "$REPO" in *[!0-9]* | "") echo "REPO must be a repository number (e.g. 2)" >&2; exit 2 ;; esac
        b="$b,\"repo\":$REPO"
    fi
    if [ "$mode" = production ]; then
        b="$b,\"confirm\":$(json_string "$CONFIRM"),\"reason\":$(json_string "$REASON")"
        if [ -n "${1:-}" ]; then b="$b,\"confirmNonce\":$(json_string "$1")"; fi
    fi
    printf '%s' "$b,\"requestedBy\":$(json_string "restore-backup.sh (${USER:-unknown})")}"
}

# follow: waits for request $id's result; returns 0 completed, 1 failed, 4 challenged (sets
# $challenge and $nonce), 3 no answer.
follow() {
    local deadline=$((SECONDS + WAIT_SECONDS)) last="" status event
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
                    return 0 ;;
                RestoreFailed)
                    if printf '%s' "$status" | grep -q '"errorCode":"CONFIRMATION_PENDING"'; then
                        challenge=$(printf '%s' "$status" | grep -o '"challenge":{[^}]*}')
                        nonce=$(printf '%s' "$status" | sed -n 's/.*"nonce":"\([A-Za-z0-9_-]*\)".*/\1/p')
                        return 4
                    fi
                    echo "$(date -u +%H:%M:%S) failed: $(printf '%s' "$status" | grep -o '"errorCode":"[^"]*"') $(printf '%s' "$status" | grep -o '"reason":"[^"]*"')" >&2
                    return 1 ;;
                *) echo "$(date -u +%H:%M:%S) $event" ;;
            esac
        fi
        sleep 2
    done
    echo "no answer for request $id within ${WAIT_SECONDS}s" >&2
    return 3
}

submit /restores "$(body "${CONFIRM_NONCE:-}")"
echo "requested $mode restore of stanza $stanza to $target: request $id"
rc=0; follow || rc=$?
if [ "$rc" = 4 ]; then
    data_dir=$(printf '%s' "$challenge" | sed -n 's/.*"dataDirectory":"\([^"]*\)".*/\1/p')
    echo "the executor asks for confirmation; this restore would overwrite:"
    printf '%s\n' "$challenge" | sed 's/"nonce":"[^"]*",\{0,1\}//'
    if [ -n "$path" ] && [ "$data_dir" != "$path" ]; then
        echo "the executor restores $data_dir, not $path: not confirmed" >&2
        exit 2
    fi
    if ! interactive; then
        echo "to go ahead, run again within its validity with CONFIRM_NONCE=$nonce (and the same target)"
        exit 4
    fi
    read -r -p "Overwrite $data_dir with stanza $stanza's $target? Type yes: " answer
    [ "$answer" = yes ] || { echo "not confirmed; nothing was changed" >&2; exit 2; }
    submit /restores "$(body "$nonce")"
    echo "confirmed: request $id"
    rc=0; follow || rc=$?
fi
exit "$rc"
