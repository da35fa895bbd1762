#!/usr/bin/env bash
# `make test-faults`: the faults of real hosts, on the real stack of `make up` (its own folder and
# ports) plus two more database hosts, each a network namespace with its own PostgreSQL and
# executor. Every fault is made for real (SIGKILL, pg_ctl stop, a stopped broker, a link taken
# down) while requests flow, and every request is followed to its answers on backup.events.
# Writes the table of docs/reliability.md (FAULTS_REPORT to write it elsewhere). Needs root
# (network namespaces). Exits non-zero when a check fails or a request is lost or answered twice.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
REPORT="${FAULTS_REPORT:-$ROOT/docs/reliability.md}"
[ "$(id -u)" = 0 ] || { echo "ERROR: make test-faults needs root (network namespaces)" >&2; exit 1; }

missing=()
[ -x "$PG_BIN/initdb" ] || missing+=(postgresql)
command -v pgbackrest >/dev/null || missing+=(pgbackrest)
command -v curl >/dev/null || missing+=(curl)
command -v kcat >/dev/null || missing+=(kcat)
command -v ip >/dev/null || missing+=(iproute2)
if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing ${missing[*]} (apt)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
chmod o+x /tmp

# The services `make up` runs: stack.sh builds them only when their sources changed since the last
# build (after `make test` it does not build again).
if [ -n "${APPS_DIR:-}" ]; then
    export APPS_DIR
    APP() { echo "$APPS_DIR/$1-service/quarkus-app/quarkus-run.jar"; }
else
    APP() { echo "$ROOT/$1-service/target/quarkus-app/quarkus-run.jar"; }
fi

export STACK_DIR="${FAULTS_STACK_DIR:-$(mktemp -d /tmp/pgbackup-faults.XXXXXX)}"
export LOG_DIR="$STACK_DIR/logs"
mkdir -p "$LOG_DIR"
export KAFKA_PORT=29092 KAFKA_CONTROLLER_PORT=29093 DEMO_PG_PORT=25442 STATE_PG_PORT=25433
export HEALTH_HTTP_PORT=28080 EXECUTOR_HTTP_PORT=28081 SCHEDULER_HTTP_PORT=28082 NOTIFIER_HTTP_PORT=28083
HOOK_PORT=28090
export SCHEDULER_COORDINATOR_CLAIM_TIMEOUT=45s SCHEDULER_COORDINATOR_CLAIM_GRACE=15s EXECUTOR_CLAIM_TIMEOUT=45s
export EXECUTOR_ID=main-host EXECUTOR_STATUS_INTERVAL=3s EXECUTOR_STATUS_REPO_INTERVAL=10s
export EXECUTOR_HEARTBEAT_TIMEOUT=15s
export SLACK_WEBHOOK_URL="http://127.0.0.1:$HOOK_PORT/hook"
# Backups compress hard so that one lasts long enough to be cut into (WAL and restores do not).
export PGBR_CONF_EXTRA=$'[global:backup]\ncompress-level=12'
# Each namespace host reaches the broker over its own link.
export KAFKA_EXTRA_LISTENERS="HOST1://10.231.1.1:29094 HOST2://10.231.2.1:29095"
# Kafka refuses two listeners on one port, whatever their addresses.
export KAFKA_BROKER_PORT=29096 AZURITE_PORT=28100
export FLEET_STANZAS=main,h1,h2
export RETENTION_FULL=7
HEALTH="http://127.0.0.1:$HEALTH_HTTP_PORT"
SCHEDULER="http://127.0.0.1:$SCHEDULER_HTTP_PORT"
BROKER="127.0.0.1:$KAFKA_PORT"
RESULTS="$STACK_DIR/results.tsv"
: >"$RESULTS"
PASSED=0
FAILED=0
T0=$SECONDS

pass() { PASSED=$((PASSED + 1)); echo "PASS ($((SECONDS - T0))s): $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL ($((SECONDS - T0))s): $*"; }
as_pg() { runuser -u postgres -- "$@"; }
uuid() { cat /proc/sys/kernel/random/uuid; }

