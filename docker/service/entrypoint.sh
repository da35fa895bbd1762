#!/bin/bash
# Starts one service ($SERVICE) of the compose stack. Its secret settings (state database login,
# and the executor's primary login, the notifier's webhook and SMTP password) are read from the
# secrets volume into config/application.properties of its working directory (0600), where Quarkus
# reads them: no secret in its environment or argument list. The executor's image starts this as
# root (EXECUTOR_RUN_AS=postgres): it writes pgbackrest.conf first, then runs as postgres.
set -euo pipefail
secrets=/run/pgbackup-secrets
stanza="${PGBACKREST_STANZA:-main}"
[[ "$stanza" =~ ^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$ ]] || { echo "PGBACKREST_STANZA '$stanza' is not a valid stanza name" >&2; exit 1; }

if [ "$(id -u)" = 0 ] && [ -n "${EXECUTOR_RUN_AS:-}" ]; then
    /usr/local/share/pgbackup/pgbackrest/write-conf.sh
    mkdir -p /var/lib/pgbackup /var/log/pgbackrest /var/spool/pgbackrest "${EXECUTOR_RESTORE_SCRATCH_ROOT:-/var/lib/pgbackup/restore}"
    chown "$EXECUTOR_RUN_AS" /var/lib/pgbackup /var/log/pgbackrest /var/spool/pgbackrest \
        "${EXECUTOR_RESTORE_SCRATCH_ROOT:-/var/lib/pgbackup/restore}"
    exec setpriv --reuid="$EXECUTOR_RUN_AS" --regid="$EXECUTOR_RUN_AS" --init-groups -- env -u EXECUTOR_RUN_AS HOME=/var/lib/pgbackup "$0" "$@"
fi

cd /var/lib/pgbackup
mkdir -p config
umask 077
props=config/application.properties
{
    printf 'quarkus.datasource.username=%s\n' "$SERVICE"
    printf 'quarkus.datasource.password=%s\n' "$(cat "$secrets/db-$SERVICE-password")"
    case "$SERVICE" in
        executor)
            printf 'executor.primary."%s".jdbc-url=%s\n' "$stanza" "${EXECUTOR_PRIMARY_JDBC_URL:?}"
            printf 'executor.primary."%s".user=pgbackrest\n' "$stanza"
            printf 'executor.primary."%s".password=%s\n' "$stanza" "$(cat "$secrets/pgbackrest-password")" ;;
        notifier)
            [ ! -s "$secrets/slack-webhook-url" ] || printf 'notifier.slack.webhook-url=%s\n' "$(cat "$secrets/slack-webhook-url")"
            [ ! -s "$secrets/smtp-password" ] || printf 'quarkus.mailer.password=%s\n' "$(cat "$secrets/smtp-password")" ;;
    esac
} >"$props.new"
mv "$props.new" "$props"
# JAVA_BASE_OPTS (the image's) size the JVM for a small service that mostly waits; JAVA_OPTS (the
# heap, per service in docker-compose.backups.yml) come after and win. The CDS archive when the
# JVM can use it.
exec java -XX:SharedArchiveFile=/app/app-cds.jsa -Xshare:auto ${JAVA_BASE_OPTS:-} ${JAVA_OPTS:-} -jar /app/quarkus-run.jar "$@"
