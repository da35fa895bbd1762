#!/usr/bin/env bash
# Whole-system test: the real stack of `make up` (own ports and folder), driven the way a user
# drives it: records published by hand to backup.requests with Kafka's console producer, results
# read from backup.events with the console consumer, and the health endpoint read with curl.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export STACK_DIR="${E2E_STACK_DIR:-$(mktemp -d /tmp/pgbackup-e2e.XXXXXX)}"
export LOG_DIR="$STACK_DIR/logs"
export KAFKA_PORT=${E2E_KAFKA_PORT:-19092} KAFKA_CONTROLLER_PORT=${E2E_KAFKA_CONTROLLER_PORT:-19093}
export DEMO_PG_PORT=${E2E_DEMO_PG_PORT:-15442} STATE_PG_PORT=${E2E_STATE_PG_PORT:-15433}
export HEALTH_HTTP_PORT=${E2E_HEALTH_PORT:-18080} EXECUTOR_HTTP_PORT=${E2E_EXECUTOR_PORT:-18081}
export SCHEDULER_HTTP_PORT=${E2E_SCHEDULER_PORT:-18082} NOTIFIER_HTTP_PORT=${E2E_NOTIFIER_PORT:-18083}
export AZURITE_PORT=${E2E_AZURITE_PORT:-18100}
export RESTORE_TEST_DIR="$STACK_DIR/postgres-restore-test"
# The drills count the marker table of check 2 (-1 before it exists): check 13 restores it from repo2.
export EXECUTOR_RESTORE_COUNT_TABLES=public.e2e_marker
# A claim timeout longer than the state database outage of check 9 (a request older than it is the
# coordinator's to answer NO_EXECUTOR, and the executor leaves it), short enough for check 5.
export SCHEDULER_COORDINATOR_CLAIM_TIMEOUT=45s SCHEDULER_COORDINATOR_CLAIM_GRACE=15s EXECUTOR_CLAIM_TIMEOUT=45s
export EXECUTOR_ID=e2e-executor EXECUTOR_STATUS_INTERVAL=3s EXECUTOR_STATUS_REPO_INTERVAL=10s
# The executor reports every 3 s; the health service calls it silent after 15 s without one.
export EXECUTOR_HEARTBEAT_TIMEOUT=15s

PASSED=0
FAILED=0
HEALTH="http://127.0.0.1:$HEALTH_HTTP_PORT"

cleanup() {
    kill "${S1:-}" "${S2:-}" 2>/dev/null || true
    bash "$ROOT/scripts/stack.sh" down >/dev/null 2>&1 || true
    if [ "$FAILED" -gt 0 ] || [ "${KEEP_E2E:-0}" = 1 ]; then
        echo "e2e: stack folder kept for inspection: $STACK_DIR (logs in $LOG_DIR)"
        for f in "$LOG_DIR"/*-service.log; do echo "--- tail $f"; tail -n 40 "$f"; done
    else
        rm -rf "$STACK_DIR"
    fi
}
trap cleanup EXIT

pass() { PASSED=$((PASSED + 1)); echo "PASS (${SECONDS}s): $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL (${SECONDS}s): $*"; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

# Planted secrets, given to make up only (not exported: no other process of this test has them);
# check 12 looks for each in every log, topic, HTTP body, argument list and process environment.
SECRET_SU="e2e-su-$(cat /proc/sys/kernel/random/uuid)"
SECRET_ROLE="e2e-role-$(cat /proc/sys/kernel/random/uuid)"
SECRET_HOOK="http://127.0.0.1:9/e2e-hook-$(cat /proc/sys/kernel/random/uuid)"
SECRET_SMTP="e2e-smtp-$(cat /proc/sys/kernel/random/uuid)"

echo "e2e: starting the stack in $STACK_DIR"
if ! POSTGRES_PASSWORD="$SECRET_SU" BACKUP_ROLE_PASSWORD="$SECRET_ROLE" SLACK_WEBHOOK_URL="$SECRET_HOOK" \
    QUARKUS_MAILER_PASSWORD="$SECRET_SMTP" bash "$ROOT/scripts/stack.sh" up; then
    fail "make up (stack.sh up) did not complete"
    echo "e2e: $PASSED passed, $FAILED failed"
    exit 1
fi

KAFKA_CP="$(cat "$STACK_DIR/kafka.classpath")"
BROKER="127.0.0.1:$KAFKA_PORT"

publish() { # publish KEY JSON  -- by hand, as the README shows: kcat -P -k KEY
    printf '%s\n' "$2" | kcat -F "$STACK_DIR/kcat.conf" -P -t backup.requests -k "$1" 2>>"$LOG_DIR/e2e-producer.log"
}

events() { # all of backup.events so far
    kcat -F "$STACK_DIR/kcat.conf" -C -t backup.events -o beginning -e -q 2>/dev/null
}

await_event() { # await_event REQUEST_ID TYPE SECONDS -> prints the event
    local deadline=$((SECONDS + $3)) found
    while [ $SECONDS -lt $deadline ]; do
        found="$(events | grep "\"requestId\":\"$1\"" | grep "\"type\":\"$2\"" | head -1)"
        if [ -n "$found" ]; then printf '%s\n' "$found"; return 0; fi
        sleep 1
    done
    return 1
}

# Stanza main's status: the extra schedulers of check 8 add a stanza nobody backs up to the fleet.
health_status() { curl -fsS "$HEALTH/stanzas/main" | sed -n 's/^{"stanza":"main","status":"\([a-z]*\)".*/\1/p'; }

await_health() { # await_health STATUS SECONDS
    local deadline=$((SECONDS + $2))
    while [ $SECONDS -lt $deadline ]; do
        [ "$(health_status)" = "$1" ] && return 0
        sleep 1
    done
    return 1
}

request() { # request ID STANZA TYPE
    printf '{"type":"BackupRequested","requestId":"%s","stanza":"%s","backupType":"%s","requestedBy":"e2e"}' "$1" "$2" "$3"
}

uuid() { cat /proc/sys/kernel/random/uuid; }

# 1. make up ended with a real full backup and a healthy health JSON.
if [ "$(health_status)" = healthy ]; then pass "after make up the health JSON says healthy"; else
    fail "after make up the health JSON is not healthy: $(curl -fsS "$HEALTH/")"; fi

# 1b. Writes need the operator's token: anonymous and wrong-token requests get 401.
ANON=$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -d '{"stanza":"main","backupType":"full"}' "http://127.0.0.1:$SCHEDULER_HTTP_PORT/backups")
WRONG=$(curl -sS -o /dev/null -w '%{http_code}' -H @<(printf 'Authorization: Bearer %s\n' "not-$(uuid)") \
    -H 'Content-Type: application/json' -d '{"stanza":"main","backupType":"full"}' \
    "http://127.0.0.1:$SCHEDULER_HTTP_PORT/backups")
