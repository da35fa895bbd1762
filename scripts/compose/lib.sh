# Sourced by the compose scripts: compose CMD... runs Docker Compose on docker-compose.backups.yml.
ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
COMPOSE_YML="$ROOT/docker-compose.backups.yml"
# The classic builder: Debian's dockerd 20.10 with a newer docker client would ask for buildx.
export DOCKER_BUILDKIT="${DOCKER_BUILDKIT:-0}" COMPOSE_DOCKER_CLI_BUILD="${COMPOSE_DOCKER_CLI_BUILD:-0}"

compose_project() { sed -n 's/^name: *//p' "$COMPOSE_YML"; }

compose() {
    if docker compose version >/dev/null 2>&1; then
        docker compose -f "$COMPOSE_YML" "$@"
        return
    fi
    # Debian's docker-compose 1.29 predates the top-level name: the same project name through -p,
    # on a copy of the file without that line (and the same project directory).
    local v1="$ROOT/target/compose/docker-compose.v1.yml"
    mkdir -p "$(dirname "$v1")"
    sed '/^name:/d' "$COMPOSE_YML" >"$v1"
    docker-compose --project-directory "$ROOT" -p "$(compose_project)" -f "$v1" "$@"
}

# The container of a compose service (whichever Compose named it).
compose_container() {
    docker ps -q --filter "label=com.docker.compose.project=$(compose_project)" \
        --filter "label=com.docker.compose.service=$1" | head -1
}
