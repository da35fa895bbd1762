#!/bin/bash
# PostgreSQL 15 for the compose stack, as PGBACKUP_DB_ROLE says:
#   primary  the database that is backed up: archives WAL through pgbackrest into the shared
#            repository volume; /docker-entrypoint-backup-init.d/*.sh set up its side (the
#            pgbackrest role) at every start, idempotently.
#   state    the services' state database: one login and one database per service.
# Starts as root to prepare the volumes, the config and the roles (secrets are read here and go to
# psql through stdin), then runs PostgreSQL as postgres. No trust anywhere: peer on the socket,
# scram-sha-256 over the compose network.
set -euo pipefail
PGDATA="${PGDATA:-/var/lib/postgresql/data}"
role="${PGBACKUP_DB_ROLE:-primary}"
secrets=/run/pgbackup-secrets
export PGBACKUP_SECRETS="$secrets"
as_pg() { setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; }
export -f as_pg

[ "$(id -u)" = 0 ] || { echo "this entrypoint starts as root (it runs PostgreSQL as postgres)" >&2; exit 1; }
[ -s "$secrets/postgres-password" ] || { echo "$secrets/postgres-password is missing (the secrets-init service writes it)" >&2; exit 1; }
mkdir -p "$PGDATA" /var/run/postgresql
chown postgres:postgres "$PGDATA" /var/run/postgresql
chmod 700 "$PGDATA"
rm -f /var/run/postgresql/pgbackup-ready

if [ "$role" = primary ]; then
    /usr/local/share/pgbackup/pgbackrest/write-conf.sh
    chown postgres:postgres /var/lib/pgbackrest /var/log/pgbackrest /var/spool/pgbackrest
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    install -m 600 -o postgres /dev/null /tmp/pwfile
    cat "$secrets/postgres-password" >/tmp/pwfile
    as_pg initdb -D "$PGDATA" -U postgres --auth-local=peer --auth-host=scram-sha-256 --pwfile=/tmp/pwfile \
        -E UTF8 >/dev/null
    rm -f /tmp/pwfile
fi

# Written at every start: what this image promises, whatever an older volume had.
as_pg tee "$PGDATA/pg_hba.conf" >/dev/null <<HBA
# TYPE  DATABASE USER        ADDRESS   METHOD
local   all      postgres              peer
local   all      pgbackrest            peer map=pgbackrest
host    all      all         samenet   scram-sha-256
HBA
printf 'pgbackrest postgres pgbackrest\n' | as_pg tee "$PGDATA/pg_ident.conf" >/dev/null
grep -q "^include_if_exists = 'pgbackup.conf'" "$PGDATA/postgresql.conf" \
    || echo "include_if_exists = 'pgbackup.conf'" | as_pg tee -a "$PGDATA/postgresql.conf" >/dev/null
{
    echo "# Written by the container's entrypoint at every start."
    echo "listen_addresses = '*'"
    echo "unix_socket_directories = '/var/run/postgresql'"
    echo "password_encryption = 'scram-sha-256'"
    if [ "$role" = primary ]; then
        stanza="${PGBACKREST_STANZA:-main}"
        echo "wal_level = replica"
        echo "archive_mode = on"
        echo "archive_command = 'pgbackrest --stanza=$stanza archive-push %p'"
    fi
} | as_pg tee "$PGDATA/pgbackup.conf" >/dev/null

# Roles and passwords, on a server that only listens on its socket.
as_pg pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w -t 120 start >/dev/null
psql_su() { as_pg psql -h /var/run/postgresql -U postgres -d "${1:-postgres}" -XtAq -v ON_ERROR_STOP=1 -f -; }
# psql_sql FILE SECRET [psql options]: one of the project's SQL definitions (scripts/env/sql, the
# same make up and the tests run), its password read by psql from a copy of the secret that only
# postgres can read; passwords never become SQL text.
psql_sql() {
    local file=$1 secret=$2 pw; shift 2
    pw="$(mktemp -d /tmp/pgbackup-pw.XXXXXX)"
    install -m 600 -o postgres /dev/null "$pw/pw"
    cat "$secrets/$secret" >"$pw/pw"
    chown postgres "$pw"
    if ! as_pg psql -h /var/run/postgresql -U postgres -d postgres -XtAq -v ON_ERROR_STOP=1 -v pwfile="$pw/pw" "$@" \
        -f - <"/usr/local/share/pgbackup/env/sql/$file" >/dev/null; then
        rm -rf "$pw"
        echo "$file failed" >&2
        return 1
    fi
    rm -rf "$pw"
}
export -f psql_su psql_sql
export secrets
psql_sql superuser.sql postgres-password
if [ "$role" = primary ]; then
    for f in /docker-entrypoint-backup-init.d/*.sh; do
        [ -e "$f" ] || continue
        echo "running $f"
        bash "$f"
    done
else
    for db in ${STATE_DATABASES:-executor scheduler health notifier}; do
        [[ "$db" =~ ^[a-z][a-z0-9_]*$ ]] || { echo "invalid database name $db" >&2; exit 1; }
        psql_sql service-database.sql "db-$db-password" -v role="$db"
    done
fi
as_pg pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null

touch /var/run/postgresql/pgbackup-ready
exec setpriv --reuid=postgres --regid=postgres --init-groups -- postgres -D "$PGDATA"