if [ "$ANON" = 401 ] && [ "$WRONG" = 401 ] && [ "$(stat -c %a "$STACK_DIR/api-token")" = 600 ]; then
    pass "REST writes without the operator's token get 401; .local/api-token is 0600"
else fail "anonymous write: $ANON, wrong token: $WRONG, token file mode $(stat -c %a "$STACK_DIR/api-token")"; fi

# 1b. The executor reports archiving from the demo primary; the Nagios check agrees with the JSON.
CHECK="$ROOT/scripts/backup-health/check-backup-health.sh"
psql_demo() { as_pg psql -h "$STACK_DIR/pg-demo/sock" -p "$DEMO_PG_PORT" -U postgres -d postgres -XtAq "$@"; }
deadline=$((SECONDS + 60))
until curl -fsS "$HEALTH/stanzas/main" | grep -q '"walReady":0' || [ $SECONDS -ge $deadline ]; do sleep 1; done
out=$(HEALTH_URL="$HEALTH" "$CHECK"); rc=$?
if curl -fsS "$HEALTH/stanzas/main" | grep -q '"executor":{"id":"e2e-executor"' && [ $rc = 0 ] \
    && [ "${out%%|*}" = "BACKUP OK - all stanzas healthy" ]; then
    pass "health shows the executor's archiving report and check-backup-health.sh says OK"
else fail "no archiving report or check not OK ($rc: $out): $(curl -fsS "$HEALTH/stanzas/main")"; fi

# 1c. Break archive_command on the real primary and write WAL: unhealthy with ARCHIVE_FAILING and
# CRITICAL from the check; mend it: healthy again.
working=$(psql_demo -c "SHOW archive_command")
psql_demo -c "ALTER SYSTEM SET archive_command = '/bin/false'" -c "SELECT pg_reload_conf()" >/dev/null
psql_demo -c "CREATE TABLE IF NOT EXISTS e2e_noise AS SELECT 1 AS x" -c "SELECT pg_switch_wal()" >/dev/null
await_code() { # await_code CODE SECONDS: GET / names the reason code
    local deadline=$((SECONDS + $2))
    until curl -fsS "$HEALTH/stanzas/main" | grep -q "\"code\":\"$1\""; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 1
    done
}
if await_code ARCHIVE_FAILING 60 && [ "$(health_status)" = unhealthy ]; then
    out=$(HEALTH_URL="$HEALTH" "$CHECK"); rc=$?
    if [ $rc = 2 ] && printf '%s' "$out" | grep -q "main:ARCHIVE_FAILING"; then
        pass "a broken archive_command makes the stanza unhealthy (ARCHIVE_FAILING) and the check CRITICAL"
    else fail "check-backup-health.sh said $rc: $out"; fi
else fail "a broken archive_command was not reported: $(curl -fsS "$HEALTH/")"; fi
psql_demo -c "ALTER SYSTEM SET archive_command = '$working'" -c "SELECT pg_reload_conf()" >/dev/null
psql_demo -c "INSERT INTO e2e_noise VALUES (2)" -c "SELECT pg_switch_wal()" >/dev/null
if await_health healthy 90; then pass "mending archive_command makes the stanza healthy again"
else fail "still not healthy after mending archive_command: $(curl -fsS "$HEALTH/")"; fi

