#!/usr/bin/env bash
# Benchmark: N stanzas configured (default 10,000), every stanza due in the same minute.
# Measures the time from the tick that saw the minute to the last request acknowledged on
# backup.requests, and the scheduler's heap per stanza (after a full GC, against a 1-stanza run).
# Real Kafka and PostgreSQL (the make-up infrastructure on its own ports). Goal: <= 5 s, <= 10 KB.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${N:-10000}"
export STACK_DIR="${BENCH_STACK_DIR:-$(mktemp -d /tmp/pgbackup-bench.XXXXXX)}"
export LOG_DIR="$STACK_DIR/logs"
export KAFKA_PORT=29092 KAFKA_CONTROLLER_PORT=29093 STATE_PG_PORT=25433 SCHEDULER_HTTP_PORT=28082
trap 'bash "$ROOT/scripts/stack.sh" down >/dev/null 2>&1 || true; kill $SCHED_PID 2>/dev/null || true' EXIT
SCHED_PID=""

bash "$ROOT/scripts/stack.sh" infra
CP="$(cat "$STACK_DIR/kafka.classpath")"
. "$ROOT/bench/lib.sh"
bench_kafka operator

run() { # run STANZAS -> prints "seconds_from_tick seconds_from_minute heap_used_kb records"
    local n=$1 db="bench_$1"
    psql_state -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db OWNER scheduler"
    local stanzas; stanzas=$(seq -f 's%05g' 1 "$n" | paste -sd,)
    cd "$STACK_DIR/run/scheduler"
    BACKUP_STANZAS="$stanzas" BACKUP_SCHEDULE_FULL=none BACKUP_SCHEDULE_DIFF=none \
    BACKUP_SCHEDULE_INCR='* * * * *' BACKUP_SCHEDULE_TICK_EVERY=1s BACKUP_SCHEDULE_CATCH_UP=none \
    SCHEDULER_COORDINATOR_CLAIM_TIMEOUT=1h \
    SCHEDULER_DB_URL="jdbc:postgresql://127.0.0.1:$STATE_PG_PORT/$db?$TLS_URL" KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT" \
    SCHEDULER_HTTP_PORT="$SCHEDULER_HTTP_PORT" \
        java -Xmx1g -Xlog:gc:file="$LOG_DIR/bench-scheduler-$n.gc.log" -jar "$ROOT/scheduler-service/target/quarkus-app/quarkus-run.jar" >"$LOG_DIR/bench-scheduler-$n.log" 2>&1 &
    SCHED_PID=$!
    until curl -fsS "http://127.0.0.1:$SCHEDULER_HTTP_PORT/q/health/ready" >/dev/null 2>&1; do sleep 0.5; done
    # The first tick after start fires the current and the previous minute at once; measure the
    # third minute, fired by an ordinary tick right after its boundary.
    local planned=""
    while [ -z "$planned" ]; do
        sleep 1
        planned=$(psql_state -d "$db" -c "SELECT extract(epoch FROM planned_at)::bigint FROM schedule_fire \
            GROUP BY planned_at HAVING count(*) = $n ORDER BY planned_at OFFSET 2 LIMIT 1")
    done
    local tick_ms
    tick_ms=$(psql_state -d "$db" -c "SELECT (extract(epoch FROM min(fired_at)) * 1000)::bigint FROM schedule_fire \
        WHERE planned_at = to_timestamp($planned)")
    local iso; iso=$(date -u -d "@$planned" +%Y-%m-%dT%H:%M:%SZ)
    until [ "$(psql_state -d "$db" -c "SELECT count(*) FROM outbox")" = 0 ]; do sleep 0.5; done
    local last_ms count
    local first_ms
    read -r count last_ms first_ms < <(java -cp "$CP" org.apache.kafka.tools.consumer.ConsoleConsumer \
        --bootstrap-server "127.0.0.1:$KAFKA_PORT" --command-config "$BENCH_KAFKA" --group "operator-bench-$n" \
        --topic backup.requests --from-beginning --timeout-ms 10000 \
        --formatter-property print.timestamp=true 2>/dev/null | grep "\"plannedAt\":\"$iso\"" \
        | sed -n 's/^CreateTime:\([0-9]*\).*/\1/p' | sort -n | awk 'NR == 1 {first=$1} {c++; last=$1} END {print c, last, first}')
    # What the scheduler keeps, not what a tick in progress holds (every stanza fires every minute):
    # the smallest of three samples, each right after a full GC.
    local heap="" h
    for _ in 1 2 3; do
        jcmd "$SCHED_PID" GC.run >/dev/null
        h=$(jcmd "$SCHED_PID" GC.heap_info | sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -1)
        if [ -z "$heap" ] || [ "$h" -lt "$heap" ]; then heap=$h; fi
        sleep 2
    done
    kill "$SCHED_PID"; wait "$SCHED_PID" 2>/dev/null || true; SCHED_PID=""
    awk -v t="$tick_ms" -v l="$last_ms" -v f="$first_ms" -v p="$planned" -v h="$heap" -v c="$count" \
        'BEGIN {printf "%.2f %.2f %d %d %.2f\n", (l - t) / 1000, (l - p * 1000) / 1000, h, c, (f - t) / 1000}'
}

echo "==> 1 stanza (baseline heap)"
read -r _ _ heap1 _ < <(run 1)
echo "==> $N stanzas"
read -r from_tick from_minute heapN count first_from_tick < <(run "$N")
per_stanza=$(awk -v a="$heapN" -v b="$heap1" -v n="$N" 'BEGIN {printf "%.2f", (a - b) / (n - 1)}')
echo "stanzas: $N, requests published for the minute: $count"
echo "tick to first request acknowledged: ${first_from_tick} s (the tick's transaction committed)"
echo "tick to last request acknowledged: ${from_tick} s (from the minute boundary: ${from_minute} s)"
echo "heap after full GC: 1 stanza ${heap1} KB, $N stanzas ${heapN} KB: ${per_stanza} KB per stanza"