cleanup() {
    set +e
    for n in 1 2; do host_stop "$n" >/dev/null 2>&1; done
    kill "${HOOK_PID:-}" "${LONG_PID:-}" 2>/dev/null
    bash "$ROOT/scripts/stack.sh" down >/dev/null 2>&1
    for n in 1 2; do ip netns del "pgbf-h$n" 2>/dev/null; ip link del "pgbf${n}a" 2>/dev/null; done
    if [ "$FAILED" -gt 0 ] || [ "${KEEP_FAULTS:-0}" = 1 ]; then
        echo "faults: stack folder kept for inspection: $STACK_DIR"
        for f in "$LOG_DIR"/*-service.log "$STACK_DIR"/host*/executor*.log; do
            [ -f "$f" ] && { echo "--- tail $f"; tail -n 30 "$f"; }
        done
    else
        rm -rf "$STACK_DIR"
    fi
}
trap cleanup EXIT

# --- requests and their answers -------------------------------------------------------------

submit() { # submit PATH BODY -> request id
    curl -fsS -H @<(printf 'Authorization: Bearer %s\n' "$(cat "$STACK_DIR/api-token")") -H 'Content-Type: application/json' \
        -d "$2" "$SCHEDULER$1" | sed -n 's/.*"requestId":"\([^"]*\)".*/\1/p'
}
backup() { submit /backups "{\"stanza\":\"${2:-main}\",\"backupType\":\"$1\",\"requestedBy\":\"faults\"}"; }
drill() { # drill STANZA [SET]
    local target='{"kind":"latest"}'
    [ -n "${2:-}" ] && target="{\"kind\":\"set\",\"value\":\"$2\"}"
    submit /restores "{\"stanza\":\"$1\",\"mode\":\"test\",\"target\":$target,\"requestedBy\":\"faults\"}"
}
publish() { # publish KEY JSON: straight to backup.requests (when the scheduler's database is away)
    printf '%s\n' "$2" | kcat -F "$STACK_DIR/kcat.conf" -P -t backup.requests -k "$1" 2>>"$LOG_DIR/faults-producer.log"
}
TERMINAL='"type":"(BackupCompleted|BackupFailed|BackupSkipped|RestoreCompleted|RestoreFailed)"'
events() { kcat -F "$STACK_DIR/kcat.conf" -C -t backup.events -o beginning -e -q 2>/dev/null; }
answers() { # answers ID: the distinct terminal events of a request (one line each)
    events | grep "\"requestId\":\"$1\"" | grep -E "$TERMINAL" | grep -o '"eventId":"[^"]*"' | sort -u
}
answer() { # answer ID: the request's terminal event
    events | grep "\"requestId\":\"$1\"" | grep -E "$TERMINAL" | head -1
}
await_answer() { # await_answer ID SECONDS
    local deadline=$((SECONDS + $2))
    until [ -n "$(answers "$1")" ]; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 1
    done
}
await_completed() { # await_completed ID SECONDS: answered, and the answer is a completion
    await_answer "$1" "$2" && answer "$1" | grep -Eq '"type":"(BackupCompleted|RestoreCompleted)"'
}
stanza_json() { curl -fsS "$HEALTH/stanzas/$1" 2>/dev/null; }
status_of() { stanza_json "$1" | sed -n "s/^{\"stanza\":\"$1\",\"status\":\"\\([a-z]*\\)\".*/\\1/p"; }
await_status() { # await_status STANZA STATUS SECONDS
    local deadline=$((SECONDS + $3))
    until [ "$(status_of "$1")" = "$2" ]; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 1
    done
}
await_code() { # await_code STANZA CODE SECONDS
    local deadline=$((SECONDS + $3))
    until stanza_json "$1" | grep -q "\"code\":\"$2\""; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 1
    done
}

# tally FAULT RECOVER_SECONDS NOTE ID...: counts the answers of every request of a fault after the
# fault is over, and adds the fault's row to the table.
tally() {
    local fault=$1 recover=$2 note=$3; shift 3
    local sent=$# answered=0 lost=0 dup=0 id n
    for id in "$@"; do
        await_answer "$id" 240 || true
        n=$(answers "$id" | wc -l)
        if [ "$n" = 0 ]; then lost=$((lost + 1)); elif [ "$n" -gt 1 ]; then dup=$((dup + 1)); answered=$((answered + 1));
        else answered=$((answered + 1)); fi
    done
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$fault" "$sent" "$answered" "$lost" "$dup" "$recover" "$note" >>"$RESULTS"
    if [ "$lost" = 0 ] && [ "$dup" = 0 ]; then pass "$fault: $sent sent, $answered answered once each"
    else fail "$fault: $sent sent, $lost lost, $dup answered more than once"; fi
}
outcomes() { # outcomes ID...: "type/code" of each request's answer, for the table's note
    local id out=()
    for id in "$@"; do
        out+=("$(answer "$id" | grep -oE '"type":"[A-Za-z]+"' | cut -d'"' -f4)$(answer "$id" \
            | grep -oE '"errorCode":"[^"]*"' | cut -d'"' -f4 | sed 's/^/ /')")
    done
    local IFS=,; echo "${out[*]}"
}

