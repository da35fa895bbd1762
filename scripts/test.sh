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

echo "==> unit and service tests (real Kafka broker in the test JVM, real PostgreSQL, real pgbackrest)"
mvn -B verify

echo "==> whole-system test (the make up stack on its own ports)"
bash scripts/e2e-test.sh
