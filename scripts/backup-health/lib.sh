# Sourced by the request scripts in this directory (not a command of its own).

# A shell string as a JSON string (backslashes and quotes escaped).
json_string() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }

# The operator's bearer token, from the stack the scripts talk to: API_TOKEN_FILE when given; else
# the compose stack's (its secrets volume, read in its backup-scheduler container; COMPOSE_PROJECT,
# default pgbackup) when that stack runs here; else make up's ($STACK_DIR/api-token, .local by
# default). A compose stack is never sent make up's token.
auth_header() {
    local token=""
    if [ -n "${API_TOKEN_FILE:-}" ]; then
        [ -r "$API_TOKEN_FILE" ] || { echo "cannot read the API token file $API_TOKEN_FILE" >&2; return 1; }
        token="$(cat "$API_TOKEN_FILE")"
    elif [ -n "$(compose_service_container backup-scheduler)" ]; then
        token="$(compose_token)" || { echo "cannot read the compose stack's API token" >&2; return 1; }
    else
        local local_token="${STACK_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.local}/api-token"
        [ -r "$local_token" ] || { echo "no API token: set API_TOKEN_FILE (make up writes .local/api-token)" >&2; return 1; }
        token="$(cat "$local_token")"
    fi
    printf 'Authorization: Bearer %s\n' "$token"
}

compose_token() {
    local c
    c="$(compose_service_container backup-scheduler)" && [ -n "$c" ] || return 1
    docker exec "$c" cat /run/pgbackup-secrets/api-token 2>/dev/null
}

# compose_service_container SERVICE: the running container of the compose stack's SERVICE here
# (COMPOSE_PROJECT, default pgbackup); nothing when Docker or the stack is absent.
compose_service_container() {
    command -v docker >/dev/null 2>&1 || return 0
    docker ps -q --filter "label=com.docker.compose.project=${COMPOSE_PROJECT:-pgbackup}" \
        --filter "label=com.docker.compose.service=$1" 2>/dev/null | head -1
}

# submit PATH BODY: POSTs BODY to the scheduler's PATH (/backups or /restores) and sets $id to
# the request id it answers with. Exits 3 when the scheduler cannot be reached, 2 when it
# refuses the request (its answer printed).
submit() {
    local answer code json
    auth_header >/dev/null || exit 2
    if ! answer=$(curl -sS -H @<(auth_header) -H 'Content-Type: application/json' -d "$2" -w '\n%{http_code}' "$SCHEDULER_URL$1"); then
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
