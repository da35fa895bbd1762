# Sourced by the benchmarks after `stack.sh infra` (STACK_DIR, STATE_PG_PORT and ROOT set).

. "$ROOT/scripts/env/lib.sh"

# The superuser by peer authentication on the state database's socket.
psql_state() { as_pg psql -h "$STACK_DIR/pg-state/sock" -p "$STATE_PG_PORT" -U postgres -XtAq "$@"; }

# The services log in as their own roles over TLS, from their folders (config/application.properties).
TLS_URL="sslmode=verify-full&sslrootcert=$STACK_DIR/tls/ca.pem"

# bench_kafka PRINCIPAL: the broker takes SASL_SSL logins only; the console tools log in as
# PRINCIPAL with the stack's own client settings, written to $BENCH_KAFKA (0600).
BENCH_KAFKA="$STACK_DIR/bench-kafka.properties"
bench_kafka() {
    (umask 077 && bash "$ROOT/scripts/stack.sh" kafka-client "$1" >"$BENCH_KAFKA")
}
