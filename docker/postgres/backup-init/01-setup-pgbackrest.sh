#!/bin/bash
# The database side of the backups, run by the primary's entrypoint at every start while PostgreSQL
# listens only on its socket: the pgbackrest role, as scripts/env/sql/pgbackrest-role.sql defines it
# for make up and the tests too, its password from the secrets volume (psql_sql: the entrypoint's).
# Archiving itself is set in pgbackup.conf by the entrypoint (archive_command for PGBACKREST_STANZA).
set -euo pipefail
psql_sql pgbackrest-role.sql pgbackrest-password
