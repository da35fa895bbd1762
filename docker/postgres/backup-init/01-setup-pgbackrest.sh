#!/bin/bash
# The database side of the backups, run by the primary's entrypoint at every start while PostgreSQL
# listens only on its socket (psql_su: the superuser by peer, SQL through stdin; sql_secret NAME:
# a file of the secrets volume as an SQL string literal).
# The pgbackrest role: a login that is not a superuser, with only what pgBackRest 2.45 calls on
# PostgreSQL 15 (as in make up); its password from the secrets volume. Archiving itself is set in
# pgbackup.conf by the entrypoint (archive_command for PGBACKREST_STANZA).
set -euo pipefail
psql_su <<SQL
SELECT 'CREATE ROLE pgbackrest LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pgbackrest')\gexec
ALTER ROLE pgbackrest NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION LOGIN PASSWORD $(sql_secret pgbackrest-password);
GRANT pg_read_all_settings TO pgbackrest;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_backup_start(text, boolean) TO pgbackrest;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_backup_stop(boolean) TO pgbackrest;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_switch_wal() TO pgbackrest;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_create_restore_point(text) TO pgbackrest;
GRANT pg_monitor TO pgbackrest;
SQL
