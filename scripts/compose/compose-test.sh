#!/usr/bin/env bash
# `make compose-test`: the seed's container Quick Start, run for real. Installs and starts a container
# engine when none runs (root), makes debian:bookworm-slim locally when no registry gives it, builds
# every image, brings docker-compose.backups.yml up and drives it as the README's Docker section
# says; then the Testcontainers test (compose-test module) on its own stack; then removes what it
# made (stacks, volumes, images, networks, and the engine if it started one). Fails loudly.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
. scripts/compose/lib.sh
export COMPOSE_PROJECT="$(compose_project)"
LOG="$ROOT/target/compose/logs"
mkdir -p "$LOG"
T0=$SECONDS
PASSED=0 FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "PASS ($((SECONDS - T0))s): $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL ($((SECONDS - T0))s): $*"; }
say() { printf '==> %s\n' "$*"; }

cleanup() {
    say "cleanup: the stack, its volumes and images"
    compose logs --no-color >"$LOG/compose.log" 2>&1 || true
    compose down -v --remove-orphans >/dev/null 2>&1 || true
    docker images -q 'pgbackup/*' 2>/dev/null | sort -u | xargs -r docker rmi -f >/dev/null 2>&1 || true
    docker image prune -f >/dev/null 2>&1 || true
    # COMPOSE_TEST_KEEP_ENGINE=1 (while developing): keep the engine and its base image.
    [ "${COMPOSE_TEST_KEEP_ENGINE:-0}" = 1 ] || bash scripts/compose/engine.sh stop || true
}
trap cleanup EXIT

bash scripts/compose/engine.sh start || exit 1
bash scripts/compose/engine.sh base-image || exit 1
T_IMAGES=$SECONDS
bash scripts/compose/images.sh >"$LOG/images.log" 2>&1 || { tail -30 "$LOG/images.log"; echo "ERROR: make images failed" >&2; exit 1; }
say "images built in $((SECONDS - T_IMAGES))s:"
docker images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^pgbackup/' | sort | sed 's/^/    /'

# Maintenance every minute, so that one runs within the test (the default is hourly).
export BACKUP_SCHEDULE_MAINTENANCE='* * * * *'
say "docker compose -f docker-compose.backups.yml up -d"
T_UP=$SECONDS
compose up -d >"$LOG/up.log" 2>&1 || { cat "$LOG/up.log"; echo "ERROR: compose up failed" >&2; exit 1; }

