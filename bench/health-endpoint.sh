#!/usr/bin/env bash
# Benchmark of the health service (real Kafka and PostgreSQL, the make-up infrastructure on its own
# ports): (1) ingest of N events (default 10,000 BackupCompleted over 100 stanzas) from the first
# publish to the last stored; (2) wrk against GET / and, in the same run, the service's trivial
# liveness endpoint: throughput ratio and p99 latency. Goals: ingest <= 10 s; GET / p99 <= 5 ms
# and >= 0.8 of the trivial endpoint's throughput. Needs wrk (Debian package wrk).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${N:-10000}"
STANZAS="${STANZAS:-100}"
DURATION="${DURATION:-20s}"
export STACK_DIR="${BENCH_STACK_DIR:-$(mktemp -d /tmp/pgbackup-bench.XXXXXX)}"
export LOG_DIR="$STACK_DIR/logs"
export KAFKA_PORT=29092 KAFKA_CONTROLLER_PORT=29093 STATE_PG_PORT=25433 HEALTH_HTTP_PORT=28080
HEALTH_PID=""
trap 'kill $HEALTH_PID 2>/dev/null || true; bash "$ROOT/scripts/stack.sh" down >/dev/null 2>&1 || true' EXIT
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }

bash "$ROOT/scripts/stack.sh" infra
CP="$(cat "$STACK_DIR/kafka.classpath")"
. "$ROOT/bench/lib.sh"
bench_kafka executor
psql_state -d postgres -c "DROP DATABASE IF EXISTS bench_health" -c "CREATE DATABASE bench_health OWNER health"

stanzas=$(seq -f 's%03g' 1 "$STANZAS" | paste -sd,)
cd "$STACK_DIR/run/health"
BACKUP_STANZAS="$stanzas" HEALTH_DB_URL="jdbc:postgresql://127.0.0.1:$STATE_PG_PORT/bench_health?$TLS_URL" \
KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT" HEALTH_HTTP_PORT="$HEALTH_HTTP_PORT" \
    java -Xmx512m -jar "$ROOT/health-service/target/quarkus-app/quarkus-run.jar" >"$LOG_DIR/bench-health.log" 2>&1 &
HEALTH_PID=$!
until curl -fsS "http://127.0.0.1:$HEALTH_HTTP_PORT/q/health/ready" >/dev/null 2>&1; do sleep 0.5; done

# key|value lines; event and request ids are distinct, well-formed UUIDs.
events="$STACK_DIR/events.txt"
run=$(date +%s)
awk -v n="$N" -v s="$STANZAS" -v run="$run" 'BEGIN {
    for (i = 1; i <= n; i++) {
        st = sprintf("s%03d", (i - 1) % s + 1);
        t = strftime("%Y-%m-%dT%H:%M:%SZ", systime() - (n - i), 1);
        printf "%s|{\"type\":\"BackupCompleted\",\"schemaVersion\":1,\"eventId\":\"%08x-0000-4000-8000-%012x\",", st, run, i;
        printf "\"requestId\":\"%08x-0001-4000-8000-%012x\",\"stanza\":\"%s\",\"executorId\":\"bench\",", run, i, st;
        printf "\"occurredAt\":\"%s\",\"requestedType\":\"incr\",\"backupType\":\"incr\",\"promotedToFull\":false,", t;
        printf "\"label\":\"20261125-000000F_%06dI\",\"startedAt\":\"%s\",\"stoppedAt\":\"%s\",", i, t, t;
        printf "\"durationSeconds\":1.5,\"repoSizeBytes\":1000}\n";
    }
}' >"$events"
before=$(psql_state -d bench_health -c "SELECT count(*) FROM stored_event")
start_ms=$(date +%s%3N)
java -cp "$CP" org.apache.kafka.tools.ConsoleProducer --bootstrap-server "127.0.0.1:$KAFKA_PORT" \
    --command-config "$BENCH_KAFKA" --topic backup.events --property parse.key=true --property key.separator='|' <"$events" \
    >"$LOG_DIR/bench-producer.log" 2>&1
until [ "$(psql_state -d bench_health -c "SELECT count(*) FROM stored_event")" -ge $((before + N)) ]; do
    sleep 0.2
done
end_ms=$(date +%s%3N)
ingest=$(awk -v a="$start_ms" -v b="$end_ms" 'BEGIN {printf "%.2f", (b - a) / 1000}')
span=$(psql_state -d bench_health -c "SELECT round(extract(epoch FROM max(received_at) - min(received_at))::numeric, 2)
    FROM (SELECT received_at FROM stored_event ORDER BY received_at DESC LIMIT $N) last_n")
echo "ingest: $N events over $STANZAS stanzas stored in $ingest s from the producer's start (JVM start included);"
echo "        $span s from the first stored to the last stored"

bench() { # bench URL -> "requests_per_second p99_ms"
    wrk -t2 -c16 -d"$DURATION" --latency "$1" >"$LOG_DIR/wrk.out" 2>&1
    local rps p99
    rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$LOG_DIR/wrk.out")
    p99=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } \
        else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } print v }' "$LOG_DIR/wrk.out")
    echo "$rps $p99"
}
paced() { # paced URL -> "requests_per_second p99_ms" at about 1,000 req/s (10 connections, 10 ms apart)
    printf 'function delay()\n  return 10\nend\n' >"$STACK_DIR/paced.lua"
    wrk -t2 -c10 -d"$DURATION" --latency -s "$STACK_DIR/paced.lua" "$1" >"$LOG_DIR/wrk.out" 2>&1
    local rps p99
    rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$LOG_DIR/wrk.out")
    p99=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } \
        else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } print v }' "$LOG_DIR/wrk.out")
    echo "$rps $p99"
}
curl -fsS "http://127.0.0.1:$HEALTH_HTTP_PORT/" >/dev/null
bench "http://127.0.0.1:$HEALTH_HTTP_PORT/ping" >/dev/null # warm-up
read -r ping_rps ping_p99 < <(bench "http://127.0.0.1:$HEALTH_HTTP_PORT/ping")
read -r live_rps live_p99 < <(bench "http://127.0.0.1:$HEALTH_HTTP_PORT/q/health/live")
read -r root_rps root_p99 < <(bench "http://127.0.0.1:$HEALTH_HTTP_PORT/")
read -r paced_rps paced_p99 < <(paced "http://127.0.0.1:$HEALTH_HTTP_PORT/")
ratio=$(awk -v a="$root_rps" -v b="$ping_rps" 'BEGIN {printf "%.2f", a / b}')
echo "GET /             : $root_rps req/s, p99 $root_p99 ms ($STANZAS stanzas)"
echo "GET /ping         : $ping_rps req/s, p99 $ping_p99 ms (trivial endpoint, same service, same run)"
echo "GET /q/health/live: $live_rps req/s, p99 $live_p99 ms (SmallRye liveness, for reference)"
echo "throughput ratio GET / : GET /ping = $ratio (wrk -t2 -c16 -d$DURATION, saturating)"
echo "GET / paced       : $paced_rps req/s, p99 $paced_p99 ms (wrk -t2 -c10, 10 ms between requests per connection)"
