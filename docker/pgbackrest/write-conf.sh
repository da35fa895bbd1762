#!/bin/bash
# Writes the compose stack's /etc/pgbackrest/pgbackrest.conf at every start of the database and
# executor containers, with the project's one renderer (scripts/env/pgbackrest-conf.sh, copied into
# the image), so the stanza and the retention come from the environment (PGBACKREST_STANZA,
# RETENTION_FULL, RETENTION_DIFF) rather than the image. 0640 root:postgres: the repository's
# passphrase, read from the secrets volume, is in it. Run as root.
set -euo pipefail
render=/usr/local/share/pgbackup/env/pgbackrest-conf.sh
cipher_file=/run/pgbackup-secrets/repo1-cipher-pass
[ -s "$cipher_file" ] || { echo "$cipher_file is missing (the secrets-init service writes it)" >&2; exit 1; }
mkdir -p /etc/pgbackrest /tmp/pgbackrest
chown postgres:postgres /tmp/pgbackrest
conf=/etc/pgbackrest/pgbackrest.conf
install -m 640 -o root -g postgres /dev/null "$conf"
{
    PGBR_REPO1_PATH=/var/lib/pgbackrest PGBR_LOG_PATH=/var/log/pgbackrest PGBR_LOCK_PATH=/tmp/pgbackrest \
        PGBR_SPOOL_PATH=/var/spool/pgbackrest PGBR_RETENTION_FULL="${RETENTION_FULL:-7}" \
        PGBR_RETENTION_DIFF="${RETENTION_DIFF:-4}" PGBR_CIPHER_PASS_FILE="$cipher_file" bash "$render" global
    PGBR_STANZA="${PGBACKREST_STANZA:-main}" PGBR_PG_PATH=/var/lib/postgresql/data PGBR_PG_SOCKET=/var/run/postgresql \
        PGBR_PG_USER=pgbackrest bash "$render" stanza
} >"$conf"
