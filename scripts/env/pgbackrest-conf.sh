#!/usr/bin/env bash
# The one pgbackrest.conf of this project: make up, the images and the tests render theirs here, so
# a setting every host shares is written once.
#   pgbackrest-conf.sh global    the [global] sections: repositories, paths, shared settings
#   pgbackrest-conf.sh stanza    one stanza's section
# Input in the environment, output on stdout. Every value becomes a line of a config file, so each
# is checked against an allowlist first. Secrets (passphrases, the offsite key) are read from the
# files named here and are never taken as values.
#
# global: PGBR_REPO1_PATH, PGBR_LOG_PATH, PGBR_LOCK_PATH, PGBR_SPOOL_PATH (absolute paths);
#   PGBR_RETENTION_FULL (7), PGBR_RETENTION_DIFF (4); PGBR_CIPHER_PASS_FILE (repo1 encrypted with
#   aes-256-cbc when given); PGBR_ARCHIVE_TIMEOUT (60 s); PGBR_ARCHIVE_ASYNC (n); PGBR_LOG_LEVEL_FILE
#   (detail); the offsite repository, repo2, when PGBR_REPO2=azure: PGBR_REPO2_ACCOUNT,
#   PGBR_REPO2_KEY_FILE, PGBR_REPO2_HOST, PGBR_REPO2_PORT, PGBR_REPO2_CA_FILE,
#   PGBR_REPO2_CIPHER_PASS_FILE, PGBR_REPO2_RETENTION_FULL (4); PGBR_EXTRA: more lines, as given
#   (the tests' own settings).
# stanza: PGBR_STANZA, PGBR_PG_PATH; PGBR_PG_PORT, PGBR_PG_SOCKET, PGBR_PG_USER when not the defaults.
set -euo pipefail

fail() { printf 'pgbackrest-conf.sh: %s\n' "$*" >&2; exit 2; }
path() { # path NAME [optional]: an absolute path without line breaks or spaces
    local v="${!1:-}"
    [ -n "$v" ] || { [ "${2:-}" = optional ] && return 0; fail "$1 is required"; }
    [[ "$v" =~ ^/[A-Za-z0-9._/+-]*$ ]] || fail "$1 '$v' is not an absolute path of letters, digits and ._/+-"
    printf '%s' "$v"
}
number() { # number NAME DEFAULT
    local v="${!1:-$2}"
    [[ "$v" =~ ^[1-9][0-9]{0,4}$ ]] || fail "$1 must be a positive number (got '$v')"
    printf '%s' "$v"
}
word() { # word NAME DEFAULT PATTERN
    local v="${!1:-$2}"
    [[ "$v" =~ ^($3)$ ]] || fail "$1 '$v' is not one of: $3"
    printf '%s' "$v"
}
secret() { # secret NAME: the content of the file NAME names (one line, no spaces)
    local f; f="$(path "$1")"
    [ -s "$f" ] || fail "$1: $f is missing or empty"
    local v; v="$(cat "$f")"
    [[ "$v" =~ ^[A-Za-z0-9+/=_-]+$ ]] || fail "$1: $f does not hold one base64 word"
    printf '%s' "$v"
}

global() {
    echo "[global]"
    if [ -n "${PGBR_CIPHER_PASS_FILE:-}" ]; then
        echo "repo1-cipher-type=aes-256-cbc"
        echo "repo1-cipher-pass=$(secret PGBR_CIPHER_PASS_FILE)"
    fi
    echo "repo1-path=$(path PGBR_REPO1_PATH)"
    echo "repo1-retention-full=$(number PGBR_RETENTION_FULL 7)"
    echo "repo1-retention-diff=$(number PGBR_RETENTION_DIFF 4)"
    echo "log-path=$(path PGBR_LOG_PATH)"
    echo "lock-path=$(path PGBR_LOCK_PATH)"
    echo "spool-path=$(path PGBR_SPOOL_PATH)"
    echo "log-level-console=info"
    echo "log-level-file=$(word PGBR_LOG_LEVEL_FILE detail 'off|error|warn|info|detail|debug')"
    echo "start-fast=y"
    echo "compress-type=zst"
    echo "process-max=2"
    echo "archive-timeout=$(number PGBR_ARCHIVE_TIMEOUT 60)"
    # A busy host pushes WAL in batches from an asynchronous process (needs the spool path).
    [ "$(word PGBR_ARCHIVE_ASYNC n 'y|n')" = n ] || echo "archive-async=y"
    case "${PGBR_REPO2:-none}" in
        none) ;;
        azure)
            local account
            account="$(word PGBR_REPO2_ACCOUNT '' '[a-z0-9]{3,24}')"
            echo "repo2-type=azure"
            echo "repo2-azure-account=$account"
            echo "repo2-azure-key=$(secret PGBR_REPO2_KEY_FILE)"
            echo "repo2-azure-container=pgbackrest"
            echo "repo2-azure-uri-style=path"
            # pgBackRest 2.45 matches the certificate by name only (not by IP address).
            echo "repo2-storage-host=$(word PGBR_REPO2_HOST localhost '[A-Za-z0-9.-]+')"
            echo "repo2-storage-port=$(number PGBR_REPO2_PORT 10000)"
            echo "repo2-storage-ca-file=$(path PGBR_REPO2_CA_FILE)"
            echo "repo2-path=/offsite"
            echo "repo2-cipher-type=aes-256-cbc"
            echo "repo2-cipher-pass=$(secret PGBR_REPO2_CIPHER_PASS_FILE)"
            echo "repo2-retention-full=$(number PGBR_REPO2_RETENTION_FULL 4)"
            ;;
        *) fail "PGBR_REPO2 '$PGBR_REPO2' is not none or azure" ;;
    esac
    [ -z "${PGBR_EXTRA:-}" ] || printf '%s\n' "$PGBR_EXTRA"
    echo
    echo "[global:archive-push]"
    # With two repositories a push fails when either does; a short timeout keeps an unreachable
    # offsite store from holding up archiving to repo1 for minutes per segment (pgBackRest retries).
    echo "io-timeout=5"
}

stanza() {
    local name="${PGBR_STANZA:-}"
    [[ "$name" =~ ^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$ ]] || fail "PGBR_STANZA '$name' is not a valid stanza name"
    echo
    echo "[$name]"
    echo "pg1-path=$(path PGBR_PG_PATH)"
    [ -z "${PGBR_PG_PORT:-}" ] || echo "pg1-port=$(number PGBR_PG_PORT 5432)"
    [ -z "${PGBR_PG_SOCKET:-}" ] || echo "pg1-socket-path=$(path PGBR_PG_SOCKET)"
    [ -z "${PGBR_PG_USER:-}" ] || echo "pg1-user=$(word PGBR_PG_USER '' '[a-z_][a-z0-9_]{0,62}')"
}

case "${1:-}" in
    global) global ;;
    stanza) stanza ;;
    *) fail "usage: pgbackrest-conf.sh global|stanza (settings in PGBR_* variables)" ;;
esac