# 8 (start). Two more replicas of the scheduler (same database, same coordinator group), one
#    killed and restarted: every planned minute of the extra stanza ghost's every-minute schedule
#    must be requested exactly once. They run while the checks below do; their minutes are counted
#    at the end. A short Kafka session lets the killed replica's partitions move on in seconds.
start_scheduler() { # start_scheduler PORT: from the scheduler's folder (its login in config/), over TLS
    (cd "$STACK_DIR/run/scheduler" && exec env BACKUP_STANZAS=main,ghost BACKUP_SCHEDULE_STANZA__GHOST__INCR='* * * * *' \
    BACKUP_SCHEDULE_STANZA__GHOST__FULL=none BACKUP_SCHEDULE_STANZA__GHOST__DIFF=none \
    BACKUP_SCHEDULE_STANZA__GHOST__DRILL=none BACKUP_SCHEDULE_TICK_EVERY=1s SCHEDULER_HTTP_PORT="$1" \
    KAFKA_BOOTSTRAP_SERVERS="$BROKER" \
    SCHEDULER_DB_URL="jdbc:postgresql://127.0.0.1:$STATE_PG_PORT/scheduler?sslmode=verify-full&sslrootcert=$STACK_DIR/tls/ca.pem" \
    OPERATION_LOG_DIR="$LOG_DIR" \
        nohup java -Xmx256m -Dmp.messaging.connector.smallrye-kafka.session.timeout.ms=6000 \
        -Dmp.messaging.connector.smallrye-kafka.heartbeat.interval.ms=1000 \
        -jar "${APPS_DIR:-$ROOT/scheduler-service/target}${APPS_DIR:+/scheduler-service}/quarkus-app/quarkus-run.jar" >>"$LOG_DIR/e2e-scheduler-$1.log" 2>&1) &
    echo $!
}
ready_on() { curl -fsS "http://127.0.0.1:$1/q/health/ready" >/dev/null 2>&1; }
ghost_minutes() { # planned minutes of ghost requests, one line per published record
    kcat -F "$STACK_DIR/kcat.conf" -C -t backup.requests -o beginning -e -q 2>/dev/null | grep '"stanza":"ghost"' \
        | grep -o '"plannedAt":"[^"]*"'
}
S1=$(start_scheduler 18092); S2=$(start_scheduler 18093)
deadline=$((SECONDS + 90)); until ready_on 18092 && ready_on 18093; do [ $SECONDS -lt $deadline ] || break; sleep 1; done
kill -9 "$S1"
S1=$(start_scheduler 18092)

# 5 (start). A stanza that no executor serves: answered NO_EXECUTOR after the claim timeout,
#    checked after the checks below have run meanwhile.
NOBODY_ID=$(uuid)
publish other "$(request "$NOBODY_ID" other full)"

# 1c. Kafka takes SASL_SSL logins only, and each principal writes only what it publishes: anonymous
#     and wrong-password clients are refused; health may not write backup.requests, executors may
#     not write restore.requests; the operator's SCRAM login writes a request that gets answered.
kafka_as() { # kafka_as PRINCIPAL TOPIC JSON: one record with that principal's SCRAM-SHA-512 login
    local props="$STACK_DIR/e2e-kafka-$1.properties"
    (umask 077 && bash "$ROOT/scripts/stack.sh" kafka-client "$1" >"$props")
    printf 'main|%s\n' "$3" | timeout 90 java -cp "$KAFKA_CP" org.apache.kafka.tools.ConsoleProducer \
        --bootstrap-server "$BROKER" --command-config "$props" --topic "$2" --property parse.key=true \
        --property key.separator='|' --request-required-acks all 2>&1
    rm -f "$props"
}
ANON=$(timeout 30 kcat -b "$BROKER" -L -m 5 2>&1)
WRONG=$(timeout 30 kcat -F "$STACK_DIR/kcat.conf" -X sasl.password=wrong -L -m 5 2>&1)
AS_HEALTH=$(kafka_as health backup.requests "$(request "$(uuid)" main full)")
AS_EXECUTOR=$(kafka_as executor restore.requests '{"type":"RestoreRequested"}')
PROBE=$(uuid)
AS_OPERATOR=$(kafka_as operator backup.requests "$(request "$PROBE" 'bad stanza!' full)")
if printf '%s' "$ANON" | grep -qi 'fail\|error' && ! printf '%s' "$ANON" | grep -q 'backup.requests' \
    && printf '%s' "$WRONG" | grep -qi 'authentication' \
    && printf '%s' "$AS_HEALTH" | grep -q 'TopicAuthorizationException' \
    && printf '%s' "$AS_EXECUTOR" | grep -q 'TopicAuthorizationException' \
    && await_event "$PROBE" BackupFailed 60 >/dev/null; then
    pass "Kafka: anonymous and wrong-password clients refused; health cannot write backup.requests, executors cannot write restore.requests; the operator's SCRAM login can"
else fail "Kafka auth: anonymous: $(printf '%s' "$ANON" | tail -2 | tr '\n' ' '); wrong password: $(printf '%s' "$WRONG" | tail -1); health: $(printf '%s' "$AS_HEALTH" | grep -m1 -i 'exception\|error'); executor: $(printf '%s' "$AS_EXECUTOR" | grep -m1 -i 'exception\|error'); operator: $(printf '%s' "$AS_OPERATOR" | tail -1)"; fi

