#!/bin/bash
# The compose stack's secrets, in the "secrets" volume (mounted read-only by every other service at
# /run/pgbackup-secrets): generated once, or written from POSTGRES_PASSWORD, BACKUP_ROLE_PASSWORD,
# SLACK_WEBHOOK_URL and QUARKUS_MAILER_PASSWORD when this one-shot service is given them. Each file
# is 0400 and owned by the one user that reads it; no other service gets a secret in its environment.
set -euo pipefail
dir=/run/pgbackup-secrets
umask 077
mkdir -p "$dir"
chmod 755 "$dir"
pg_uid=$(id -u postgres)
# The services' users (their Dockerfiles create them with these uids).
scheduler_uid=10001 health_uid=10002 notifier_uid=10003

put() { # put NAME OWNER [GIVEN]: generated when absent, replaced when GIVEN is set
    local f="$dir/$1"
    if [ -n "${3:-}" ]; then
        printf '%s' "$3" >"$f.new" && mv "$f.new" "$f"
    elif [ ! -s "$f" ]; then
        head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=' >"$f.new" && mv "$f.new" "$f"
    fi
    chown "$2" "$f"
    chmod 400 "$f"
}

put postgres-password "$pg_uid" "${POSTGRES_PASSWORD:-}"
put pgbackrest-password "$pg_uid" "${BACKUP_ROLE_PASSWORD:-}"
# Never replaced: the repository cannot be read without the passphrase it was made with.
[ -s "$dir/repo1-cipher-pass" ] || head -c 48 /dev/urandom | base64 -w0 >"$dir/repo1-cipher-pass"
chown "$pg_uid" "$dir/repo1-cipher-pass"; chmod 400 "$dir/repo1-cipher-pass"
put db-executor-password "$pg_uid"
put db-scheduler-password "$scheduler_uid"
put db-health-password "$health_uid"
put db-notifier-password "$notifier_uid"
# The operator's bearer token for the scheduler's REST writes (run-backup.sh reads it in the
# backup-scheduler container; host scripts read it through docker compose exec).
put api-token "$scheduler_uid"
if [ -n "${SLACK_WEBHOOK_URL:-}" ]; then put slack-webhook-url "$notifier_uid" "$SLACK_WEBHOOK_URL"; fi
if [ -n "${QUARKUS_MAILER_PASSWORD:-}" ]; then put smtp-password "$notifier_uid" "$QUARKUS_MAILER_PASSWORD"; fi
echo "secrets ready in $dir"