# --- the hosts: a network namespace each, with its own PostgreSQL and executor ---------------

host_net() { # host_net N: namespace pgbf-hN, linked to this host by a veth pair (10.231.N.1 <-> .2)
    local n=$1 ns="pgbf-h$1"
    ip netns del "$ns" 2>/dev/null; ip link del "pgbf${n}a" 2>/dev/null
    ip netns add "$ns"
    ip link add "pgbf${n}a" type veth peer name "pgbf${n}b"
    ip link set "pgbf${n}b" netns "$ns"
    ip addr add "10.231.$n.1/24" dev "pgbf${n}a"
    ip link set "pgbf${n}a" up
    ip netns exec "$ns" ip addr add "10.231.$n.2/24" dev "pgbf${n}b"
    ip netns exec "$ns" ip link set "pgbf${n}b" up
    ip netns exec "$ns" ip link set lo up
}
in_host() { local n=$1; shift; ip netns exec "pgbf-h$n" "$@"; }

host_pg() { # host_pg N STANZA: the host's primary, archiving to the shared repository
    local n=$1 stanza=$2 dir="$STACK_DIR/host$1"
    mkdir -p "$dir"/{sock,pgbackrest/{log,lock,spool}}
    cat >"$dir/pgbackrest.conf" <<EOF
[global]
repo1-path=$STACK_DIR/pgbackrest/repo
repo1-retention-full=$RETENTION_FULL
log-path=$dir/pgbackrest/log
lock-path=$dir/pgbackrest/lock
spool-path=$dir/pgbackrest/spool
log-level-console=info
log-level-file=detail
start-fast=y
compress-type=zst
process-max=2
archive-timeout=60
# Like a busy host: WAL is pushed in batches by an async process (the long-lived stanza switches
# WAL 1,500 times).
archive-async=y

[$stanza]
pg1-path=$dir/data
pg1-port=5432
pg1-socket-path=$dir/sock
EOF
    chown -R postgres:postgres "$dir"
    as_pg "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 || return 1
    as_pg tee "$dir/data/postgresql.auto.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = 5432
unix_socket_directories = '$dir/sock'
wal_level = replica
archive_mode = on
archive_command = 'pgbackrest --config=$dir/pgbackrest.conf --stanza=$stanza archive-push %p'
EOF
    in_host "$n" runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w start >/dev/null || return 1
    in_host "$n" runuser -u postgres -- psql -h 127.0.0.1 -U postgres -XtAq -c "CREATE DATABASE executor" \
        -c "CREATE DATABASE executor_dup" || return 1
    in_host "$n" runuser -u postgres -- pgbackrest --config="$dir/pgbackrest.conf" --stanza="$stanza" stanza-create \
        >"$dir/stanza-create.log" 2>&1 || return 1
}

# The long-lived stanza's sets are made by pgbackrest directly (sixty requests would take far
# longer), so the hourly expire of its executor would meet their lock and report a failed expire
# ([050], honestly: it did not run); the namespace hosts' scheduled maintenance is off.
host_executor() { # host_executor N STANZA ID DB PORT [nowait]: an executor on host N (its state database local to it)
    local n=$1 stanza=$2 id=$3 db=$4 port=$5 dir="$STACK_DIR/host$1"
    # Its Kafka login (the executor principal, over TLS to the host's listener), in the 0600 file Quarkus
    # reads from its working directory, as make up gives every service.
    mkdir -p "$dir/config-$id/config"
    (umask 077 && printf 'kafka.bootstrap.servers=10.231.%s.1:%s\nkafka.security.protocol=SASL_SSL\nkafka.sasl.mechanism=SCRAM-SHA-512\nkafka.ssl.truststore.type=PEM\nkafka.ssl.truststore.location=%s\nkafka.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="executor" password="%s";\n' \
        "$n" "$((29093 + n))" "$STACK_DIR/tls/ca.pem" "$(cat "$STACK_DIR/secrets/kafka-executor-password")" \
        >"$dir/config-$id/config/application.properties")
    # The subshell execs ip, which execs env, which execs java: $! is the executor's own pid.
    (cd "$dir/config-$id" && exec ip netns exec "pgbf-h$n" env KAFKA_BOOTSTRAP_SERVERS="10.231.$n.1:$((29093 + n))" EXECUTOR_ID="$id" EXECUTOR_STANZAS="$stanza" \
        EXECUTOR_DB_URL="jdbc:postgresql://127.0.0.1:5432/$db" EXECUTOR_HTTP_PORT="$port" \
        PGBACKREST_CONFIG="$dir/pgbackrest.conf" EXECUTOR_MAINTENANCE_LOG_PATH="$dir/pgbackrest/log" \
        EXECUTOR_RESTORE_SCRATCH_ROOT="$dir/restore-$id" BACKUP_SCHEDULE_MAINTENANCE=off \
        "EXECUTOR_PRIMARY__$(printf %s "$stanza" | tr 'a-z-' 'A-Z_')__JDBC_URL=jdbc:postgresql://127.0.0.1:5432/postgres" \
        nohup java -Xmx256m -jar "$(APP executor)" >"$dir/executor-$id.log" 2>&1) &
    echo $! >"$dir/executor-$id.pid"
    [ "${6:-wait}" = nowait ] || host_ready "$n" "$port"
}