health_of() { docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$(compose_container "$1")" 2>/dev/null; }
all_healthy() {
    local s
    for s in kafka postgres state-db executor backup-scheduler health notifier; do
        [ "$(health_of "$s")" = healthy ] || return 1
    done
}
deadline=$((SECONDS + 240))
until all_healthy || [ $SECONDS -ge $deadline ]; do sleep 2; done
if all_healthy; then pass "every service is healthy (its HEALTHCHECK on /q/health/ready) $((SECONDS - T_UP))s after up"
else
    for s in kafka postgres state-db executor backup-scheduler health notifier; do echo "    $s: $(health_of "$s")"; done
    fail "not every service became healthy"
fi

# 1. The first backup (as make up takes one) makes health healthy on 127.0.0.1:8080.
health_json() { curl -fsS --max-time 5 http://127.0.0.1:8080/ 2>/dev/null; }
deadline=$((SECONDS + 300))
until health_json | grep -q '^{"status":"healthy"' || [ $SECONDS -ge $deadline ]; do sleep 2; done
if health_json | grep -q '^{"status":"healthy"'; then pass "curl 127.0.0.1:8080 says healthy after the first backup: $(health_json | cut -c1-100)"
else fail "health is not healthy: $(health_json) / first-backup: $(compose logs --no-color first-backup 2>&1 | tail -3)"; fi

# 2. The Nagios check on the host.
out=$(bash scripts/backup-health/check-backup-health.sh); rc=$?
if [ $rc = 0 ]; then pass "check-backup-health.sh exit 0: $out"; else fail "check-backup-health.sh exit $rc: $out"; fi

# 3. run-backup.sh in the backup-scheduler container, full then diff, each followed to its end.
for type in full diff; do
    out=$(compose exec -T backup-scheduler /usr/local/bin/run-backup.sh "$type" 2>&1); rc=$?
    if [ $rc = 0 ] && printf '%s' "$out" | grep -Eq 'completed: "label":"[0-9]{8}-[0-9]{6}F(_[0-9]{8}-[0-9]{6}D)?"'; then
        pass "exec backup-scheduler run-backup.sh $type: $(printf '%s' "$out" | tail -1)"
    else fail "run-backup.sh $type exit $rc: $out"; fi
done

# 4. A request published with kcat on the host listener (127.0.0.1:9094), answered.
command -v kcat >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kcat >/dev/null; }
ID=$(cat /proc/sys/kernel/random/uuid)
printf 'main\t{"type":"BackupRequested","schemaVersion":1,"requestId":"%s","stanza":"main","backupType":"incr","requestedBy":"compose-test","requestedAt":"%s"}\n' \
    "$ID" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" | kcat -b 127.0.0.1:9094 -P -t backup.requests -K '\t' 2>"$LOG/kcat.log"
deadline=$((SECONDS + 180)); found=""
until [ -n "$found" ] || [ $SECONDS -ge $deadline ]; do
    found=$(kcat -b 127.0.0.1:9094 -C -t backup.events -o beginning -e -q 2>/dev/null | grep "\"requestId\":\"$ID\"" | grep '"type":"BackupCompleted"')
    [ -n "$found" ] || sleep 2
done
if [ -n "$found" ]; then pass "a BackupRequested published with kcat on 127.0.0.1:9094 ended in BackupCompleted"
else fail "no BackupCompleted for the kcat request $ID: $(cat "$LOG/kcat.log")"; fi

# 5. A test restore from the host: the checked copy is left, stopped, in /tmp/postgres-restore-test.
out=$(SCHEDULER_URL=http://127.0.0.1:8082 WAIT_SECONDS=300 bash scripts/backup-health/restore-backup.sh 2>&1); rc=$?
listing=$(compose exec -T executor ls -la /tmp/postgres-restore-test /tmp/postgres-restore-test/data 2>&1)
if [ $rc = 0 ] && printf '%s' "$listing" | grep -q PG_VERSION && ! printf '%s' "$listing" | grep -q postmaster.pid; then
    pass "restore-backup.sh restored latest; ls -la /tmp/postgres-restore-test (executor) shows the stopped copy"
else fail "restore-backup.sh exit $rc: $out / $listing"; fi
out=$(SCHEDULER_URL=http://127.0.0.1:8082 bash scripts/backup-health/restore-backup.sh latest /var/lib/postgresql/data false </dev/null 2>&1); rc=$?
if [ $rc = 2 ] && printf '%s' "$out" | grep -q "CONFIRM=main"; then
    pass "the production form without a confirmation is refused and says what is needed"
else fail "production form exit $rc: $out"; fi

# 6. The operation logs in /var/log/backups of the backup-scheduler container.
deadline=$((SECONDS + 150))
until compose exec -T backup-scheduler grep -q MaintenanceCompleted /var/log/backups/maintenance.log 2>/dev/null \
    || [ $SECONDS -ge $deadline ]; do sleep 3; done
logs=$(compose exec -T backup-scheduler sh -c 'ls -la /var/log/backups; tail -n 2 /var/log/backups/*.log' 2>&1)
if printf '%s' "$logs" | grep -q "MaintenanceCompleted outcome=success" && printf '%s' "$logs" | grep -q "BackupCompleted outcome=success" \
    && printf '%s' "$logs" | grep -q "RestoreCompleted outcome=success"; then
    pass "/var/log/backups has backup.log, maintenance.log and restore.log with their outcomes"
else fail "operation logs: $logs"; fi

# 7. Published ports on 127.0.0.1 only.
ports=$(docker ps --filter "label=com.docker.compose.project=$COMPOSE_PROJECT" --format '{{.Ports}}' | tr ',' '\n' | grep -- '->' || true)
if [ -n "$ports" ] && ! printf '%s\n' "$ports" | grep -v '^ *127\.0\.0\.1:' | grep -q .; then
    pass "every published port is on 127.0.0.1: $(printf '%s' "$ports" | tr -s ' \n' ' ')"
else fail "ports published beyond 127.0.0.1: $ports"; fi

# 8. Health gone: the check judges by pgbackrest in the executor container.
compose stop health >/dev/null 2>&1
out=$(bash scripts/backup-health/check-backup-health.sh); rc=$?
if [ $rc = 1 ] && printf '%s' "$out" | grep -q "archive check OK"; then pass "health stopped: check-backup-health.sh fell back to pgbackrest: $out"
else fail "check without health exit $rc: $out"; fi

say "docker compose down -v"
compose down -v --remove-orphans >/dev/null 2>&1 || fail "compose down failed"
STACK_SECONDS=$((SECONDS - T_UP))

# 9. The Testcontainers test drives its own stack from the same images.
say "the Testcontainers test (compose-test module)"
if mvn -B -q -Pcompose -pl compose-test verify >"$LOG/junit.log" 2>&1; then
    pass "ComposeQuickStartIT (Testcontainers): $(grep -ho 'Tests run: [0-9]*, Failures: [0-9]*, Errors: [0-9]*, Skipped: [0-9]*' compose-test/target/failsafe-reports/*.txt 2>/dev/null | head -1)"
else tail -40 "$LOG/junit.log"; fail "the Testcontainers test failed (log: $LOG/junit.log)"; fi
grep -h "Skipped: [1-9]" compose-test/target/failsafe-reports/*.txt 2>/dev/null && fail "the Testcontainers test was skipped"

echo "compose-test: $PASSED passed, $FAILED failed; images $((T_UP - T_IMAGES))s, the Quick Start $STACK_SECONDS s, all $((SECONDS - T0))s"
[ "$FAILED" = 0 ]