# 2. A request published by hand ends in BackupCompleted on backup.events.
MARKER="plaintext-marker-$(uuid)"
psql_demo -c "CREATE TABLE e2e_marker AS SELECT '$MARKER'::text AS m" >/dev/null
ID=$(uuid)
publish main "$(request "$ID" main incr)"
if EVENT="$(await_event "$ID" BackupCompleted 120)"; then
    if printf '%s' "$EVENT" | grep -q '"executorId":"e2e-executor"' \
        && printf '%s' "$EVENT" | grep -Eq '"label":"[0-9]{8}-[0-9]{6}F_[0-9]{8}-[0-9]{6}I"'; then
        pass "a hand-published incr request ended in BackupCompleted with an incr label"
    else fail "BackupCompleted lacks the executor id or an incr label: $EVENT"; fi
else fail "no BackupCompleted for hand-published request $ID"; fi

# 2b. The repository make up made is encrypted: info says aes-256-cbc, its files are OpenSSL-salted
#     ciphertext, a marker row backed up above is in none of them, and the passphrase is in no log.
REPO="$STACK_DIR/pgbackrest/repo"
SAMPLE=$(find "$REPO/backup/main" -type f -name '*.zst' | head -1)
PASS_FILE="$STACK_DIR/pgbackrest/cipher-pass"
if as_pg pgbackrest --config="$STACK_DIR/pgbackrest/pgbackrest.conf" --stanza=main info --output=json \
        | grep -q '"cipher":"aes-256-cbc"' && [ -n "$SAMPLE" ] && [ "$(head -c 8 "$SAMPLE")" = Salted__ ] \
    && ! grep -rqa "$MARKER" "$REPO" && [ "$(stat -c %a "$PASS_FILE")" = 600 ] \
    && [ "$(stat -c %a "$STACK_DIR/pgbackrest/pgbackrest.conf")" = 600 ] \
    && ! grep -rqaF "$(cat "$PASS_FILE")" "$LOG_DIR" "$STACK_DIR/pgbackrest/log"; then
    pass "the repository is encrypted (aes-256-cbc, salted files, no plaintext marker, passphrase in no log)"
else fail "the repository is not encrypted as it should be (sample $SAMPLE: $(head -c 8 "$SAMPLE" | od -c | head -1))"; fi

# 2c. Least privilege: no trust anywhere; TCP logins only over TLS, verified against the stack's
#     CA; pgbackrest (backup, check, expire, verify: all run above or here) works as the pgbackrest
#     role, which is no superuser and cannot create a role or read a user table.
CA="$STACK_DIR/tls/ca.pem"
role_sql() { # role_sql SQL: as pgbackrest over TCP with TLS (verify-full) and its password from its file
    PGPASSFILE=/dev/null PGPASSWORD="$(cat "$STACK_DIR/secrets/pgbackrest-password")" psql -XtAq \
        "host=127.0.0.1 port=$DEMO_PG_PORT dbname=postgres user=pgbackrest sslmode=verify-full sslrootcert=$CA" -c "$1" 2>&1
}
PGBR=(as_pg pgbackrest --config="$STACK_DIR/pgbackrest/pgbackrest.conf" --stanza=main)
TRUST=$(cat "$STACK_DIR"/pg-*/data/pg_hba.conf | grep -v '^#' | grep -cw trust)
PLAIN=$(PGPASSWORD="$SECRET_SU" psql -XtAq "host=127.0.0.1 port=$DEMO_PG_PORT dbname=postgres user=postgres sslmode=disable" \
    -c 'SELECT 1' 2>&1)
STATE_PLAIN=$(PGPASSWORD=x psql -XtAq "host=127.0.0.1 port=$STATE_PG_PORT dbname=executor user=executor sslmode=disable" \
    -c 'SELECT 1' 2>&1)
if [ "$TRUST" = 0 ] && printf '%s' "$PLAIN" | grep -q 'no encryption' && printf '%s' "$STATE_PLAIN" | grep -q 'no encryption' \
    && [ "$(role_sql "SELECT rolsuper::text || rolcreaterole::text || rolreplication::text FROM pg_roles WHERE rolname = current_user")" = falsefalsefalse ] \
    && [ "$(role_sql "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")" = t ] \
    && grep -q '^pg1-user=pgbackrest' "$STACK_DIR/pgbackrest/pgbackrest.conf"; then
    pass "no trust; plaintext TCP logins refused; the pgbackrest role logs in over verified TLS and is no superuser"
else fail "auth: trust lines $TRUST; plaintext: $PLAIN / $STATE_PLAIN; role: $(role_sql 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user')"; fi
OPS=""
"${PGBR[@]}" --type=diff backup >"$LOG_DIR/e2e-role-backup.log" 2>&1 || OPS="$OPS backup"
"${PGBR[@]}" check >"$LOG_DIR/e2e-role-check.log" 2>&1 || OPS="$OPS check"
"${PGBR[@]}" expire >"$LOG_DIR/e2e-role-expire.log" 2>&1 || OPS="$OPS expire"
"${PGBR[@]}" verify >"$LOG_DIR/e2e-role-verify.log" 2>&1 || OPS="$OPS verify"
# A named restore point, made by the executor over its own connection (the pgbackrest role, TLS).
POINT=$(uuid)
printf '%s\n' "{\"type\":\"RestoreRequested\",\"requestId\":\"$POINT\",\"stanza\":\"main\",\"mode\":\"point\",\"target\":{\"kind\":\"name\",\"value\":\"e2e-point\"},\"requestedBy\":\"e2e\"}" \
    | kcat -F "$STACK_DIR/kcat.conf" -P -t restore.requests -k main 2>>"$LOG_DIR/e2e-producer.log"
