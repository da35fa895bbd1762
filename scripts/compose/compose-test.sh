#!/usr/bin/env bash
# `make compose-test`: the seed's container Quick Start, run for real. Prepares the machine (a
# container engine started when none runs, debian:bookworm-slim made locally when no registry gives
# it, every image built), then launches the compose suite (system-tests, JUnit with Testcontainers),
# then removes what it made (stacks, volumes, images, and the engine if it started one).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
LOG="$ROOT/target/compose/logs"
mkdir -p "$LOG"
T0=$SECONDS
say() { printf '==> %s\n' "$*"; }

cleanup() {
    say "cleanup: images and what the suite left"
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

say "the compose suite (system-tests, Testcontainers)"
rc=0
mvn -B -Psystem -pl system-tests verify -Dsystem.suite=compose || rc=$?
echo "compose-test: images $((T_IMAGES > 0 ? SECONDS - T_IMAGES : 0))s after the engine, all $((SECONDS - T0))s"
exit "$rc"
