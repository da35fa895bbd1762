#!/usr/bin/env bash
# `make test`: every test against real components. Installs what the tests need with apt when run
# as root (scripts/env/prerequisites.sh test); otherwise says what to install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. scripts/env/lib.sh

bash scripts/env/prerequisites.sh test
if is_root; then
    # Test clusters live under java.io.tmpdir; the postgres user must be able to traverse it.
    chmod o+x "${TMPDIR:-/tmp}"
fi

# The modules, built and installed once (skipped when make up already built these sources): the
# whole-system suite runs the packaged services while Maven runs the module tests beside it. Most of
# both is waiting (for backups, timeouts, brokers), and on two cores the overlap is what keeps make
# test within ten minutes. The suite runs from a copy of the packages because mvn verify packages
# the modules again.
STACK_DIR="$ROOT/target/build" bash scripts/stack.sh build
APPS_DIR="$(mktemp -d /tmp/pgbackup-apps.XXXXXX)"
SYSTEM_LOG="$APPS_DIR/system-tests.log"
for s in scheduler executor health notifier; do
    mkdir -p "$APPS_DIR/$s-service"
    cp -a "$s-service/target/quarkus-app" "$APPS_DIR/$s-service/"
done

say "whole-system suite in the background (system-tests: make up's stack on its own ports; log: $SYSTEM_LOG)"
mvn -B -Psystem -pl system-tests verify -Dsystem.suite=whole -Dsystem.apps="$APPS_DIR" >"$SYSTEM_LOG" 2>&1 &
SYSTEM_PID=$!
# Interrupted: the suite's JVM stops its stack on exit.
trap 'kill "$SYSTEM_PID" 2>/dev/null || true' INT TERM

say "unit and service tests in two lanes (real Kafka broker in the test JVM, real PostgreSQL, real pgbackrest)"
# Two Mavens side by side, each running its modules' tests one after the other; the modules they
# use come from the install above, so no lane waits for another module's tests (in one reactor
# every service waited for the platform's). The lanes are balanced by their measured times
# (docs/benchmarks.md). The services were packaged by the build above from these very sources:
# not again (quarkus.build.skip).
lane() { # lane NAME MODULES
    mvn -B -pl "$2" verify -Dquarkus.build.skip=true >"$APPS_DIR/$1.log" 2>&1
}
lane lane-1 executor-service,scheduler-service &
LANE1=$!
lane lane-2 shared-events,test-support,platform,health-service,notifier-service &
LANE2=$!
trap 'kill "$SYSTEM_PID" "$LANE1" "$LANE2" 2>/dev/null || true' INT TERM
mvn_rc=0
for pid in "$LANE1" "$LANE2"; do wait "$pid" || mvn_rc=$?; done
for l in lane-1 lane-2; do
    grep -E 'Tests run:|BUILD|ERROR\]' "$APPS_DIR/$l.log" | grep -v '^\[INFO\] *$' | tail -40 || true
    grep -q 'BUILD SUCCESS' "$APPS_DIR/$l.log" || { echo "--- $l failed; its log:"; tail -300 "$APPS_DIR/$l.log"; }
done

say "waiting for the whole-system suite"
system_rc=0
wait "$SYSTEM_PID" || system_rc=$?
grep -E 'Tests run:|FAIL|ERROR|expected' "$SYSTEM_LOG" | grep -v '^\[INFO\] *$' | tail -60 || true
[ "$system_rc" = 0 ] || tail -200 "$SYSTEM_LOG"
rm -rf "$APPS_DIR"
[ "$mvn_rc" = 0 ] || die "the module tests failed (exit $mvn_rc; the failing lane's log is above)"
[ "$system_rc" = 0 ] || die "the whole-system suite failed (exit $system_rc; its report is above)"
say "all tests passed"