host_ready() { # host_ready N PORT: the executor on host N answers ready
    local deadline=$((SECONDS + 120))
    until in_host "$1" curl -fsS "http://127.0.0.1:$2/q/health/ready" >/dev/null 2>&1; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 1
    done
}

host_stop() { # host_stop N: its executors and PostgreSQL
    local n=$1 dir="$STACK_DIR/host$1" f
    for f in "$dir"/executor-*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
    [ -d "$dir/data" ] && as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1
}

# --- the long-lived stanza (h2): months of archiving and dozens of sets, made in minutes ------

LONG_SEGMENTS=${LONG_SEGMENTS:-1500}
LONG_SETS=${LONG_SETS:-60}
h2_sql() { in_host 2 runuser -u postgres -- psql -h 127.0.0.1 -U postgres -XtAq "$@"; }
h2_pgbackrest() { in_host 2 runuser -u postgres -- pgbackrest --config="$STACK_DIR/host2/pgbackrest.conf" --stanza=h2 "$@"; }
# Runs in the background while the faults of the main stack are made: a WAL switch after a small
# write, $LONG_SEGMENTS times, and an incremental backup every $((LONG_SEGMENTS / LONG_SETS)) switches.
long_lived() {
    local per=$((LONG_SEGMENTS / LONG_SETS)) round sets=0
    h2_sql -c "CREATE TABLE ticks (i int, at timestamptz DEFAULT now())" || return 1
    for round in $(seq 1 "$LONG_SETS"); do
        h2_sql -c "DO \$\$ BEGIN FOR i IN 1..$per LOOP INSERT INTO ticks (i) VALUES (i); PERFORM pg_switch_wal(); END LOOP; END \$\$" \
            || return 1
        # A backup that meets the executor's own (status, maintenance) waits its turn for the lock.
        local try
        for try in 1 2 3 4 5; do
            h2_pgbackrest --type=incr backup >>"$STACK_DIR/long-backups.log" 2>&1 && { sets=$((sets + 1)); break; }
            sleep 2
        done
    done
    echo "$sets" >"$STACK_DIR/long.done"
}

# ============================================================================================

echo "faults: stack in $STACK_DIR"
java "$ROOT/scripts/faults/WebhookReceiver.java" "$HOOK_PORT" "$STACK_DIR/slack.log" >"$LOG_DIR/webhook.log" 2>&1 &
HOOK_PID=$!
host_net 1 && host_net 2 || { fail "the network namespaces could not be made"; exit 1; }
if ! bash "$ROOT/scripts/stack.sh" up >"$LOG_DIR/stack-up.log" 2>&1; then
    fail "make up (stack.sh up) did not complete: $(tail -5 "$LOG_DIR/stack-up.log")"; exit 1
fi
for n in 1 2; do
    host_pg "$n" "h$n" && host_executor "$n" "h$n" "host$n" executor 8081 nowait \
        || { fail "host $n could not be started (see $STACK_DIR/host$n)"; exit 1; }
done
demo_sql() { as_pg psql -h "$STACK_DIR/pg-demo/sock" -p "$DEMO_PG_PORT" -U postgres -XtAq "$@"; }
# Enough data that a hard-compressed full backup takes a while to cut into.
demo_sql -c "CREATE TABLE IF NOT EXISTS filler AS SELECT g, md5(g::text) || md5(random()::text) AS t FROM generate_series(1, ${FILLER_ROWS:-800000}) g" \
    || fail "the demo database was not filled"
