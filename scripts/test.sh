#!/usr/bin/env bash
# `make test`: every test against real components. Installs PostgreSQL 15, pgbackrest and
# Chromium (for the dashboard test) with apt when run as root; otherwise says what to install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

missing=()
[ -x "$PG_BIN/initdb" ] || missing+=(postgresql)
command -v pgbackrest >/dev/null || missing+=(pgbackrest)
command -v curl >/dev/null || missing+=(curl)
# The whole-system test reads and writes topics with kcat, as the README tells users to.
command -v kcat >/dev/null || missing+=(kcat)
# The dashboard test drives a real headless Chromium.
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "==> installing ${missing[*]} (apt)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "ERROR: missing ${missing[*]}: run  sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
fi
if [ "$(id -u)" = 0 ]; then
    # Test clusters live under java.io.tmpdir; the postgres user must be able to traverse it.
    chmod o+x "${TMPDIR:-/tmp}"
fi

# The whole-system test runs the packaged services while Maven runs the module tests beside it:
# most of both is waiting (for backups, timeouts, brokers), and on two cores the overlap is what
# keeps `make test` within ten minutes. It runs from a copy of the packages because `mvn verify`
# packages the modules again.
echo "==> packaging the services (tests follow)"
mvn -B -q package -DskipTests
mvn -B -q -f local/kafka/pom.xml dependency:resolve >/dev/null
APPS_DIR="$(mktemp -d /tmp/pgbackup-apps.XXXXXX)"
E2E_LOG="$APPS_DIR/e2e.log"
for s in scheduler executor health notifier; do
    mkdir -p "$APPS_DIR/$s-service"
    cp -a "$s-service/target/quarkus-app" "$APPS_DIR/$s-service/"
done
# The packages just built are what the next `make up` runs: no second build there either.
bash scripts/stack.sh mark-built

echo "==> whole-system test in the background (the make up stack on its own ports; log: $E2E_LOG)"
APPS_DIR="$APPS_DIR" bash scripts/e2e-test.sh >"$E2E_LOG" 2>&1 &
E2E_PID=$!
# Interrupted or failed: the whole-system test's own trap stops its stack.
trap 'kill "$E2E_PID" 2>/dev/null || true' INT TERM

echo "==> unit and service tests (real Kafka broker in the test JVM, real PostgreSQL, real pgbackrest)"
mvn_rc=0
mvn -B -T 2 verify || mvn_rc=$?

echo "==> waiting for the whole-system test"
e2e_rc=0
wait "$E2E_PID" || e2e_rc=$?
cat "$E2E_LOG"
rm -rf "$APPS_DIR"
[ "$mvn_rc" = 0 ] || { echo "ERROR: mvn verify failed (exit $mvn_rc)" >&2; exit 1; }
[ "$e2e_rc" = 0 ] || { echo "ERROR: the whole-system test failed (exit $e2e_rc)" >&2; exit 1; }
echo "==> all tests passed"
