#!/usr/bin/env bash
# The one definition of a PostgreSQL cluster of this project (make up's demo primary and state
# database, and the tests' database hosts): no trust anywhere; the superuser by peer on the socket,
# the pgbackrest role by peer for the postgres OS user, everyone else scram-sha-256 over TLS only.
# A cluster lives in DIR: DIR/data, DIR/sock (its socket), DIR/server.{pem,key} (its certificate).
#   postgres.sh init DIR PASSWORD_FILE           initdb, once (the superuser's password from the file)
#   postgres.sh configure DIR PORT TLS_DIR       authentication, TLS and the listen address, written at
#                                                every start; PG_CONF: more postgresql.conf lines
#   postgres.sh start DIR LOG                    pg_ctl start (PG_NETNS: inside that network namespace)
#   postgres.sh stop DIR [fast|immediate]
#   postgres.sh running DIR
#   postgres.sh sql DIR PORT DATABASE FILE [psql options]   an SQL file as the superuser, by peer;
#                                                PG_PWFILE: a password file the SQL reads as :pwfile
# PG_BIN: the binaries (default: the newest major installed). Runs PostgreSQL as postgres when root.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PG_BIN="$(pg_bin)"
[ -n "$PG_BIN" ] || die "no PostgreSQL installed (scripts/env/prerequisites.sh stack installs it)"

own() { if is_root; then chown -R postgres:postgres "$@"; fi; }
# As postgres, and inside network namespace PG_NETNS when one is given (a test's database host).
pg_exec() {
    if [ -n "${PG_NETNS:-}" ]; then ip netns exec "$PG_NETNS" runuser -u postgres -- "$@"; else as_pg "$@"; fi
}

# A copy of a secret file that the postgres OS user can read, in a private directory of its own;
# removed by the caller's trap.
readable_copy() { # readable_copy FILE -> path
    local dir; dir="$(mktemp -d /tmp/pgbackup-pw.XXXXXX)"
    install -m 600 /dev/null "$dir/pw"
    cat "$1" >"$dir/pw"
    own "$dir"; chmod 700 "$dir"
    printf '%s' "$dir/pw"
}

init() { # init DIR PASSWORD_FILE
    local dir=$1 pw
    mkdir -p "$dir/sock"; own "$dir"
    [ -f "$dir/data/PG_VERSION" ] && return 0
    pw="$(readable_copy "$2")"
    trap 'rm -rf "$(dirname "$pw")"' RETURN
    as_pg "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
        --pwfile="$pw" -E UTF8 >"$dir/initdb.log" 2>&1 || die "initdb in $dir failed: see $dir/initdb.log"
}

configure() { # configure DIR PORT TLS_DIR
    local dir=$1 port=$2 tls=$3
    install -m 600 "$tls/server.key" "$dir/server.key"
    install -m 644 "$tls/server.pem" "$dir/server.pem"
    own "$dir/server.key" "$dir/server.pem"
    as_pg tee "$dir/data/pg_hba.conf" >/dev/null <<EOF
# TYPE   DATABASE USER        ADDRESS        METHOD
local    all      postgres                   peer
local    all      pgbackrest                 peer map=pgbackrest
hostssl  all      all         127.0.0.1/32   scram-sha-256
EOF
    printf 'pgbackrest postgres pgbackrest\n' | as_pg tee "$dir/data/pg_ident.conf" >/dev/null
    as_pg tee "$dir/data/postgresql.auto.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/sock'
password_encryption = 'scram-sha-256'
ssl = on
ssl_cert_file = '$dir/server.pem'
ssl_key_file = '$dir/server.key'
${PG_CONF:-}
EOF
}

start() { # start DIR LOG
    touch "$2"; own "$2"; chmod 600 "$2"
    pg_exec "$PG_BIN/pg_ctl" -D "$1/data" -l "$2" -w -t 60 start >/dev/null \
        || die "PostgreSQL in $1 did not start: see $2"
}

stop() { # stop DIR [MODE]
    running "$1" || return 0
    as_pg "$PG_BIN/pg_ctl" -D "$1/data" -m "${2:-fast}" -w stop >/dev/null
}

running() { as_pg "$PG_BIN/pg_ctl" -D "$1/data" status >/dev/null 2>&1; }

sql() { # sql DIR PORT DATABASE FILE [psql options...]
    local dir=$1 port=$2 db=$3 file=$4 pw=/dev/null; shift 4
    if [ -n "${PG_PWFILE:-}" ]; then
        pw="$(readable_copy "$PG_PWFILE")"
        trap 'rm -rf "$(dirname "$pw")"' RETURN
    fi
    pg_exec psql -h "$dir/sock" -p "$port" -U postgres -d "$db" -XtAq -v ON_ERROR_STOP=1 \
        -v pwfile="$pw" "$@" -f - <"$file"
}

case "${1:-}" in
    init) init "$2" "$3" ;;
    configure) configure "$2" "$3" "$4" ;;
    start) start "$2" "$3" ;;
    stop) stop "$2" "${3:-fast}" ;;
    running) running "$2" ;;
    sql) shift; sql "$@" ;;
    *) die "usage: postgres.sh init|configure|start|stop|running|sql ... (see the file's head)" ;;
esac
