#!/usr/bin/env bash
# Benchmark: a test restore (drill) of a ~1 GB database (pgbench scale 60) through the whole
# system, against `cp -a` of the same data directory in the same run. Goal: ratio <= 2.0.
# Prints pgbackrest's settings too: they dominate (process-max, compression).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCALE="${SCALE:-60}"
export STACK_DIR="${BENCH_STACK_DIR:-$(mktemp -d /tmp/pgbackup-bench.XXXXXX)}"
export LOG_DIR="$STACK_DIR/logs"
export KAFKA_PORT=39092 KAFKA_CONTROLLER_PORT=39093 DEMO_PG_PORT=35442 STATE_PG_PORT=35433
export HEALTH_HTTP_PORT=38080 EXECUTOR_HTTP_PORT=38081 SCHEDULER_HTTP_PORT=38082 NOTIFIER_HTTP_PORT=38083
trap 'bash "$ROOT/scripts/stack.sh" down >/dev/null 2>&1 || true; rm -rf "$STACK_DIR"' EXIT
. "$ROOT/scripts/env/lib.sh"

# The drill verifies by counting the biggest table, as an operator's check would.
export EXECUTOR_RESTORE_COUNT_TABLES=public.pgbench_accounts
bash "$ROOT/scripts/stack.sh" up >/dev/null
echo "==> pgbench -i -s $SCALE"
PG_BIN="$(pg_bin)"
# As the superuser by peer on the primary's socket (make up allows no password-less TCP login).
as_pg "$PG_BIN/pgbench" -i -s "$SCALE" -q -h "$STACK_DIR/pg-demo/sock" -p "$DEMO_PG_PORT" -U postgres postgres >/dev/null 2>&1
size=$(as_pg "$PG_BIN/psql" -h "$STACK_DIR/pg-demo/sock" -p "$DEMO_PG_PORT" -U postgres -XAtc \
    "SELECT pg_size_pretty(pg_database_size('postgres'))")
echo "==> full backup of $size"
SCHEDULER_URL="http://127.0.0.1:$SCHEDULER_HTTP_PORT" HEALTH_URL="http://127.0.0.1:$HEALTH_HTTP_PORT" \
    bash "$ROOT/scripts/backup-health/run-backup.sh" full main

echo "==> cp -a of the data directory (page cache warm, as for the restore)"
sync
start=$(date +%s%N)
cp -a "$STACK_DIR/pg-demo/data" "$STACK_DIR/copy-of-data"
cp_seconds=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN {printf "%.2f", (b - a) / 1e9}')
rm -rf "$STACK_DIR/copy-of-data"

echo "==> test restore (drill): restore, start, replay, promote, verify, stop, remove"
out=$(KEEP=false SCHEDULER_URL="http://127.0.0.1:$SCHEDULER_HTTP_PORT" bash "$ROOT/scripts/backup-health/restore-backup.sh" latest)
echo "$out"
id=$(printf '%s' "$out" | sed -n 's/.*request \([0-9a-f-]*\)$/\1/p' | head -1)
status=$(curl -fsS "http://127.0.0.1:$SCHEDULER_HTTP_PORT/requests/$id")
r=$(printf '%s' "$status" | sed -n 's/.*"restoreSeconds":\([0-9.]*\).*/\1/p')
p=$(printf '%s' "$status" | sed -n 's/.*"replaySeconds":\([0-9.]*\).*/\1/p')
v=$(printf '%s' "$status" | sed -n 's/.*"verifySeconds":\([0-9.]*\).*/\1/p')
total=$(awk -v r="$r" -v p="$p" -v v="$v" 'BEGIN {printf "%.2f", r + p + v}')
echo "pgbackrest settings: $(grep -E '^(compress-type|process-max)=' "$STACK_DIR/pgbackrest/pgbackrest.conf" | paste -sd' ')"
echo "database: $size; cp -a: ${cp_seconds} s; drill: restore ${r} s + replay ${p} s + verify ${v} s = ${total} s"
echo "ratio drill / cp -a: $(awk -v t="$total" -v c="$cp_seconds" 'BEGIN {printf "%.2f", t / c}')"