for n in 1 2; do host_ready "$n" 8081 || { fail "the executor of host $n is not ready"; exit 1; }; done
SETUP_S=$((SECONDS - T0))
echo "faults: set up in ${SETUP_S}s"

# 1. Two database hosts: each stanza's request is run by its own host's executor only.
A=$(backup full h1); B=$(backup full h2)
if await_completed "$A" 180 && await_completed "$B" 180 && answer "$A" | grep -q '"executorId":"host1"' \
    && answer "$B" | grep -q '"executorId":"host2"'; then
    pass "two hosts: h1's backup ran on host1, h2's on host2"
else fail "two hosts: $(answer "$A") / $(answer "$B")"; fi
if await_status h1 healthy 60 && await_status h2 healthy 60; then pass "health shows both hosts' stanzas healthy"
else fail "not both healthy: $(stanza_json h1) $(stanza_json h2)"; fi
tally "two hosts (namespaces), one request per stanza" "-" "$(outcomes "$A" "$B")" "$A" "$B"

# 1b. A second executor configured for h1 on host 1: named by health and alerted, and it leaves h1's
#     requests to host1 (the first by id) instead of backing h1 up a second time.
h1_sets() { in_host 1 runuser -u postgres -- pgbackrest --config="$STACK_DIR/host1/pgbackrest.conf" --stanza=h1 \
    info --output=json 2>/dev/null | grep -o '"label":"' | wc -l; }
ALERTS_BEFORE=$(cat "$STACK_DIR/slack.log" 2>/dev/null | wc -l)
if host_executor 1 h1 host1-dup executor_dup 8082 && await_code h1 DUPLICATE_EXECUTOR 60; then
    pass "a second executor for h1 is named: DUPLICATE_EXECUTOR"
else fail "no DUPLICATE_EXECUTOR for h1: $(stanza_json h1)"; fi
deadline=$((SECONDS + 60))
until tail -n +"$((ALERTS_BEFORE + 1))" "$STACK_DIR/slack.log" 2>/dev/null | grep -Eq "DUPLICATE_EXECUTOR|two executors" \
    || [ $SECONDS -ge $deadline ]; do sleep 1; done
tail -n +"$((ALERTS_BEFORE + 1))" "$STACK_DIR/slack.log" 2>/dev/null | grep -Eq "DUPLICATE_EXECUTOR|two executors" \
    && pass "the duplicate executor was alerted (Slack receiver)" || fail "no alert for the duplicate executor"
SETS_BEFORE=$(h1_sets)
A=$(backup incr h1); await_answer "$A" 120; B=$(backup incr h1); await_answer "$B" 120
COMPLETED=0; for id in "$A" "$B"; do answer "$id" | grep -q '"type":"BackupCompleted"' && COMPLETED=$((COMPLETED + 1)); done
MADE=$(($(h1_sets) - SETS_BEFORE))
if [ "$MADE" = "$COMPLETED" ] && ! events | grep -E "\"requestId\":\"($A|$B)\"" | grep -q '"executorId":"host1-dup"'; then
    pass "with two executors for h1 each request ran once, on host1 ($MADE set(s) for $COMPLETED completion(s))"
else fail "two executors for h1: $MADE set(s) for $COMPLETED completion(s): $(answer "$A") $(answer "$B")"; fi
kill "$(cat "$STACK_DIR/host1/executor-host1-dup.pid")"
STOPPED=$SECONDS
await_status h1 healthy 90 && pass "the duplicate stopped: h1 healthy again" || fail "h1 after the duplicate stopped: $(stanza_json h1)"
tally "two executors configured for one stanza" "$((SECONDS - STOPPED))" "$(outcomes "$A" "$B")" "$A" "$B"

long_lived >"$STACK_DIR/long.log" 2>&1 &
LONG_PID=$!
LONG_T0=$SECONDS

backup_running() { pgrep -f -- "--stanza=main --type=$1 --log-level-console=info backup\$" >/dev/null; }
await_running() { # await_running SECONDS COMMAND...
    local deadline=$((SECONDS + $1)); shift
    until "$@"; do [ $SECONDS -lt $deadline ] || return 1; sleep 0.2; done
}
executor_pid() { cat "$STACK_DIR/run/executor.pid"; }
restart_stack() { bash "$ROOT/scripts/stack.sh" up >>"$LOG_DIR/faults-restart.log" 2>&1; }

