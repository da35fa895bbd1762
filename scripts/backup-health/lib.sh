# Sourced by the request scripts in this directory (not a command of its own).

# A shell string as a JSON string (backslashes and quotes escaped).
json_string() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }

# submit PATH BODY: POSTs BODY to the scheduler's PATH (/backups or /restores) and sets $id to
# the request id it answers with. Exits 3 when the scheduler cannot be reached, 2 when it
# refuses the request (its answer printed).
submit() {
    local answer code json
    if ! answer=$(curl -sS -H 'Content-Type: application/json' -d "$2" -w '\n%{http_code}' "$SCHEDULER_URL$1"); then
        echo "cannot reach the scheduler at $SCHEDULER_URL" >&2
        exit 3
    fi
    code="${answer##*$'\n'}"
    json="${answer%$'\n'*}"
    if [ "$code" != 202 ]; then
        echo "refused ($code): $json" >&2
        exit 2
    fi
    id=$(printf '%s' "$json" | sed -n 's/.*"requestId":"\([^"]*\)".*/\1/p')
}
