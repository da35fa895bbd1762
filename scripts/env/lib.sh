# Sourced, not run: the shell helpers every script of this project shares (make up, make test,
# the benchmarks, the compose scripts).

say() { printf '==> %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# PostgreSQL and pgbackrest refuse to run as root: as root, run them as postgres.
as_pg() {
    if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
    local seconds=$1 what=$2; shift 2
    local deadline=$((SECONDS + seconds))
    until "$@"; do
        [ $SECONDS -lt $deadline ] || die "timed out after ${seconds}s waiting for $what${LOG_DIR:+ (logs: $LOG_DIR)}"
        sleep 0.5
    done
}

# The PostgreSQL binaries: PG_BIN when given, else those of the newest major installed (Debian
# installs each major under /usr/lib/postgresql/<major>/bin). Prints nothing when none is installed.
pg_bin() {
    if [ -n "${PG_BIN:-}" ]; then printf '%s' "$PG_BIN"; return; fi
    local major
    major="$(ls /usr/lib/postgresql 2>/dev/null | grep -E '^[0-9]+$' | sort -n | while read -r m; do
        [ -x "/usr/lib/postgresql/$m/bin/initdb" ] && echo "$m"; done | tail -1)"
    [ -z "$major" ] || printf '/usr/lib/postgresql/%s/bin' "$major"
}