await_event "$POINT" RestorePointCreated 60 >/dev/null || OPS="$OPS restore-point"
DENY_ROLE=$(role_sql "CREATE ROLE e2e_intruder")
DENY_TABLE=$(role_sql "SELECT count(*) FROM e2e_marker")
DENY_SET=$(role_sql "ALTER SYSTEM SET archive_command = 'true'")
if [ -z "$OPS" ] && printf '%s' "$DENY_ROLE" | grep -q 'permission denied to create role' \
    && printf '%s' "$DENY_TABLE" | grep -q 'permission denied for table' \
    && printf '%s' "$DENY_SET" | grep -q 'permission denied'; then
    pass "as the pgbackrest role: diff backup, check, expire, verify and a restore point work; create role, read a user table and alter system are denied"
else fail "least privilege: failed ops [$OPS]; create role: $DENY_ROLE; read: $DENY_TABLE; alter system: $DENY_SET"; fi

# 2d. The offsite repository (repo2, Azurite): the full backup of make up was copied there (the
#     executor's offsite task), its files are ciphertext too: the marker's WAL reached it, its text did not.
deadline=$((SECONDS + 180))
until events | grep '"type":"MaintenanceCompleted"' | grep -q '"task":"offsite"' || [ $SECONDS -ge $deadline ]; do sleep 2; done
OFFSITE_INFO=$(as_pg pgbackrest --config="$STACK_DIR/pgbackrest/pgbackrest.conf" --stanza=main --repo=2 info --output=json)
if events | grep '"type":"MaintenanceCompleted"' | grep -q '"task":"offsite"' \
    && printf '%s' "$OFFSITE_INFO" | grep -q '"type":"full"' && printf '%s' "$OFFSITE_INFO" | grep -q '"cipher":"aes-256-cbc"' \
    && [ -n "$(find "$STACK_DIR/azurite" -type f | head -1)" ] && ! grep -rqa "$MARKER" "$STACK_DIR/azurite" \
    && [ "$(stat -c %a "$STACK_DIR/pgbackrest/cipher-pass-repo2")" = 600 ]; then
    pass "a full backup was copied to the offsite repository (Azurite, repo2), encrypted: no plaintext marker in its storage"
else fail "offsite copy: $(events | grep '"task":"offsite"' | tail -1) info: $(printf '%s' "$OFFSITE_INFO" | head -c 300)"; fi

# 3. An invalid request is answered once by the coordinator, and never reaches pgbackrest.
ID=$(uuid)
publish main "$(request "$ID" '$(id)' full)"
if EVENT="$(await_event "$ID" BackupFailed 60)" && printf '%s' "$EVENT" | grep -q '"errorCode":"INVALID_STANZA"'; then
    pass "an invalid stanza got BackupFailed INVALID_STANZA"
else fail "no BackupFailed INVALID_STANZA for $ID"; fi
if grep -rq 'stanza=$(id)' "$STACK_DIR/pgbackrest/log" 2>/dev/null; then fail "the invalid stanza reached pgbackrest"; fi

# 4. Unparseable records go to the dead-letter topic with a reason.
publish main 'this is not json'
deadline=$((SECONDS + 30)); DLQ=""
until printf '%s' "$DLQ" | grep -q 'dead-letter-reason=not valid JSON' || [ $SECONDS -ge $deadline ]; do
    DLQ="$(kcat -F "$STACK_DIR/kcat.conf" -C -t backup.requests.dlq -o beginning -e -q -f '%h %s\n' 2>&1)"; sleep 1
done
if printf '%s' "$DLQ" | grep -q 'dead-letter-reason=not valid JSON'; then
    pass "a non-JSON record went to backup.requests.dlq with its reason"
else fail "no dead-letter record with a reason: $DLQ"; fi


# 6. PostgreSQL down: BackupFailed with pgbackrest's code, health unhealthy naming the stanza; then recovery.
as_pg "$PG_BIN/pg_ctl" -D "$STACK_DIR/pg-demo/data" -m fast -w stop >/dev/null
ID=$(uuid)
publish main "$(request "$ID" main full)"
if EVENT="$(await_event "$ID" BackupFailed 120)" && printf '%s' "$EVENT" | grep -q '"errorCode":"56"'; then
    pass "a backup while PostgreSQL is down failed with pgbackrest's code 56"
else fail "no BackupFailed 56 while PostgreSQL was down for $ID"; fi
if await_health unhealthy 30 && curl -fsS "$HEALTH/" | grep -q '"code":"LAST_BACKUP_FAILED"' \
    && curl -fsS "$HEALTH/" | grep -q '"stanza":"main"'; then
    pass "health turned unhealthy with a message naming stanza main"
