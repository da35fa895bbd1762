#!/usr/bin/env bash
# A container engine for `make compose-test` on a machine that has none running (root):
#   engine.sh start       install docker.io + docker-compose when missing, start dockerd unless an
#                         engine answers already; prints nothing else. Records what it started.
#   engine.sh base-image  make debian:bookworm-slim locally (debootstrap) when no registry gives it
#   engine.sh stop        stop the dockerd this script started and remove what it left (docker0)
# State: $ENGINE_STATE (default /tmp/pgbackup-engine).
set -euo pipefail
ENGINE_STATE="${ENGINE_STATE:-/tmp/pgbackup-engine}"
BASE_IMAGE="${BASE_IMAGE:-debian:bookworm-slim}"
mkdir -p "$ENGINE_STATE"

need_root() {
    [ "$(id -u)" = 0 ] || { echo "ERROR: $1 needs root (or a running Docker engine you can use)" >&2; exit 1; }
}

answers() { docker info >/dev/null 2>&1; }

start() {
    # The docker 28.x client found on some machines asks for buildx with BuildKit: the classic
    # builder works with Debian's dockerd 20.10 and docker-compose 1.29.
    if answers; then
        echo "==> a container engine answers already ($(docker version -f '{{.Server.Version}}' 2>/dev/null))"
        return
    fi
    need_root "starting a container engine"
    bash "$(dirname "${BASH_SOURCE[0]}")/../env/prerequisites.sh" compose
    # dockerd adds its chains and sets FORWARD to DROP: put the firewall back as it was at stop.
    if command -v iptables-save >/dev/null; then
        iptables-save >"$ENGINE_STATE/iptables.before" 2>/dev/null || rm -f "$ENGINE_STATE/iptables.before"
    fi
    echo "==> starting dockerd (log: $ENGINE_STATE/dockerd.log)"
    # No systemd here: dockerd runs in the background until `engine.sh stop`.
    nohup dockerd --data-root "$ENGINE_STATE/data" --exec-root "$ENGINE_STATE/exec" \
        --pidfile "$ENGINE_STATE/dockerd.pid" >"$ENGINE_STATE/dockerd.log" 2>&1 &
    echo $! >"$ENGINE_STATE/started"
    local i
    for i in $(seq 1 60); do
        answers && { echo "==> dockerd $(docker version -f '{{.Server.Version}}') up"; return; }
        kill -0 "$(cat "$ENGINE_STATE/started")" 2>/dev/null || break
        sleep 1
    done
    echo "ERROR: dockerd did not answer; its log:" >&2
    tail -20 "$ENGINE_STATE/dockerd.log" >&2
    exit 1
}

base_image() {
    if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
        echo "==> $BASE_IMAGE present"
        return
    fi
    if docker pull -q "$BASE_IMAGE" >/dev/null 2>&1; then
        echo "==> $BASE_IMAGE pulled"
        return
    fi
    need_root "debootstrap"
    command -v debootstrap >/dev/null || {
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
    }
    # No registry: Debian's own minimal bookworm, from the mirror this machine's apt uses, with
    # the security suite too so its packages are the versions `make up` runs.
    local mirror security root
    mirror=$(grep -rhoE 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
        | head -1 | tr -d ' ' || true)
    mirror="${mirror:-http://deb.debian.org/debian}"
    mirror="${mirror%/}"
    security="${mirror%/debian}/debian-security"
    root="$ENGINE_STATE/rootfs"
    rm -rf "$root"
    echo "==> debootstrap bookworm from $mirror (no registry reachable for $BASE_IMAGE)"
    debootstrap --variant=minbase bookworm "$root" "$mirror" >"$ENGINE_STATE/debootstrap.log" 2>&1 \
        || { tail -20 "$ENGINE_STATE/debootstrap.log" >&2; exit 1; }
    cat >"$root/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
SOURCES
    # As the official slim image: no docs, man pages or translations from later installs, and no
    # downloaded packages or apt caches left in a layer.
    cat >"$root/etc/dpkg/dpkg.cfg.d/docker-slim" <<'SLIM'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
SLIM
    cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'CLEAN'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CLEAN
    rm -rf "$root"/usr/share/doc/* "$root"/usr/share/info/* "$root"/var/cache/apt/*.bin
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    tar -C "$root" -c . | docker import - "$BASE_IMAGE" >/dev/null
    rm -rf "$root"
    echo "==> $BASE_IMAGE made locally ($(docker image inspect -f '{{.Size}}' "$BASE_IMAGE" | awk '{printf "%d MB", $1/1e6}'))"
}

stop() {
    [ -f "$ENGINE_STATE/started" ] || return 0
    local pid
    pid=$(cat "$ENGINE_STATE/started")
    echo "==> stopping the dockerd this run started (pid $pid)"
    kill "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
    pkill -f "containerd --config $ENGINE_STATE" 2>/dev/null || true
    ip link del docker0 2>/dev/null || true
    if [ -s "$ENGINE_STATE/iptables.before" ]; then
        iptables-restore <"$ENGINE_STATE/iptables.before" 2>/dev/null || echo "WARNING: the firewall rules before dockerd could not be restored" >&2
        rm -f "$ENGINE_STATE/iptables.before"
    fi
    rm -f "$ENGINE_STATE/started"
    # Its images and volumes go with it (0.5-1 GB each).
    rm -rf "$ENGINE_STATE/data" "$ENGINE_STATE/exec"
}

case "${1:-}" in
    start) start ;;
    base-image) base_image ;;
    stop) stop ;;
    *) echo "usage: $0 start|base-image|stop" >&2; exit 2 ;;
esac
