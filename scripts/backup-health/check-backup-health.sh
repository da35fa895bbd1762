#!/usr/bin/env bash
# The seed's check-backup-health.sh: a Nagios/Icinga plugin over the health service's GET /.
#   check-backup-health.sh            (HEALTH_URL defaults to http://127.0.0.1:8080)
# Prints one summary line and exits 0 OK (healthy), 1 WARNING (degraded), 2 CRITICAL (unhealthy),
# 3 UNKNOWN (the service cannot be reached or answers something else).
# Environment: HEALTH_URL, CHECK_TIMEOUT (seconds, default 10).
set -uo pipefail

HEALTH_URL="${HEALTH_URL:-http://127.0.0.1:8080}"
CHECK_TIMEOUT="${CHECK_TIMEOUT:-10}"

if ! json=$(curl -fsS --max-time "$CHECK_TIMEOUT" -H 'Accept: application/json' "$HEALTH_URL/" 2>&1); then
    echo "BACKUP UNKNOWN - health service at $HEALTH_URL cannot be reached: ${json##*curl: }"
    exit 3
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
