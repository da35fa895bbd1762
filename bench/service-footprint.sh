#!/usr/bin/env bash
# Per-service memory and time to ready, in the compose stack (root; the images of make images).
#   bench/service-footprint.sh [RUNS]
# Brings the stack up (infrastructure first), then:
#   alone:    each service stopped and started on its own, RUNS times: seconds from `docker start`
#             to /q/health/ready answering 200 (polled every 100 ms from this host), and its
#             JVM's RSS once ready and after a minute of running;
#   together: the four stopped and started at once, as `up` does: each one's time to ready.
# Prints one table; copy it to docs/benchmarks.md. Leaves the stack down (-v).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/compose/lib.sh"
RUNS="${1:-3}"
SERVICES=(executor backup-scheduler health notifier)
declare -A PORT=([executor]=8081 [backup-scheduler]=8082 [health]=8080 [notifier]=8083)

compose up -d >/dev/null 2>&1
for s in "${SERVICES[@]}"; do
    until [ "$(docker inspect -f '{{.State.Health.Status}}' "$(compose_container "$s")")" = healthy ]; do sleep 1; done
done

rss_mb() { docker exec "$(compose_container "$1")" awk '/VmRSS/ {printf "%d", $2/1024}' /proc/1/status; }
# ready_after NAME START_NS: seconds from START_NS until NAME's readiness answers 200, polled from
# this host at the container's address every 100 ms (a docker exec per poll would itself slow the
# start it measures on two cores).
ready_after() {
    local ip
    until ip="$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$(compose_container "$1")" 2>/dev/null)" \
        && [ -n "$ip" ] && curl -fsS -o /dev/null --max-time 1 "http://$ip:${PORT[$1]}/q/health/ready" 2>/dev/null; do
        sleep 0.1
    done
    awk -v a="$2" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'
}

echo "| service | ready alone (s), $RUNS runs | RSS ready (MB) | RSS after 60 s (MB) | ready, all four at once (s) |"
echo "|---|---|---|---|---|"
declare -A ALONE RSS0 RSS1 TOGETHER
for s in "${SERVICES[@]}"; do
    times=""
    for r in $(seq 1 "$RUNS"); do
        compose stop "$s" >/dev/null 2>&1
        t=$(date +%s%N); compose start "$s" >/dev/null 2>&1
        times="$times $(ready_after "$s" "$t")"
    done
    ALONE[$s]="${times# }"
    RSS0[$s]="$(rss_mb "$s")"
done
sleep 60
for s in "${SERVICES[@]}"; do RSS1[$s]="$(rss_mb "$s")"; done
compose stop "${SERVICES[@]}" >/dev/null 2>&1
t=$(date +%s%N); compose start "${SERVICES[@]}" >/dev/null 2>&1
for s in "${SERVICES[@]}"; do TOGETHER[$s]="$(ready_after "$s" "$t")"; done
for s in "${SERVICES[@]}"; do
    echo "| $s | ${ALONE[$s]} | ${RSS0[$s]} | ${RSS1[$s]} | ${TOGETHER[$s]} |"
done
compose down -v >/dev/null 2>&1