else fail "health did not turn unhealthy naming main: $(curl -fsS "$HEALTH/")"; fi
as_pg "$PG_BIN/pg_ctl" -D "$STACK_DIR/pg-demo/data" -l "$LOG_DIR/postgres-demo.log" -w start >/dev/null
ID=$(uuid)
publish main "$(request "$ID" main diff)"
if await_event "$ID" BackupCompleted 120 >/dev/null && await_health healthy 30; then
    pass "after PostgreSQL came back a diff completed and health is healthy again"
else fail "no recovery after PostgreSQL came back: $(curl -fsS "$HEALTH/")"; fi

# 7. The seed's scripts: a backup and a test restore (a drill by hand), followed to their end.
if OUT=$(SCHEDULER_URL="http://127.0.0.1:$SCHEDULER_HTTP_PORT" HEALTH_URL="$HEALTH" WAIT_SECONDS=180 \
    bash "$ROOT/scripts/backup-health/run-backup.sh" incr main) && printf '%s' "$OUT" | grep -q "completed"; then
    pass "run-backup.sh incr ran a backup to completion"
else fail "run-backup.sh did not complete: $OUT"; fi
RUN_ID=$(printf '%s' "$OUT" | sed -n 's/.*request \([0-9a-f-]*\).*/\1/p' | head -1)
if OUT=$(SCHEDULER_URL="http://127.0.0.1:$SCHEDULER_HTTP_PORT" WAIT_SECONDS=180 \
    bash "$ROOT/scripts/backup-health/restore-backup.sh") && printf '%s' "$OUT" | grep -q "completed" \
    && [ -f "$RESTORE_TEST_DIR/data/PG_VERSION" ] && [ ! -f "$RESTORE_TEST_DIR/data/postmaster.pid" ]; then
    pass "restore-backup.sh (no arguments) restored latest, checked it and left it stopped in RESTORE_TEST_DIR"
else fail "restore-backup.sh did not leave a checked copy in $RESTORE_TEST_DIR: $OUT"; fi
if [ -n "$(ls -A "$STACK_DIR/restore" 2>/dev/null)" ]; then fail "the test restore left a scratch copy behind"; fi
# The seed's operation logs, one line per event with its outcome, beside the services' logs. Each
# scheduler replica writes the events its consumers get: the two extra ones above write here too.
if [ -n "$RUN_ID" ] && grep -q "BackupCompleted outcome=success stanza=main detail=incr request=$RUN_ID" "$LOG_DIR/backup.log" \
    && grep -q "RestoreCompleted outcome=success stanza=main" "$LOG_DIR/restore.log"; then
    pass "backup.log and restore.log have a line for run-backup.sh's backup and the test restore"
else fail "operation logs without the backup ($RUN_ID) or the restore: $(tail -n 3 "$LOG_DIR/backup.log" "$LOG_DIR/restore.log" 2>&1 | tr '\n' ';')"; fi
RC=0; SCHEDULER_URL="http://127.0.0.1:$SCHEDULER_HTTP_PORT" bash "$ROOT/scripts/backup-health/restore-backup.sh" \
    latest "" test=false >/dev/null 2>&1 || RC=$?
if [ "$RC" = 2 ]; then pass "a production restore without confirmation is refused"; else
    fail "a production restore without confirmation was not refused (exit $RC)"; fi

# 5 (end).
if EVENT="$(await_event "$NOBODY_ID" BackupFailed 60)" && printf '%s' "$EVENT" | grep -q '"errorCode":"NO_EXECUTOR"' \
    && printf '%s' "$EVENT" | grep -q '"answeredBy":"coordinator"'; then
    pass "a stanza no executor serves got BackupFailed NO_EXECUTOR from the coordinator"
else fail "no NO_EXECUTOR answer for $NOBODY_ID"; fi

# 9. The state database (all four services keep their state in it) stopped for 30 s while records
#    arrive: nothing is lost, no channel dies, processing resumes by itself.
STATE_DATA="$STACK_DIR/pg-state/data"
as_pg "$PG_BIN/pg_ctl" -D "$STATE_DATA" -m fast -w stop >/dev/null
OUTAGE_ID=$(uuid); OUTAGE_BAD=$(uuid)
publish main "$(request "$OUTAGE_ID" main incr)"
publish main "$(request "$OUTAGE_BAD" '$(id)' full)"
sleep 30 # the outage itself, not a wait for something
as_pg "$PG_BIN/pg_ctl" -D "$STATE_DATA" -l "$LOG_DIR/postgres-state.log" -w start >/dev/null
if await_event "$OUTAGE_ID" BackupCompleted 180 >/dev/null \
    && [ "$(events | grep "\"requestId\":\"$OUTAGE_ID\"" | grep '"type":"BackupCompleted"' \
        | grep -o '"eventId":"[^"]*"' | sort -u | wc -l)" = 1 ]; then
    pass "a backup requested while the state database was down completed once, after it came back"
else fail "no single BackupCompleted for $OUTAGE_ID after the state database came back"; fi
if await_event "$OUTAGE_BAD" BackupFailed 60 | grep -q INVALID_STANZA; then
    pass "an invalid request sent during the outage was answered after it"
