#!/usr/bin/env bash
# `make test-faults`: the fault suite (system-tests, JUnit): real faults on the stack of make up plus
# two database hosts in network namespaces, every request followed to its answers; it writes the
# table of docs/reliability.md (FAULTS_REPORT to write it elsewhere). This script only prepares the
# machine and launches the suite. Needs root (network namespaces).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. scripts/env/lib.sh
is_root || die "make test-faults needs root (network namespaces)"
bash scripts/env/prerequisites.sh faults
chmod o+x "${TMPDIR:-/tmp}"
# The services make up runs, built only when their sources changed since the last build.
STACK_DIR="$ROOT/target/build" bash scripts/stack.sh build
mvn -B -Psystem -pl system-tests verify -Dsystem.suite=faults
