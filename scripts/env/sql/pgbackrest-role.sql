-- The pgbackrest role on a primary: a login that is no superuser, with only what pgBackRest calls
-- on PostgreSQL (backup full/diff/incr, check, stanza-create; archive-push, expire, verify, info
-- and restore never connect). make up, the database image and the test hosts all run this file:
--   psql -v ON_ERROR_STOP=1 -v pwfile=FILE -f pgbackrest-role.sql   (FILE holds the password)
-- Idempotent: run at every start.
\set pw `cat :'pwfile'`
SELECT 'CREATE ROLE pgbackrest LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pgbackrest')\gexec
ALTER ROLE pgbackrest NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION LOGIN PASSWORD :'pw';
GRANT pg_read_all_settings TO pgbackrest;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_backup_start(text, boolean) TO pgbackrest;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_backup_stop(boolean) TO pgbackrest;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_switch_wal() TO pgbackrest;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_create_restore_point(text) TO pgbackrest;
-- The executor's status report counts .ready files with pg_ls_archive_statusdir() (pg_monitor's).
GRANT pg_monitor TO pgbackrest;