else fail "no answer to $OUTAGE_BAD after the state database came back"; fi
alive=1
for port in "$HEALTH_HTTP_PORT" "$EXECUTOR_HTTP_PORT" "$SCHEDULER_HTTP_PORT" "$NOTIFIER_HTTP_PORT"; do
    deadline=$((SECONDS + 60))
    until curl -fsS "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 || [ $SECONDS -ge $deadline ]; do sleep 1; done
    curl -fsS "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 || { alive=0; fail "service on $port not ready after the outage: $(curl -sS "http://127.0.0.1:$port/q/health/ready")"; }
done
deadline=$((SECONDS + 60))
recorded() { # field order inside lastAttempt is not part of the contract
    local attempt
    attempt=$(curl -fsS "$HEALTH/stanzas/main" | grep -o '"lastAttempt":{[^}]*}')
    grep -q "\"requestId\":\"$OUTAGE_ID\"" <<<"$attempt" && grep -q '"outcome":"BackupCompleted"' <<<"$attempt"
}
until recorded || [ $SECONDS -ge $deadline ]; do sleep 1; done
if [ $alive = 1 ] && recorded; then
    pass "every service is ready after the outage and health recorded the backup made during it"
else fail "health did not record $OUTAGE_ID: $(curl -fsS "$HEALTH/stanzas/main")"; fi

# 10. A schedule changed on the scheduler alone changes what health expects (backup.schedules).
bash "$ROOT/scripts/stack.sh" stop scheduler >/dev/null
BACKUP_SCHEDULE_FULL='17 3 * * 2' bash "$ROOT/scripts/stack.sh" up >"$LOG_DIR/e2e-restart-scheduler.log" 2>&1 || true
deadline=$((SECONDS + 60))
until curl -fsS "$HEALTH/stanzas/main" | grep -q '"cron":"17 3 \* \* 2"' || [ $SECONDS -ge $deadline ]; do sleep 1; done
if curl -fsS "$HEALTH/stanzas/main" | grep -q '"cron":"17 3 \* \* 2"'; then
    pass "a full schedule changed on the scheduler alone is what health expects"
else fail "health does not show the scheduler's new full schedule: $(curl -fsS "$HEALTH/stanzas/main")"; fi

# 8 (end). The two extra schedulers started above: every planned minute requested exactly once.
deadline=$((SECONDS + 150))
until [ "$(ghost_minutes | sort -u | wc -l)" -ge 2 ] || [ $SECONDS -ge $deadline ]; do sleep 5; done
kill "$S1" "$S2" 2>/dev/null || true
MINUTES=$(ghost_minutes | sort | uniq -c)
if [ "$(printf '%s\n' "$MINUTES" | grep -c plannedAt)" -ge 2 ] && ! printf '%s\n' "$MINUTES" | awk '$1 != 1 {bad=1} END {exit !bad}'; then
    pass "two schedulers on one database (one killed and restarted) requested each planned minute exactly once"
else fail "scheduled minutes not requested exactly once: $MINUTES"; fi

# Stop the executor: its heartbeat stops and the stanza turns unhealthy with EXECUTOR_SILENT and
# the check says CRITICAL; start it again (make up starts what is missing): healthy again.
bash "$ROOT/scripts/stack.sh" stop executor >/dev/null
if await_code EXECUTOR_SILENT 90 && [ "$(health_status)" = unhealthy ]; then
    out=$(HEALTH_URL="$HEALTH" "$CHECK"); rc=$?
    if [ $rc = 2 ] && printf '%s' "$out" | grep -q "main:EXECUTOR_SILENT"; then
        pass "a stopped executor is named (EXECUTOR_SILENT) and the check is CRITICAL"
    else fail "check-backup-health.sh said $rc: $out"; fi
else fail "a stopped executor was not noticed: $(curl -fsS "$HEALTH/")"; fi
bash "$ROOT/scripts/stack.sh" up >"$LOG_DIR/e2e-restart-executor.log" 2>&1 || true
if await_health healthy 120; then pass "the restarted executor's reports make the stanza healthy again"
else fail "not healthy after the executor came back: $(curl -fsS "$HEALTH/")"; fi

# 13. Losing repo1 entirely: a test restore named to repo2 alone restores, starts and has the marker
#     row; then repo1 comes back (archiving to it resumes).
mv "$STACK_DIR/pgbackrest/repo" "$STACK_DIR/pgbackrest/repo.lost"
R2=$(uuid)
printf '%s\n' "{\"type\":\"RestoreRequested\",\"requestId\":\"$R2\",\"stanza\":\"main\",\"mode\":\"test\",\"target\":{\"kind\":\"latest\"},\"repo\":2,\"requestedBy\":\"e2e\"}" \
    | kcat -F "$STACK_DIR/kcat.conf" -P -t restore.requests -k main 2>>"$LOG_DIR/e2e-producer.log"
if EVENT="$(await_event "$R2" RestoreCompleted 240)" && printf '%s' "$EVENT" | grep -q '"public.e2e_marker":1'; then
    pass "with repo1 gone, a test restore from repo2 alone completed and has the marker row"
else fail "restore from repo2 alone: $(events | grep "\"requestId\":\"$R2\"" | tail -1)"; fi
mv "$STACK_DIR/pgbackrest/repo.lost" "$STACK_DIR/pgbackrest/repo"

