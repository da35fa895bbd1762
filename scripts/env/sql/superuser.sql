-- The superuser's password, read from the file in psql's variable pwfile, so that no password is
-- ever part of an SQL text someone typed or a command line: psql -v pwfile=FILE -f superuser.sql
\set pw `cat :'pwfile'`
ALTER ROLE postgres PASSWORD :'pw';