# 2. The executor SIGKILLed in the middle of a backup.
# Each full to repo1 is followed by its copy to the offsite repository (make up's first full too),
# which holds the stanza's worker for minutes here: a request waits behind it, hence the long waits.
ID=$(backup full main)
if await_running 600 backup_running full && sleep 2 && backup_running full; then
    ORPHANS=$(pgrep -f -- "--stanza=main --type=full" | tr '\n' ' ')
    KILLED=$SECONDS
    kill -9 "$(executor_pid)"
    restart_stack
    left=""; for p in $ORPHANS; do kill -0 "$p" 2>/dev/null && left="$left $p"; done
    if [ -z "$left" ]; then pass "the restarted executor stopped the pgbackrest its predecessor left ($ORPHANS)"
    else fail "processes of the killed executor still run:$left"; fi
    PROBE=$(backup incr main)
    await_completed "$PROBE" 240 && pass "the next backup after the kill completed (no stale lock)" \
        || fail "the backup after the kill did not complete: $(answer "$PROBE")"
    tally "executor SIGKILLed mid-backup" "$((SECONDS - KILLED))" "$(outcomes "$ID" "$PROBE")" "$ID" "$PROBE"
else fail "the full backup was not caught running (it ended too soon?): $(answer "$ID")"; fi

