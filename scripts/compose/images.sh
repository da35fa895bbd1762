#!/usr/bin/env bash
# `make images`: the services' jars and Kafka's (Maven, on this host: a build inside an image may not
# reach Maven Central), then every image docker-compose.backups.yml names, FROM debian:bookworm-slim.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
. scripts/compose/lib.sh
say() { printf '==> %s\n' "$*"; }

say "building the services' jars (skipped when the sources did not change)"
# Kafka's classpath is resolved into a folder of this build's, not into make up's stack.
export STACK_DIR="$ROOT/target/images/build"
bash scripts/stack.sh build
out="$ROOT/target/images/kafka"
rm -rf "$out"
mkdir -p "$out/libs" "$out/classes"
tr ':' '\n' <"$STACK_DIR/kafka.classpath" | xargs -r cp -t "$out/libs"
cp scheduler-service/target/quarkus-app/lib/main/io.pgbackup.shared-events-*.jar "$out/libs/"
# The topic layout step of the broker's start, compiled here (the image has a JRE, no compiler).
javac -nowarn -d "$out/classes" -cp "$out/libs/*" local/kafka/SecureBootstrap.java
say "building the images"
compose build
docker images --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep '^pgbackup/' | sort
