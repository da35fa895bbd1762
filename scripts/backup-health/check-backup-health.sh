#!/usr/bin/env bash
# The seed's check-backup-health.sh: a Nagios/Icinga plugin over the health service's GET /.
#   check-backup-health.sh            (HEALTH_URL defaults to http://127.0.0.1:8080)
# Prints one summary line and exits 0 OK (healthy), 1 WARNING (degraded), 2 CRITICAL (unhealthy),
# 3 UNKNOWN (nothing to judge by).
# When the health service cannot be reached, it judges the stanza by pgbackrest itself (info: the
# newest backup's age; check: archiving works) and says so: CRITICAL when either fails, else
# WARNING (the backups are fine, the monitoring is not). pgbackrest runs in the compose stack's
# executor container when that stack runs here, else on this host as postgres with
# PGBACKREST_CONFIG (when unset: make up's .local/pgbackrest/pgbackrest.conf if there is one, else
# pgbackrest's own default).
# The whole check, fallback included, answers within CHECK_TIMEOUT seconds (plus the moment it
# takes to print): a plugin that outlives its timeout is killed by the monitoring system and says
# nothing. Past it, the answer is UNKNOWN with what was still running.
# Environment: HEALTH_URL, CHECK_TIMEOUT (seconds, default 10), STANZA or PGBACKREST_STANZA (main),
# MAX_AGE_HOURS (25: the fallback's limit for the newest backup), COMPOSE_PROJECT (pgbackup).
set -uo pipefail

HEALTH_URL="${HEALTH_URL:-http://127.0.0.1:8080}"
CHECK_TIMEOUT="${CHECK_TIMEOUT:-10}"
STANZA="${STANZA:-${PGBACKREST_STANZA:-main}}"
MAX_AGE_HOURS="${MAX_AGE_HOURS:-25}"
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
[[ "$CHECK_TIMEOUT" =~ ^[1-9][0-9]{0,4}$ ]] || { echo "BACKUP UNKNOWN - CHECK_TIMEOUT '$CHECK_TIMEOUT' is not a number of seconds"; exit 3; }
DEADLINE=$((SECONDS + CHECK_TIMEOUT))

# bounded COMMAND...: the command, stopped when the check's time is up (then exit 124, whatever
# the stopped command itself answered).
bounded() {
    local left=$((DEADLINE - SECONDS)) rc=0
    [ "$left" -gt 0 ] || return 124
    timeout -k 1 "$left" "$@" || rc=$?
    [ "$SECONDS" -lt "$DEADLINE" ] || return 124
    return "$rc"
}

# pgbackrest ARGS...: the stanza's pgbackrest, wherever it runs here.
pgbackrest_here() {
    local c
    c="$(bounded bash -c '. "$0"; compose_service_container executor' "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh")"
    if [ -n "$c" ]; then
        bounded docker exec -u postgres "$c" pgbackrest "$@"
        return
    fi
    command -v pgbackrest >/dev/null 2>&1 || return 127
    local conf=()
    if [ -n "${PGBACKREST_CONFIG:-}" ]; then conf=(--config="$PGBACKREST_CONFIG")
    elif [ -f "$ROOT/.local/pgbackrest/pgbackrest.conf" ]; then conf=(--config="$ROOT/.local/pgbackrest/pgbackrest.conf"); fi
    if [ "$(id -u)" = 0 ]; then
        # The time limit inside runuser, so that its signal reaches pgbackrest itself.
        local left=$((DEADLINE - SECONDS))
        [ "$left" -gt 0 ] || return 124
        bounded runuser -u postgres -- timeout -k 1 "$left" pgbackrest "${conf[@]}" "$@"
    else
        bounded pgbackrest "${conf[@]}" "$@"
    fi
}

out_of_time() { # out_of_time WHY WHAT
    echo "BACKUP UNKNOWN - $1, and $2 gave no answer within CHECK_TIMEOUT (${CHECK_TIMEOUT} s)"
    exit 3
}