# 3. The executor SIGKILLed in the middle of a test restore, while the test copy runs.
copy_running() { compgen -G "$STACK_DIR/restore/*/data/postmaster.pid" >/dev/null; }
ID=$(drill main)
if await_running 600 copy_running; then
    COPY_PID=$(head -1 "$(compgen -G "$STACK_DIR/restore/*/data/postmaster.pid" | head -1)")
    KILLED=$SECONDS
    kill -9 "$(executor_pid)"
    restart_stack
    if ! kill -0 "$COPY_PID" 2>/dev/null && [ -z "$(ls -A "$STACK_DIR/restore")" ]; then
        pass "the restarted executor stopped the test copy (postmaster $COPY_PID) and removed its scratch directory"
    else fail "the killed executor's test copy is left: $(ls -A "$STACK_DIR/restore"), postmaster $COPY_PID"; fi
    answer "$ID" | grep -q EXECUTOR_RESTARTED && pass "the interrupted drill was answered EXECUTOR_RESTARTED" \
        || fail "the interrupted drill's answer: $(answer "$ID")"
    PROBE=$(drill main)
    await_completed "$PROBE" 240 && pass "the next drill after the kill completed" \
        || fail "the drill after the kill did not complete: $(answer "$PROBE")"
    tally "executor SIGKILLed mid-test-restore" "$((SECONDS - KILLED))" "$(outcomes "$ID" "$PROBE")" "$ID" "$PROBE"
else fail "the test copy was not caught running: $(answer "$ID")"; fi

# 4. The stanza's PostgreSQL stopped in the middle of a backup.
ALERTS_BEFORE=$(cat "$STACK_DIR/slack.log" 2>/dev/null | wc -l)
ID=$(backup full main)
if await_running 600 backup_running full && sleep 1; then
    as_pg "$PG_BIN/pg_ctl" -D "$STACK_DIR/pg-demo/data" -m fast -w stop >/dev/null
    if await_answer "$ID" 120 && answer "$ID" | grep -q '"type":"BackupFailed"' \
        && answer "$ID" | grep -Eq '"errorCode":"[0-9]+"'; then
        pass "PostgreSQL stopped mid-backup: BackupFailed with pgBackRest's code $(answer "$ID" | grep -oE '"errorCode":"[0-9]+"')"
    else fail "PostgreSQL stopped mid-backup: $(answer "$ID")"; fi
    deadline=$((SECONDS + 60))
    until [ "$(tail -n +"$((ALERTS_BEFORE + 1))" "$STACK_DIR/slack.log" 2>/dev/null | grep -c main)" -gt 0 ] \
        || [ $SECONDS -ge $deadline ]; do sleep 1; done
    if tail -n +"$((ALERTS_BEFORE + 1))" "$STACK_DIR/slack.log" 2>/dev/null | grep -q main; then
        pass "an alert about stanza main reached the Slack receiver"
    else fail "no alert reached the Slack receiver"; fi
    as_pg "$PG_BIN/pg_ctl" -D "$STACK_DIR/pg-demo/data" -l "$LOG_DIR/postgres-demo.log" -w start >/dev/null
    BACK=$SECONDS
    PROBE=$(backup incr main)
    await_completed "$PROBE" 240 && pass "the next backup after PostgreSQL returned completed" \
        || fail "no backup after PostgreSQL returned: $(answer "$PROBE")"
    tally "stanza's PostgreSQL stopped mid-backup" "$((SECONDS - BACK))" "$(outcomes "$ID" "$PROBE")" "$ID" "$PROBE"
else fail "the full backup was not caught running: $(answer "$ID")"; fi

# 5. The Kafka broker stopped for 30 s while requests, events and status reports flow.
BEFORE=$(backup incr main)
bash "$ROOT/scripts/stack.sh" stop kafka >/dev/null
IDS=("$BEFORE" "$(backup incr main)" "$(backup incr h1)" "$(drill h2)")
sleep 30 # the outage itself
bash "$ROOT/scripts/stack.sh" up >>"$LOG_DIR/faults-restart.log" 2>&1
BACK=$SECONDS
for id in "${IDS[@]}"; do await_answer "$id" 240; done
await_status main healthy 120 && await_status h1 healthy 60 \
    && pass "after the broker returned every stanza is healthy again (status reports flow)" \
    || fail "not healthy after the broker returned: $(stanza_json main)"
tally "Kafka broker stopped 30 s" "$((SECONDS - BACK))" "$(outcomes "${IDS[@]}")" "${IDS[@]}"

# 6. The state database (every service of the main stack keeps its state there) stopped for 30 s.
as_pg "$PG_BIN/pg_ctl" -D "$STACK_DIR/pg-state/data" -m fast -w stop >/dev/null
IDS=()
for stanza in main h1; do
    id=$(uuid); IDS+=("$id")
    publish "$stanza" "{\"type\":\"BackupRequested\",\"requestId\":\"$id\",\"stanza\":\"$stanza\",\"backupType\":\"incr\",\"requestedBy\":\"faults\"}"
done
sleep 30 # the outage itself
as_pg "$PG_BIN/pg_ctl" -D "$STACK_DIR/pg-state/data" -l "$LOG_DIR/postgres-state.log" -w start >/dev/null
BACK=$SECONDS
for id in "${IDS[@]}"; do await_answer "$id" 240; done
await_status main healthy 120 || fail "main not healthy after the state database returned: $(stanza_json main)"
tally "state database stopped 30 s" "$((SECONDS - BACK))" "$(outcomes "${IDS[@]}")" "${IDS[@]}"

# 7. Host 1 cut off from the broker (and everything else) for 2 minutes.
SETS_BEFORE=$(h1_sets)
ip link set pgbf1a down
CUT=$SECONDS
IDS=("$(backup incr h1)")
if await_code h1 EXECUTOR_SILENT 60; then pass "host 1 cut off: health names EXECUTOR_SILENT for h1"
else fail "host 1 cut off, but health does not say EXECUTOR_SILENT: $(stanza_json h1)"; fi
sleep $((CUT + 60 - SECONDS)) 2>/dev/null || true
IDS+=("$(backup incr h1)")
sleep $((CUT + 110 - SECONDS)) 2>/dev/null || true
IDS+=("$(backup incr h1)")
sleep $((CUT + 120 - SECONDS)) 2>/dev/null || true # the rest of the two minutes
ip link set pgbf1a up
BACK=$SECONDS
for id in "${IDS[@]}"; do await_answer "$id" 240; done
await_status h1 healthy 120 && pass "host 1 rejoined: h1 healthy again" || fail "h1 not healthy after the link returned: $(stanza_json h1)"
COMPLETED=0; for id in "${IDS[@]}"; do answer "$id" | grep -q '"type":"BackupCompleted"' && COMPLETED=$((COMPLETED + 1)); done
MADE=$(($(h1_sets) - SETS_BEFORE))
[ "$MADE" = "$COMPLETED" ] && pass "host 1 rejoined without duplicate backups ($MADE set(s) for $COMPLETED completion(s))" \
    || fail "host 1 made $MADE set(s) for $COMPLETED completed request(s)"
tally "executor host cut off 2 min (netns link down)" "$((SECONDS - BACK))" "$(outcomes "${IDS[@]}")" "${IDS[@]}"

# 8. The long-lived stanza: ≥ $LONG_SEGMENTS archived segments, ≥ $LONG_SETS sets.
wait "$LONG_PID"
LONG_S=$((SECONDS - LONG_T0))
SEGMENTS=$(h2_pgbackrest repo-ls "archive/h2/15-1" --recurse 2>/dev/null | grep -cE '^[0-9A-F]{16}/[0-9A-F]{24}-')
SETS=$(h2_pgbackrest info --output=json 2>/dev/null | grep -o '"label":"' | wc -l)
echo "faults: long-lived stanza h2: $SEGMENTS archived segments, $SETS sets, made in ${LONG_S}s beside the faults"
[ "$SEGMENTS" -ge "$LONG_SEGMENTS" ] && [ "$SETS" -ge "$LONG_SETS" ] \
    && pass "long-lived stanza: $SEGMENTS segments and $SETS sets in the repository" \
    || fail "long-lived stanza: only $SEGMENTS segments and $SETS sets ($(tail -3 "$STACK_DIR/long.log"))"
# The executor reads the repository every 10 s: wait for a report made after the last set.
sleep 15 # two repository reads; the report has no sequence number to wait for
if await_status h2 healthy 60 && ! stanza_json h2 | grep -Eq '"code":"(WAL_GAP|REPO_ERROR)"'; then
    pass "long-lived stanza: healthy, no WAL_GAP, no REPO_ERROR"
else fail "long-lived stanza: $(stanza_json h2)"; fi
OLDEST=$(h2_pgbackrest info --output=json | grep -oE '"label":"[0-9]{8}-[0-9]{6}F[^"]*"' | head -1 | cut -d'"' -f4)
W=$(stanza_json h2 | grep -o '"recoverabilityWindow":{[^}]*}')
WFROM=$(date -d "$(sed -n 's/.*"from":"\([^"]*\)".*/\1/p' <<<"$W")" +%s 2>/dev/null || echo 0)
WTO=$(date -d "$(sed -n 's/.*"to":"\([^"]*\)".*/\1/p' <<<"$W")" +%s 2>/dev/null || echo 0)
OLDEST_AT=$(date -d "${OLDEST:0:4}-${OLDEST:4:2}-${OLDEST:6:2} ${OLDEST:9:2}:${OLDEST:11:2}:${OLDEST:13:2}" +%s)
if grep -q '"continuous":true' <<<"$W" && [ "$WFROM" -ge "$OLDEST_AT" ] && [ "$WFROM" -le $((OLDEST_AT + 600)) ] \
    && [ "$WTO" -ge $(($(date +%s) - 300)) ]; then
    pass "long-lived stanza: the recoverability window spans from the oldest backup ($OLDEST) to now: $W"
else fail "long-lived stanza: recoverability window $W (oldest set $OLDEST)"; fi
L=$(drill h2); O=$(drill h2 "$OLDEST")
if await_completed "$L" 300 && await_completed "$O" 300; then
    pass "long-lived stanza: test restores of latest and of the oldest set ($OLDEST) completed"
else fail "long-lived stanza restores: $(answer "$L") / $(answer "$O")"; fi

# --- the report ------------------------------------------------------------------------------
{
    echo "| Fault | Requests sent | Terminal answers | Lost | Duplicated | Time to recover (s) | Answers |"
    echo "|---|---|---|---|---|---|---|"
    while IFS=$'\t' read -r fault sent answered lost dup recover note; do
        echo "| $fault | $sent | $answered | $lost | $dup | $recover | $note |"
    done <"$RESULTS"
} >"$STACK_DIR/table.md"
{
    echo "<!-- written by make test-faults on $(date -u +%Y-%m-%dT%H:%MZ); $PASSED checks passed, $FAILED failed -->"
    cat "$STACK_DIR/table.md"
    echo
    echo "Long-lived stanza h2: $SEGMENTS archived WAL segments and $SETS backup sets, made in ${LONG_S} s beside the faults."
    echo "Whole suite: $((SECONDS - T0)) s (set-up ${SETUP_S} s, with a build of the services only if their sources changed since the last one)."
} >"$STACK_DIR/report.md"
if [ -f "$REPORT" ] && grep -q '<!-- fault table -->' "$REPORT"; then
    awk -v table="$STACK_DIR/report.md" '
        /<!-- fault table -->/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
        /<!-- end of fault table -->/ { skip = 0 }
        !skip { print }' "$REPORT" >"$REPORT.new" && mv "$REPORT.new" "$REPORT"
else
    cp "$STACK_DIR/report.md" "$REPORT"
fi
cat "$STACK_DIR/report.md"
echo "faults: $PASSED passed, $FAILED failed in $((SECONDS - T0))s"
[ "$FAILED" -eq 0 ]
