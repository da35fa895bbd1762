#!/usr/bin/env bash
# The one list of what this project needs on a Debian machine, and its installation:
#   prerequisites.sh stack|test|faults|compose|ci ...
#     stack   make up: PostgreSQL, pgbackrest, curl, openssl, Node.js/npm (Azurite, the offsite store)
#     test    make test: the stack's, kcat (the README's client, run by the whole-system tests),
#             Chromium and its driver (the dashboard's browser test)
#     faults  make test-faults: the stack's, kcat and iproute2 (database hosts in network namespaces)
#     compose make compose-test: a container engine (Debian's docker.io and docker-compose),
#             debootstrap (the base image when no registry has it), kcat
#     ci      all of them
# As root it installs what is missing with apt; as another user it prints the apt-get line and
# fails. A JDK (17 or newer) and Maven must be there already: they are how the project is built.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# package -> the test that says it is installed
installed() {
    case "$1" in
        postgresql) [ -n "$(pg_bin)" ] ;;
        iproute2) command -v ip >/dev/null ;;
        # A Node.js from elsewhere (NodeSource's) brings its own npm, which Debian's npm conflicts with.
        nodejs) command -v node >/dev/null ;;
        npm) command -v npm >/dev/null ;;
        chromium) [ -x /usr/bin/chromium ] ;;
        chromium-driver) [ -x /usr/bin/chromedriver ] ;;
        # A docker client alone (some machines have one) is no engine.
        docker.io) command -v dockerd >/dev/null ;;
        *) command -v "$1" >/dev/null ;;
    esac
}

packages_for() {
    case "$1" in
        stack) echo postgresql pgbackrest curl openssl nodejs npm ;;
        test) packages_for stack; echo kcat chromium chromium-driver ;;
        faults) packages_for stack; echo kcat iproute2 ;;
        compose) echo docker.io docker-compose debootstrap kcat ;;
        ci) packages_for test; packages_for faults; packages_for compose ;;
        *) die "usage: $0 stack|test|faults|compose|ci ..." ;;
    esac
}

[ $# -gt 0 ] || die "usage: $0 stack|test|faults|compose|ci ..."
command -v java >/dev/null || die "a JDK (17 or newer) is required"
command -v mvn >/dev/null || die "Maven is required"

missing=()
for p in $(for what in "$@"; do packages_for "$what"; done | tr ' ' '\n' | awk 'NF && !seen[$0]++'); do
    installed "$p" || missing+=("$p")
done
[ ${#missing[@]} -gt 0 ] || exit 0
if ! is_root; then
    die "missing ${missing[*]}: run  sudo apt-get install -y ${missing[*]}  and try again"
fi
say "installing ${missing[*]} (apt)"
log="$(mktemp /tmp/pgbackup-apt.XXXXXX.log)"
{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >"$log" 2>&1 \
    || { tail -20 "$log" >&2; die "apt-get install ${missing[*]} failed (log: $log)"; }
rm -f "$log"
if [[ " ${missing[*]} " == *" postgresql "* ]] && [ -z "$(pg_bin)" ]; then
    die "PostgreSQL was installed but no /usr/lib/postgresql/<major>/bin/initdb is there"
fi
