#!/bin/bash
# Renders pgbackrest.conf (beside this script) into /etc/pgbackrest/pgbackrest.conf, 0640
# root:postgres: the repository's passphrase is in it. Run as root at every container start.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
stanza="${PGBACKREST_STANZA:-main}"
full="${RETENTION_FULL:-7}"
diff="${RETENTION_DIFF:-4}"
# Allowlists: these values become lines of a config file.
[[ "$stanza" =~ ^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$ ]] || { echo "PGBACKREST_STANZA '$stanza' is not a valid stanza name" >&2; exit 1; }
[[ "$full" =~ ^[1-9][0-9]{0,3}$ ]] || { echo "RETENTION_FULL must be a number (got '$full')" >&2; exit 1; }
[[ "$diff" =~ ^[1-9][0-9]{0,3}$ ]] || { echo "RETENTION_DIFF must be a number (got '$diff')" >&2; exit 1; }
cipher_file=/run/pgbackup-secrets/repo1-cipher-pass
[ -s "$cipher_file" ] || { echo "$cipher_file is missing (the secrets-init service writes it)" >&2; exit 1; }
mkdir -p /etc/pgbackrest /tmp/pgbackrest
chown postgres:postgres /tmp/pgbackrest
conf=/etc/pgbackrest/pgbackrest.conf
install -m 640 -o root -g postgres /dev/null "$conf"
# The passphrase is base64 (no sed metacharacters but /, which this sed does not use as delimiter).
sed -e "s|@PGBACKREST_STANZA@|$stanza|" -e "s|@RETENTION_FULL@|$full|" -e "s|@RETENTION_DIFF@|$diff|" \
    -e "s|@CIPHER_PASS@|$(cat "$cipher_file")|" "$here/pgbackrest.conf" >"$conf"