fallback() { # fallback WHY
    local info stop status age check_rc=0
    info="$(pgbackrest_here --stanza="$STANZA" --output=json info 2>&1)" || check_rc=$?
    [ "$check_rc" != 124 ] || out_of_time "$1" "pgbackrest info"
    if [ "$check_rc" != 0 ]; then
        echo "BACKUP UNKNOWN - $1, and pgbackrest info could not run here: ${info:0:200}"
        exit 3
    fi
    status="$(printf '%s' "$info" | grep -o '"status":{"code":[0-9]*' | head -1 | grep -o '[0-9]*$')"
    stop="$(printf '%s' "$info" | grep -o '"stop":[0-9]*' | tail -1 | grep -o '[0-9]*$')"
    if [ -z "$stop" ] || [ "${status:-99}" != 0 ]; then
        echo "BACKUP CRITICAL - $1; pgbackrest: stanza $STANZA has no valid backup (status ${status:-unknown})|last_backup_age_hours=U"
        exit 2
    fi
    age="$(awk -v now="$(date +%s)" -v stop="$stop" 'BEGIN { printf "%.1f", (now - stop) / 3600 }')"
    check_rc=0
    pgbackrest_here --stanza="$STANZA" check >/dev/null 2>&1 || check_rc=$?
    [ "$check_rc" != 124 ] || out_of_time "$1" "pgbackrest check"
    if [ "$check_rc" != 0 ]; then
        echo "BACKUP CRITICAL - $1; pgbackrest: archive check of stanza $STANZA failed (exit $check_rc), newest backup ${age} h old|last_backup_age_hours=$age"
        exit 2
    fi
    if awk -v a="$age" -v m="$MAX_AGE_HOURS" 'BEGIN { exit !(a > m) }'; then
        echo "BACKUP CRITICAL - $1; pgbackrest: newest backup of stanza $STANZA is ${age} h old (limit ${MAX_AGE_HOURS} h)|last_backup_age_hours=$age"
        exit 2
    fi
    echo "BACKUP WARNING - $1; pgbackrest: stanza $STANZA newest backup ${age} h old, archive check OK|last_backup_age_hours=$age"
    exit 1
}

if ! json=$(curl -fsS --max-time "$CHECK_TIMEOUT" -H 'Accept: application/json' "$HEALTH_URL/" 2>&1); then
    fallback "health service at $HEALTH_URL cannot be reached: ${json##*curl: }"
fi
status=$(printf '%s' "$json" | sed -n 's/^{"status":"\([a-z]*\)".*/\1/p')
age=$(printf '%s' "$json" | sed -n 's/.*"last_backup_age_hours":\([0-9.]*\|null\).*/\1/p')
# "stanza:CODE" per message, in the service's order (worst stanza first is not promised; all are listed).
reasons=$(printf '%s' "$json" | grep -o '"stanza":\("[^"]*"\|null\),"severity":"[a-z]*","code":"[A-Z_]*"' \
    | sed 's/"stanza":"\{0,1\}\([^",]*\)"\{0,1\},"severity":"[a-z]*","code":"\([A-Z_]*\)"/\1:\2/' \
    | sort -u | tr '\n' ' ')
reasons="${reasons% }"
perf="|last_backup_age_hours=${age:-U}"
[ "$age" = null ] && perf="|last_backup_age_hours=U"

case "$status" in
    healthy) echo "BACKUP OK - all stanzas healthy$perf"; exit 0 ;;
    degraded) echo "BACKUP WARNING - degraded: $reasons$perf"; exit 1 ;;
    unhealthy) echo "BACKUP CRITICAL - unhealthy: $reasons$perf"; exit 2 ;;
    *) echo "BACKUP UNKNOWN - unexpected answer from $HEALTH_URL: ${json:0:200}"; exit 3 ;;
esac
