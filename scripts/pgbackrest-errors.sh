#!/usr/bin/env bash
# Writes one pgBackRest release's error list in the form shared-events loads, from that release's
# own src/build/error/error.yaml, so the list follows pgBackRest instead of being typed by hand.
#
#   scripts/pgbackrest-errors.sh 2.55.1 path/to/error.yaml \
#       > shared-events/src/main/resources/io/pgbackup/events/pgbackrest/errors-2.55.1.txt
#
# error.yaml is in pgBackRest's source of the release: its repository at tag release/<version>, or
# the source package of a distribution that ships it (`apt-get source pgbackrest`). Only the code
# and the key of each error are kept; pgBackRest's name is derived from the key as its own build
# does (db-connect: DbConnectError). A line it does not understand fails the run rather than being
# skipped, so a change of format cannot silently drop codes.
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 RELEASE ERROR_YAML" >&2
    exit 2
fi
release=$1
yaml=$2

list=$(awk '
    function fail(why) { printf "%s:%d: %s: %s\n", FILENAME, FNR, why, $0 > "/dev/stderr"; failed = 1; exit 1 }
    function close_entry() { if (entry != "" && !coded) fail("no code for " entry); entry = ""; coded = 0 }
    /^[ \t]*(#|$)/ { next }
    # key: code
    /^[a-z][a-z0-9-]*:[ \t]*[0-9]+[ \t]*$/ {
        close_entry()
        split($0, kv, /:[ \t]*/)
        print kv[2] + 0, kv[1]
        next
    }
    # key: with indented attributes below it, one of them its code
    /^[a-z][a-z0-9-]*:[ \t]*$/ {
        close_entry()
        entry = $0; sub(/:[ \t]*$/, "", entry)
        next
    }
    /^[ \t]+code:[ \t]*[0-9]+[ \t]*$/ {
        if (entry == "" || coded) fail("a code outside an error")
        value = $0; sub(/^[ \t]+code:[ \t]*/, "", value)
        print value + 0, entry; coded = 1
        next
    }
    /^[ \t]+[a-z]+:[ \t]*[^ \t]+[ \t]*$/ {
        if (entry == "") fail("an attribute outside an error")
        next
    }
    { fail("not understood") }
    END { if (!failed) close_entry() }
' "$yaml" | sort -n -k1,1)

# One code with two keys would make the list ambiguous.
dups=$(printf '%s\n' "$list" | awk '{ print $1 }' | uniq -d)
if [ -n "$dups" ]; then
    echo "$yaml: codes defined twice: $dups" >&2
    exit 1
fi

cat <<EOF
# pgBackRest $release's error list: the code and the key of every entry of src/build/error/error.yaml
# in pgBackRest's source of release $release (pgBackRest: MIT licence, copyright David Steele and
# the PostgreSQL Global Development Group). Written by scripts/pgbackrest-errors.sh; not edited by hand.
EOF
printf '%s\n' "$list"