# 12. The planted secrets (superuser and pgbackrest passwords, webhook URL, SMTP password) and the
#     repository passphrase and API token: in no log, no topic, no HTTP body, no argument list and no
#     environment of any process on this machine. Patterns come from a file, never an argument.
PATTERNS="$STACK_DIR/e2e-secret-patterns"
(umask 077 && printf '%s\n' "$SECRET_SU" "$SECRET_ROLE" "${SECRET_HOOK#http://127.0.0.1:9/}" "$SECRET_SMTP" \
    "$(cat "$STACK_DIR/pgbackrest/cipher-pass")" "$(cat "$STACK_DIR/api-token")" \
    "$(cat "$STACK_DIR/pgbackrest/cipher-pass-repo2")" "$(cat "$STACK_DIR/secrets/azure-account-key")" \
    "$(cat "$STACK_DIR/secrets/kafka-executor-password")" "$(cat "$STACK_DIR/secrets/kafka-operator-password")" >"$PATTERNS")
LEAKS=""
grep -rlaF -f "$PATTERNS" "$LOG_DIR" "$STACK_DIR/pgbackrest/log" "$STACK_DIR"/pg-*/sock 2>/dev/null | grep -v e2e-secret-patterns \
    | while read -r f; do echo "log:$f"; done >"$STACK_DIR/e2e-leaks"
for t in backup.requests restore.requests backup.events backup.status backup.health backup.schedules \
    backup.requests.dlq restore.requests.dlq backup.events.dlq; do
    kcat -F "$STACK_DIR/kcat.conf" -C -t "$t" -o beginning -e -q 2>/dev/null | grep -qaF -f "$PATTERNS" && echo "topic:$t" >>"$STACK_DIR/e2e-leaks"
done
for url in "$HEALTH/" "$HEALTH/stanzas/main" "$HEALTH/stanzas/main/history" "$HEALTH/stanzas/main/drills" \
    "$HEALTH/q/metrics" "$HEALTH/dashboard" "http://127.0.0.1:$NOTIFIER_HTTP_PORT/alerts" \
    "http://127.0.0.1:$NOTIFIER_HTTP_PORT/q/metrics" "http://127.0.0.1:$SCHEDULER_HTTP_PORT/q/metrics" \
    "http://127.0.0.1:$EXECUTOR_HTTP_PORT/q/metrics" "http://127.0.0.1:$EXECUTOR_HTTP_PORT/q/health"; do
    curl -sS "$url" 2>/dev/null | grep -qaF -f "$PATTERNS" && echo "http:$url" >>"$STACK_DIR/e2e-leaks"
done
PROCS=0
# Azurite is the offsite store itself: it must hold its account's key (its environment, as Azure does).
AZURITE_PID=$(cat "$STACK_DIR/run/azurite.pid" 2>/dev/null)
for p in /proc/[0-9]*; do
    [ -r "$p/environ" ] && [ "${p#/proc/}" != "$AZURITE_PID" ] || continue
    PROCS=$((PROCS + 1))
    # A process may end while it is read: its files are then gone, which is no leak.
    if { tr '\0' '\n' <"$p/environ"; } 2>/dev/null | grep -qaF -f "$PATTERNS" \
        || { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -qaF -f "$PATTERNS"; then
        echo "process:${p#/proc/} $(tr '\0' ' ' <"$p/cmdline" 2>/dev/null | cut -c1-80)" >>"$STACK_DIR/e2e-leaks"
    fi
done
SVC_PIDS=$(cat "$STACK_DIR"/run/*.pid 2>/dev/null | wc -l)
# The scan can see them: each planted secret is found where make up keeps it (0600 files only).
SEEN=0
for f in postgres-password pgbackrest-password slack-webhook-url smtp-password; do
    grep -qaF -f "$PATTERNS" "$STACK_DIR/secrets/$f" && SEEN=$((SEEN + 1))
done
grep -qaF -f "$PATTERNS" "$STACK_DIR/run/executor/config/application.properties" && SEEN=$((SEEN + 1))
if [ ! -s "$STACK_DIR/e2e-leaks" ] && [ "$PROCS" -gt 20 ] && [ "$SVC_PIDS" -ge 5 ] && [ "$SEEN" = 5 ]; then
    pass "planted secrets in no log, topic, HTTP body, argument list or environment ($PROCS processes, 9 topics, 11 pages)"
else fail "secrets leaked ($PROCS processes read, $SEEN/5 planted secrets found where kept): $(head -20 "$STACK_DIR/e2e-leaks" | tr '\n' ';')"; fi
rm -f "$PATTERNS"

# The health service gone: check-backup-health.sh judges the stanza by pgbackrest itself (info,
# check) and says the monitoring is down: WARNING, not UNKNOWN.
bash "$ROOT/scripts/stack.sh" stop health >/dev/null
out=$(HEALTH_URL="$HEALTH" COMPOSE_PROJECT=none PGBACKREST_CONFIG="$STACK_DIR/pgbackrest/pgbackrest.conf" "$CHECK"); rc=$?
if [ $rc = 1 ] && printf '%s' "$out" | grep -q "cannot be reached" && printf '%s' "$out" | grep -q "archive check OK"; then
    pass "with the health service down, check-backup-health.sh judged the stanza by pgbackrest: $out"
else fail "check-backup-health.sh without the health service said $rc: $out"; fi

echo "e2e: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
