#!/usr/bin/env bash
# The whole system on one machine, without Docker: `scripts/stack.sh up|down|status`.
# Kafka (KRaft, from Maven Central jars), a demo primary PostgreSQL archiving through pgbackrest,
# a state PostgreSQL for the services, and the four services. Everything lives under STACK_DIR.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STACK_DIR="${STACK_DIR:-$ROOT/.local}"
LOG_DIR="${LOG_DIR:-$STACK_DIR/logs}"
# PostgreSQL binaries: PG_BIN, else the newest major installed (after the prerequisites).
PG_BIN="${PG_BIN:-}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
# The broker's own listener (inter-broker, mutual TLS with its certificate): SecureBootstrap uses it.
KAFKA_BROKER_PORT="${KAFKA_BROKER_PORT:-$((KAFKA_PORT + 2))}"
DEMO_PG_PORT="${DEMO_PG_PORT:-5442}"
STATE_PG_PORT="${STATE_PG_PORT:-5433}"
HEALTH_HTTP_PORT="${HEALTH_HTTP_PORT:-8080}"
EXECUTOR_HTTP_PORT="${EXECUTOR_HTTP_PORT:-8081}"
SCHEDULER_HTTP_PORT="${SCHEDULER_HTTP_PORT:-8082}"
NOTIFIER_HTTP_PORT="${NOTIFIER_HTTP_PORT:-8083}"
STANZA="${STANZA:-${PGBACKREST_STANZA:-main}}"
RETENTION_FULL="${RETENTION_FULL:-7}"
RETENTION_DIFF="${RETENTION_DIFF:-4}"
FIRST_BACKUP_TIMEOUT="${FIRST_BACKUP_TIMEOUT:-300}"
# The services mostly wait on Kafka and pgbackrest: C1 only and the serial collector spend far less
# CPU than C2 and a parallel collector (the images run them so too).
SERVICE_JAVA_OPTS="${SERVICE_JAVA_OPTS:--Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
KAFKA_JAVA_OPTS="${KAFKA_JAVA_OPTS:--Xmx512m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
# Kafka's one-shot tools (storage format, the principals and ACLs) run for seconds.
TOOL_JAVA=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
# Extra Kafka listeners for executors on other (network-namespace) hosts, e.g.
# HOSTS://10.231.0.1:29094 (listed, advertised and SASL_SSL like the local one; their addresses
# are in the broker's certificate).
KAFKA_EXTRA_LISTENERS="${KAFKA_EXTRA_LISTENERS:-}"
# Extra pgbackrest.conf text before the stanza's section, e.g. a [global:backup] section (the fault
# suite slows backups down to catch one mid-run).
PGBR_CONF_EXTRA="${PGBR_CONF_EXTRA:-}"
# The fleet the scheduler and health know (default: the one local stanza).
FLEET_STANZAS="${FLEET_STANZAS:-$STANZA}"
# Packaged services to run instead of the modules' build output (each <name>-service/quarkus-app):
# `make test` runs the whole-system test from such a copy while Maven rebuilds the modules.
APPS_DIR="${APPS_DIR:-}"
# Where restore-backup.sh without arguments leaves its checked test copy (replacing the last one).
RESTORE_TEST_DIR="${RESTORE_TEST_DIR:-/tmp/postgres-restore-test}"

KAFKA_DIR="$STACK_DIR/kafka"
DEMO_PG="$STACK_DIR/pg-demo"
STATE_PG="$STACK_DIR/pg-state"
PGBR_DIR="$STACK_DIR/pgbackrest"
PGBR_CONF="$PGBR_DIR/pgbackrest.conf"
# The repository's passphrase (generated once, mode 0600): only ever in pgbackrest.conf (also 0600),
# never in an argument list or an event. REPO_CIPHER=none makes an unencrypted repository.
CIPHER_FILE="$PGBR_DIR/cipher-pass"
REPO_CIPHER="${REPO_CIPHER:-aes-256-cbc}"
RUN_DIR="$STACK_DIR/run"
# Passwords (generated once unless given: POSTGRES_PASSWORD for the superuser, BACKUP_ROLE_PASSWORD
# for the pgbackrest role) and each service's secret settings, all 0600 in a 0700 folder; services
# read theirs from config/application.properties in their own working directory, so no secret is
# in an argument list or an environment.
SECRETS_DIR="$STACK_DIR/secrets"
# The stack's own small CA and the databases' server certificate: TCP logins are TLS only
# (hostssl) and the services verify the server (sslmode=verify-full).
TLS_DIR="$STACK_DIR/tls"
# The operator's bearer token for the REST writes (POST /backups, /restores), generated once, 0600.
API_TOKEN_FILE="$STACK_DIR/api-token"
SERVICES=(health executor scheduler notifier)
# The offsite repository (repo2): Azure Blob Storage, run locally by Azurite over TLS with its own
# account key and its own passphrase. Every WAL segment goes to both repositories; each full backup
# to repo1 is followed by one to repo2 (the executor's offsite task). OFFSITE=none: repo1 only.
OFFSITE="${OFFSITE:-azurite}"
AZURITE_PORT="${AZURITE_PORT:-10000}"
AZURITE_VERSION=3.34.0
AZURITE_DIR="${AZURITE_DIR:-${HOME:-/root}/.cache/pgbackup/azurite-$AZURITE_VERSION}"
OFFSITE_RETENTION_FULL="${OFFSITE_RETENTION_FULL:-4}"

. "$ROOT/scripts/env/lib.sh"

own() {
    if is_root; then chown -R postgres:postgres "$@"; fi
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

install_prerequisites() {
    bash "$ROOT/scripts/env/prerequisites.sh" stack
    PG_BIN="$(pg_bin)"
}

# A content hash of the sources under the given paths (build output excluded).
fingerprint() {
    (cd "$ROOT" && find "$@" -type f -not -path '*/target/*' -not -path '*/node_modules/*' 2>/dev/null | LC_ALL=C sort \
        | xargs -r sha256sum) | sha256sum | cut -d' ' -f1
}

# What a service's jar is built from: its module, the modules it uses, and the parent pom.
service_fingerprint() { fingerprint pom.xml shared-events platform "$1-service"; }

BUILD_MARK="$ROOT/target/stack-build.fingerprint"

# Every module of the default build: the services, and the modules the system tests resolve from
# the local Maven repository.
build_fingerprint() {
    fingerprint pom.xml shared-events test-support platform scheduler-service executor-service health-service \
        notifier-service
}

# The modules as the last build installed them (the system tests take test-support from there).
installed() { [ -f "${MAVEN_REPOSITORY:-$HOME/.m2/repository}/io/pgbackup/test-support/0.1.0-SNAPSHOT/test-support-0.1.0-SNAPSHOT.jar" ]; }

app_jar() { # app_jar NAME: the jar that runs service NAME
    if [ -n "$APPS_DIR" ]; then echo "$APPS_DIR/$1-service/quarkus-app/quarkus-run.jar"
    else echo "$ROOT/$1-service/target/quarkus-app/quarkus-run.jar"; fi
}

build_services() {
    local jars_present=1 s
    if [ -n "$APPS_DIR" ]; then
        say "running the packaged services in $APPS_DIR; not building"
        return
    fi
    for s in "${SERVICES[@]}"; do [ -f "$(app_jar "$s")" ] || jars_present=0; done
    if [ $jars_present = 1 ] && installed && [ -f "$BUILD_MARK" ] && [ "$(cat "$BUILD_MARK")" = "$(build_fingerprint)" ]; then
        say "the services are built from the current sources; not building again"
        return
    fi
    say "building the services (mvn install, tests skipped: make test runs them)"
    # The sources' fingerprint as the build starts: a file changed during the build makes the next
    # up build again. Installed, so that the system tests (make test, make test-faults) find the
    # modules they run on without building them again.
    local before; before="$(build_fingerprint)"
    (cd "$ROOT" && mvn -B -q install -DskipTests -Dformatter.skip -Dimpsort.skip >"$LOG_DIR/build.log" 2>&1) \
        || die "build failed: see $LOG_DIR/build.log"
    mkdir -p "$ROOT/target"; printf '%s\n' "$before" >"$BUILD_MARK"
}

build() {
    build_services
    if [ ! -s "$STACK_DIR/kafka.classpath" ] || [ "$ROOT/local/kafka/pom.xml" -nt "$STACK_DIR/kafka.classpath" ]; then
        (cd "$ROOT" && mvn -B -q -f local/kafka/pom.xml dependency:build-classpath \
            -Dmdep.outputFile="$STACK_DIR/kafka.classpath" >"$LOG_DIR/kafka-classpath.log" 2>&1) \
            || die "resolving Kafka's jars failed: see $LOG_DIR/kafka-classpath.log"
    fi
}

# The broker's certificate: CN=kafka-broker (the super user its own mutual-TLS listeners see), for
# 127.0.0.1, localhost and the extra listeners' addresses; key and chain in one PEM file (0600).
make_broker_tls() {
    make_tls
    local sans="IP:127.0.0.1,DNS:localhost" l host
    for l in $KAFKA_EXTRA_LISTENERS; do host="${l#*://}"; sans="$sans,IP:${host%:*}"; done
    [ -s "$TLS_DIR/kafka-broker.pem" ] && [ "$(cat "$TLS_DIR/kafka-broker.sans" 2>/dev/null)" = "$sans" ] && return
    (
        umask 077
        cd "$TLS_DIR"
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout kafka-broker.key -out kafka-broker.csr \
            -subj "/CN=kafka-broker" >/dev/null 2>&1
        printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$sans" >kafka-broker.ext
        openssl x509 -req -in kafka-broker.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out kafka-broker.crt \
            -days 825 -extfile kafka-broker.ext >/dev/null 2>&1
        cat kafka-broker.key kafka-broker.crt >kafka-broker.pem
        printf '%s' "$sans" >kafka-broker.sans
    ) || die "openssl could not make the broker's certificate in $TLS_DIR"
}

# Each principal's SCRAM-SHA-512 password (and the operator's, also for kcat's PLAIN), generated once.
kafka_password() { cat "$(secret "kafka-$1-password")"; }

# The Kafka client settings of a principal, for a Java client (a service or an operator's tools).
kafka_client_properties() { # kafka_client_properties PRINCIPAL PREFIX
    printf '%sbootstrap.servers=127.0.0.1:%s\n' "$2" "$KAFKA_PORT"
    printf '%ssecurity.protocol=SASL_SSL\n%ssasl.mechanism=SCRAM-SHA-512\n' "$2" "$2"
    printf '%ssasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";\n' \
        "$2" "$1" "$(kafka_password "$1")"
    printf '%sssl.truststore.type=PEM\n%sssl.truststore.location=%s\n' "$2" "$2" "$TLS_DIR/ca.pem"
}

# Files for operators: kcat's -F format (PLAIN over TLS: Debian's kcat links librdkafka 2.0.2, whose
# SCRAM Kafka 4 refuses), and Java clients' --command-config (SCRAM-SHA-512). Both 0600.
operator_kafka_files() {
    (
        umask 077
        printf 'bootstrap.servers=127.0.0.1:%s\nsecurity.protocol=SASL_SSL\nsasl.mechanisms=PLAIN\n' "$KAFKA_PORT" \
            >"$STACK_DIR/kcat.conf"
        printf 'sasl.username=operator\nsasl.password=%s\nssl.ca.location=%s\n' "$(kafka_password operator)" \
            "$TLS_DIR/ca.pem" >>"$STACK_DIR/kcat.conf"
        kafka_client_properties operator "" >"$STACK_DIR/kafka-client.properties"
    )
    chmod 600 "$STACK_DIR/kcat.conf" "$STACK_DIR/kafka-client.properties"
}

start_kafka() {
    if pid_alive "$RUN_DIR/kafka.pid"; then say "kafka already running on 127.0.0.1:$KAFKA_PORT"; return; fi
    port_open "$KAFKA_PORT" && die "port $KAFKA_PORT is taken by another program (set KAFKA_PORT)"
    local cp; cp="$(cat "$STACK_DIR/kafka.classpath")"
    mkdir -p "$KAFKA_DIR/data"
    make_broker_tls
    local p
    for p in scheduler executor health notifier operator; do kafka_password "$p" >/dev/null; done
    local extra="" extra_map="" extra_sasl="" l name
    for l in $KAFKA_EXTRA_LISTENERS; do
        name="${l%%://*}"
        extra="$extra,$l"; extra_map="$extra_map,$name:SASL_SSL"
        extra_sasl="$extra_sasl
listener.name.${name,,}.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.${name,,}.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;"
    done
    # Clients: SASL_SSL only (SCRAM-SHA-512; PLAIN for the operator's kcat). Controller and
    # inter-broker: mutual TLS with the broker's certificate, the only super user: a plaintext internal
    # listener would have to make anonymous clients super users.
    (umask 077 && : >"$KAFKA_DIR/server.properties")
    cat >"$KAFKA_DIR/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=CLIENT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT,BROKER://127.0.0.1:$KAFKA_BROKER_PORT$extra
advertised.listeners=CLIENT://127.0.0.1:$KAFKA_PORT,BROKER://127.0.0.1:$KAFKA_BROKER_PORT$extra
controller.listener.names=CONTROLLER
inter.broker.listener.name=BROKER
listener.security.protocol.map=CLIENT:SASL_SSL,CONTROLLER:SSL,BROKER:SSL$extra_map
ssl.keystore.type=PEM
ssl.keystore.location=$TLS_DIR/kafka-broker.pem
ssl.truststore.type=PEM
ssl.truststore.location=$TLS_DIR/ca.pem
listener.name.controller.ssl.client.auth=required
listener.name.broker.ssl.client.auth=required
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.client.sasl.enabled.mechanisms=SCRAM-SHA-512,PLAIN
listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.client.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_operator="$(kafka_password operator)";$extra_sasl
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:CN=kafka-broker
allow.everyone.if.no.acl.found=false
auto.create.topics.enable=false
log.dirs=$KAFKA_DIR/data
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
    chmod 600 "$KAFKA_DIR/server.properties"
    if [ ! -f "$KAFKA_DIR/data/meta.properties" ]; then
        local id; id="$("${TOOL_JAVA[@]}" -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
        "${TOOL_JAVA[@]}" -cp "$cp" kafka.tools.StorageTool format -t "$id" -c "$KAFKA_DIR/server.properties" \
            >"$LOG_DIR/kafka-format.log" 2>&1 || die "kafka storage format failed: see $LOG_DIR/kafka-format.log"
    fi
    say "starting kafka on 127.0.0.1:$KAFKA_PORT (SASL_SSL)"
    # shellcheck disable=SC2086
    nohup java $KAFKA_JAVA_OPTS -cp "$cp" kafka.Kafka "$KAFKA_DIR/server.properties" >"$LOG_DIR/kafka.log" 2>&1 &
    echo $! >"$RUN_DIR/kafka.pid"
    wait_for 90 "kafka" port_open "$KAFKA_PORT"
    # Principals, the contract's topics and the ACLs (the shared-events jar is in every service's lib).
    local events_jar tries=0
    events_jar="$(ls "$(dirname "$(app_jar scheduler)")"/lib/main/io.pgbackup.shared-events-*.jar)"
    until "${TOOL_JAVA[@]}" -cp "$cp:$events_jar" "$ROOT/local/kafka/SecureBootstrap.java" "127.0.0.1:$KAFKA_BROKER_PORT" \
        "$TLS_DIR" "$SECRETS_DIR" >>"$LOG_DIR/kafka-bootstrap.log" 2>&1; do
        tries=$((tries + 1))
        [ $tries -lt 5 ] || die "setting up Kafka's principals, topics and ACLs failed: see $LOG_DIR/kafka-bootstrap.log"
        sleep 2
    done
    operator_kafka_files
}

secret() { # secret NAME [GIVEN]: the secret's file, generated once (or written from GIVEN)
    local file="$SECRETS_DIR/$1"
    mkdir -p "$SECRETS_DIR"; chmod 700 "$SECRETS_DIR"
    if [ -n "${2:-}" ]; then (umask 077 && printf '%s' "$2" >"$file")
    elif [ ! -s "$file" ]; then (umask 077 && head -c 24 /dev/urandom | base64 -w0 | tr '+/' '-_' >"$file"); fi
    chmod 600 "$file"
    printf '%s' "$file"
}

make_tls() {
    [ -s "$TLS_DIR/server.pem" ] && return
    command -v openssl >/dev/null || die "openssl is required for the stack's certificates"
    say "making the stack's CA and server certificate (openssl) in $TLS_DIR"
    mkdir -p "$TLS_DIR"
    (
        umask 077
        cd "$TLS_DIR"
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 825 \
            -subj "/CN=pgbackup local CA" >/dev/null 2>&1
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr \
            -subj "/CN=localhost" >/dev/null 2>&1
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >server.ext
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 825 \
            -extfile server.ext >/dev/null 2>&1
    ) || die "openssl could not make the certificates in $TLS_DIR"
    chmod 644 "$TLS_DIR/ca.pem" "$TLS_DIR/server.pem"
}

# The JDBC URL of a stack database: TLS, and the server must prove it is the stack's (verify-full).
jdbc_url() { printf 'jdbc:postgresql://127.0.0.1:%s/%s?sslmode=verify-full&sslrootcert=%s' "$1" "$2" "$TLS_DIR/ca.pem"; }

POSTGRES_SH="$ROOT/scripts/env/postgres.sh"
pg_running() { bash "$POSTGRES_SH" running "$1"; }

start_pg() { # start_pg DIR PORT NAME [postgresql.conf lines]
    local dir=$1 port=$2 name=$3
    if pg_running "$dir"; then say "$name PostgreSQL already running on 127.0.0.1:$port"; return; fi
    port_open "$port" && die "port $port is taken by another program (set the port variable for $name)"
    bash "$POSTGRES_SH" init "$dir" "$(secret postgres-password "${POSTGRES_PASSWORD:-}")"
    make_tls
    # Written at every start, so a cluster made by an older make up (trust) is brought to this.
    PG_CONF="${4:-}" bash "$POSTGRES_SH" configure "$dir" "$port" "$TLS_DIR"
    say "starting $name PostgreSQL on 127.0.0.1:$port"
    bash "$POSTGRES_SH" start "$dir" "$LOG_DIR/postgres-$name.log"
}

# The roles of the demo primary and of the state database: scripts/env/sql, the definitions the
# database image and the tests' hosts use too. Passwords reach SQL only as psql variables read from
# their files.
setup_demo_roles() {
    PG_PWFILE="$(secret postgres-password "${POSTGRES_PASSWORD:-}")" bash "$POSTGRES_SH" sql "$DEMO_PG" "$DEMO_PG_PORT" \
        postgres "$ROOT/scripts/env/sql/superuser.sql" >/dev/null || die "could not set the superuser's password"
    PG_PWFILE="$(secret pgbackrest-password "${BACKUP_ROLE_PASSWORD:-}")" bash "$POSTGRES_SH" sql "$DEMO_PG" "$DEMO_PG_PORT" \
        postgres "$ROOT/scripts/env/sql/pgbackrest-role.sql" >/dev/null || die "could not set up the pgbackrest role"
}

# One login per service, owning its database and nothing else (an older stack's tables move to it).
setup_state_roles() {
    local db
    PG_PWFILE="$(secret postgres-password "${POSTGRES_PASSWORD:-}")" bash "$POSTGRES_SH" sql "$STATE_PG" "$STATE_PG_PORT" \
        postgres "$ROOT/scripts/env/sql/superuser.sql" >/dev/null || die "could not set the state database's superuser password"
    for db in executor scheduler health notifier; do
        PG_PWFILE="$(secret "db-$db-password")" bash "$POSTGRES_SH" sql "$STATE_PG" "$STATE_PG_PORT" postgres \
            "$ROOT/scripts/env/sql/service-database.sql" -v role="$db" >/dev/null \
            || die "could not set up role and database $db"
        bash "$POSTGRES_SH" sql "$STATE_PG" "$STATE_PG_PORT" "$db" /dev/stdin -v role="$db" >/dev/null <<'SQL' \
            || die "could not give database $db's objects to role $db"
SELECT format('ALTER TABLE public.%I OWNER TO %I', tablename, :'role') FROM pg_tables
 WHERE schemaname = 'public' AND tableowner <> :'role'\gexec
SELECT format('ALTER SEQUENCE public.%I OWNER TO %I', sequencename, :'role') FROM pg_sequences
 WHERE schemaname = 'public' AND sequenceowner <> :'role'\gexec
SQL
    done
}

# A service's secret settings, in config/application.properties of its working directory (0600):
# its state database login, and what service_extra_secrets adds.
service_secrets() { # service_secrets NAME
    local dir="$RUN_DIR/$1/config"
    mkdir -p "$dir"; chmod 700 "$RUN_DIR/$1" "$dir"
    (
        umask 077
        {
            printf 'quarkus.datasource.username=%s\n' "$1"
            printf 'quarkus.datasource.password=%s\n' "$(cat "$SECRETS_DIR/db-$1-password")"
            kafka_client_properties "$1" kafka.
            service_extra_secrets "$1"
        } >"$dir/application.properties"
    )
    chmod 600 "$dir/application.properties"
}

# The folders PostgreSQL and pgbackrest need are the postgres user's; secrets and the CA key stay
# with the user that runs make up (and the services).
keep_private() {
    if is_root; then
        chown -R root:root "$SECRETS_DIR" "$TLS_DIR" "$API_TOKEN_FILE" "$RUN_DIR" 2>/dev/null || true
    fi
}

# Secrets given in make up's environment go to files at once and leave the environment, so that
# no child (Kafka, PostgreSQL, a service) inherits them. make clean forgets them.
take_secrets() {
    [ -z "${POSTGRES_PASSWORD:-}" ] || secret postgres-password "$POSTGRES_PASSWORD" >/dev/null
    [ -z "${BACKUP_ROLE_PASSWORD:-}" ] || secret pgbackrest-password "$BACKUP_ROLE_PASSWORD" >/dev/null
    [ -z "${SLACK_WEBHOOK_URL:-}" ] || secret slack-webhook-url "$SLACK_WEBHOOK_URL" >/dev/null
    [ -z "${QUARKUS_MAILER_PASSWORD:-}" ] || secret smtp-password "$QUARKUS_MAILER_PASSWORD" >/dev/null
    unset POSTGRES_PASSWORD BACKUP_ROLE_PASSWORD SLACK_WEBHOOK_URL QUARKUS_MAILER_PASSWORD
}

install_azurite() {
    [ -x "$AZURITE_DIR/node_modules/.bin/azurite-blob" ] && return
    say "installing azurite $AZURITE_VERSION (npm) into $AZURITE_DIR"
    mkdir -p "$AZURITE_DIR"
    npm install --prefix "$AZURITE_DIR" --no-audit --no-fund "azurite@$AZURITE_VERSION" >"$LOG_DIR/azurite-install.log" 2>&1 \
        || die "npm install azurite failed: see $LOG_DIR/azurite-install.log"
}

start_azurite() {
    [ "$OFFSITE" = azurite ] || return 0
    if pid_alive "$RUN_DIR/azurite.pid"; then say "azurite already running on 127.0.0.1:$AZURITE_PORT"; return; fi
    port_open "$AZURITE_PORT" && die "port $AZURITE_PORT is taken by another program (set AZURITE_PORT)"
    install_azurite
    make_tls
    local key
    key="$(cat "$(azure_key)")"
    mkdir -p "$STACK_DIR/azurite"; chmod 700 "$STACK_DIR/azurite"
    say "starting azurite (the offsite repository's blob storage) on https://localhost:$AZURITE_PORT"
    # The account key reaches azurite through its environment only (an assignment for this one
    # command, not an argument).
    AZURITE_ACCOUNTS="pgbackup:$key" nohup "$AZURITE_DIR/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 \
        --blobPort "$AZURITE_PORT" --location "$STACK_DIR/azurite" --silent --loose --skipApiVersionCheck \
        --disableTelemetry --cert "$TLS_DIR/server.pem" --key "$TLS_DIR/server.key" >"$LOG_DIR/azurite.log" 2>&1 &
    echo $! >"$RUN_DIR/azurite.pid"
    wait_for 60 "azurite" port_open "$AZURITE_PORT"
}

# Azure account keys are base64 of 64 bytes.
azure_key() {
    local file="$SECRETS_DIR/azure-account-key"
    mkdir -p "$SECRETS_DIR"; chmod 700 "$SECRETS_DIR"
    [ -s "$file" ] || (umask 077 && head -c 64 /dev/urandom | base64 -w0 >"$file")
    printf '%s' "$file"
}

# pgbackrest.conf from the project's one renderer (scripts/env/pgbackrest-conf.sh), 0600: the
# passphrases are in it.
setup_pgbackrest() {
    mkdir -p "$PGBR_DIR"/{repo,log,lock,spool}
    local cipher_file=""
    if [ "$REPO_CIPHER" != none ]; then
        if [ ! -s "$CIPHER_FILE" ] && [ -f "$PGBR_DIR/repo/backup/$STANZA/backup.info" ]; then
            say "WARNING: the repository in $PGBR_DIR/repo was made unencrypted; it stays so (make clean starts an encrypted one)"
        elif [ ! -s "$CIPHER_FILE" ]; then
            (umask 077 && head -c 48 /dev/urandom | base64 -w0 >"$CIPHER_FILE")
        fi
        [ ! -s "$CIPHER_FILE" ] || cipher_file="$CIPHER_FILE"
    fi
    local offsite=none key_file=""
    if [ "$OFFSITE" = azurite ]; then
        offsite=azure key_file="$(azure_key)"
        [ -s "$PGBR_DIR/cipher-pass-repo2" ] || (umask 077 && head -c 48 /dev/urandom | base64 -w0 >"$PGBR_DIR/cipher-pass-repo2")
    fi
    (umask 077 && : >"$PGBR_CONF")
    {
        PGBR_REPO1_PATH="$PGBR_DIR/repo" PGBR_LOG_PATH="$PGBR_DIR/log" PGBR_LOCK_PATH="$PGBR_DIR/lock" \
            PGBR_SPOOL_PATH="$PGBR_DIR/spool" PGBR_RETENTION_FULL="$RETENTION_FULL" PGBR_RETENTION_DIFF="$RETENTION_DIFF" \
            PGBR_CIPHER_PASS_FILE="$cipher_file" PGBR_EXTRA="$PGBR_CONF_EXTRA" PGBR_REPO2="$offsite" \
            PGBR_REPO2_ACCOUNT=pgbackup PGBR_REPO2_KEY_FILE="$key_file" PGBR_REPO2_HOST=localhost \
            PGBR_REPO2_PORT="$AZURITE_PORT" PGBR_REPO2_CA_FILE="$TLS_DIR/ca.pem" \
            PGBR_REPO2_CIPHER_PASS_FILE="$PGBR_DIR/cipher-pass-repo2" PGBR_REPO2_RETENTION_FULL="$OFFSITE_RETENTION_FULL" \
            bash "$ROOT/scripts/env/pgbackrest-conf.sh" global
        PGBR_STANZA="$STANZA" PGBR_PG_PATH="$DEMO_PG/data" PGBR_PG_PORT="$DEMO_PG_PORT" PGBR_PG_SOCKET="$DEMO_PG/sock" \
            PGBR_PG_USER=pgbackrest bash "$ROOT/scripts/env/pgbackrest-conf.sh" stanza
    } >"$PGBR_CONF" || die "could not render $PGBR_CONF"
    own "$PGBR_DIR"
    chmod 600 "$PGBR_CONF"
    if [ -f "$CIPHER_FILE" ]; then chmod 600 "$CIPHER_FILE"; fi
    if [ -f "$PGBR_DIR/cipher-pass-repo2" ]; then chmod 600 "$PGBR_DIR/cipher-pass-repo2"; fi
}

setup_stanza() {
    # The offsite container, once (pgBackRest's repo-create; a second call answers 409).
    if [ "$OFFSITE" = azurite ] && [ ! -f "$PGBR_DIR/offsite-container" ]; then
        as_pg pgbackrest --config="$PGBR_CONF" --stanza="$STANZA" --repo=2 repo-create >"$LOG_DIR/repo-create.log" 2>&1 \
            || grep -q ContainerAlreadyExists "$LOG_DIR/repo-create.log" \
            || die "creating the offsite container failed: see $LOG_DIR/repo-create.log"
        touch "$PGBR_DIR/offsite-container"
    fi
    # Created once: stanza-create takes the stanza's backup lock, which a running backup holds.
    if [ ! -f "$PGBR_DIR/repo/backup/$STANZA/backup.info" ] \
        || { [ "$OFFSITE" = azurite ] && [ ! -f "$PGBR_DIR/offsite-stanza" ]; }; then
        say "creating stanza $STANZA"
        as_pg pgbackrest --config="$PGBR_CONF" --stanza="$STANZA" stanza-create >"$LOG_DIR/stanza-create.log" 2>&1 \
            || die "pgbackrest stanza-create failed: see $LOG_DIR/stanza-create.log"
        [ "$OFFSITE" != azurite ] || touch "$PGBR_DIR/offsite-stanza"
    fi
    say "checking stanza $STANZA"
    as_pg pgbackrest --config="$PGBR_CONF" --stanza="$STANZA" check >"$LOG_DIR/pgbackrest-check.log" 2>&1 \
        || die "pgbackrest check failed (is archiving working?): see $LOG_DIR/pgbackrest-check.log"
}

start_service() { # start_service NAME PORT [ENV=VALUE...]
    local name=$1 port=$2; shift 2
    local jar built
    jar="$(app_jar "$name")"
    built="$(service_fingerprint "$name")"
    if pid_alive "$RUN_DIR/$name.pid"; then
        if [ "$(cat "$RUN_DIR/$name.fingerprint" 2>/dev/null)" != "$built" ]; then
            say "$name-service's sources changed since it started; restarting it"
            stop_pid "$name"
        else
            say "$name-service already running on 127.0.0.1:$port"
            return
        fi
    fi
    port_open "$port" && die "port $port is taken by another program (set ${name^^}_HTTP_PORT)"
    [ -f "$jar" ] || die "$jar missing: the build did not produce it"
    say "starting $name-service on 127.0.0.1:$port"
    # The working directory holds config/application.properties, the service's secret settings.
    mkdir -p "$RUN_DIR/$name"
    # shellcheck disable=SC2086
    (cd "$RUN_DIR/$name" && exec env KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT" BACKUP_STANZAS="$FLEET_STANZAS" "$@" \
        nohup java $SERVICE_JAVA_OPTS -jar "$jar" >"$LOG_DIR/$name-service.log" 2>&1) &
    echo $! >"$RUN_DIR/$name.pid"
    printf '%s\n' "$built" >"$RUN_DIR/$name.fingerprint"
}

ready() { curl -fsS "http://127.0.0.1:$1/q/health/ready" >/dev/null 2>&1; }

# Kafka and the state database only (benchmarks start the services they measure themselves).
infra() {
    mkdir -p "$STACK_DIR" "$LOG_DIR" "$RUN_DIR"
    take_secrets
    install_prerequisites
    own "$STACK_DIR"; chmod 755 "$STACK_DIR" "$LOG_DIR"
    keep_private
    build
    start_kafka
    start_pg "$STATE_PG" "$STATE_PG_PORT" state
    setup_state_roles
    local svc
    for svc in "${SERVICES[@]}"; do service_secrets "$svc"; done
}

# Secret settings beyond the state database's login (one property=value per line of output).
service_extra_secrets() {
    case "$1" in
        executor)
            printf 'executor.primary."%s".user=pgbackrest\n' "$STANZA"
            printf 'executor.primary."%s".password=%s\n' "$STANZA" "$(cat "$SECRETS_DIR/pgbackrest-password")" ;;
        notifier)
            # Given to make up in the environment (take_secrets); the service reads them only here.
            [ ! -s "$SECRETS_DIR/slack-webhook-url" ] \
                || printf 'notifier.slack.webhook-url=%s\n' "$(cat "$SECRETS_DIR/slack-webhook-url")"
            [ ! -s "$SECRETS_DIR/smtp-password" ] \
                || printf 'quarkus.mailer.password=%s\n' "$(cat "$SECRETS_DIR/smtp-password")" ;;
    esac
}

up() {
    mkdir -p "$STACK_DIR" "$LOG_DIR" "$RUN_DIR"
    take_secrets
    install_prerequisites
    own "$STACK_DIR"; chmod 755 "$STACK_DIR" "$LOG_DIR"
    keep_private
    # The postgres user must reach the stack folder through every parent directory.
    if is_root; then
        local d="$STACK_DIR"
        while [ "$d" != / ]; do chmod o+x "$d" 2>/dev/null || true; d="$(dirname "$d")"; done
    fi
    build
    start_kafka
    start_azurite
    setup_pgbackrest
    start_pg "$DEMO_PG" "$DEMO_PG_PORT" demo "wal_level = replica
archive_mode = on
archive_command = 'pgbackrest --config=$PGBR_CONF --stanza=$STANZA archive-push %p'"
    setup_demo_roles
    start_pg "$STATE_PG" "$STATE_PG_PORT" state
    setup_state_roles
    setup_stanza

    if [ ! -s "$API_TOKEN_FILE" ]; then (umask 077 && head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' >"$API_TOKEN_FILE"); fi
    chmod 600 "$API_TOKEN_FILE"

    local s
    for s in "${SERVICES[@]}"; do
        service_secrets "$s"
    done
    start_service health "$HEALTH_HTTP_PORT" HEALTH_HTTP_PORT="$HEALTH_HTTP_PORT" \
        HEALTH_DB_URL="$(jdbc_url "$STATE_PG_PORT" health)"
    start_service executor "$EXECUTOR_HTTP_PORT" EXECUTOR_HTTP_PORT="$EXECUTOR_HTTP_PORT" \
        EXECUTOR_DB_URL="$(jdbc_url "$STATE_PG_PORT" executor)" EXECUTOR_STANZAS="$STANZA" \
        EXECUTOR_ID="${EXECUTOR_ID:-$(hostname)}" \
        EXECUTOR_MAINTENANCE_LOG_PATH="$PGBR_DIR/log" EXECUTOR_RESTORE_SCRATCH_ROOT="$STACK_DIR/restore" \
        EXECUTOR_RESTORE_LATEST_TEST_COPY="$RESTORE_TEST_DIR" \
        PGBACKREST_CONFIG="$PGBR_CONF" EXECUTOR_REPOS_OFFSITE="$([ "$OFFSITE" = azurite ] && echo 2)" \
        "EXECUTOR_PRIMARY__$(printf %s "$STANZA" | tr 'a-z-' 'A-Z_')__JDBC_URL=$(jdbc_url "$DEMO_PG_PORT" postgres)"
    start_service scheduler "$SCHEDULER_HTTP_PORT" SCHEDULER_HTTP_PORT="$SCHEDULER_HTTP_PORT" \
        SCHEDULER_DB_URL="$(jdbc_url "$STATE_PG_PORT" scheduler)" PGBACKUP_API_TOKEN_FILE="$API_TOKEN_FILE" \
        OPERATION_LOG_DIR="$LOG_DIR"
    start_service notifier "$NOTIFIER_HTTP_PORT" NOTIFIER_HTTP_PORT="$NOTIFIER_HTTP_PORT" \
        NOTIFIER_DB_URL="$(jdbc_url "$STATE_PG_PORT" notifier)" ALERT_EMAIL_TO="${ALERT_EMAIL_TO:-}" \
        ALERT_EMAIL_FROM="${ALERT_EMAIL_FROM:-}"
    for pair in "health:$HEALTH_HTTP_PORT" "executor:$EXECUTOR_HTTP_PORT" "scheduler:$SCHEDULER_HTTP_PORT" \
        "notifier:$NOTIFIER_HTTP_PORT"; do
        wait_for 120 "${pair%%:*}-service to be ready" ready "${pair##*:}"
    done

    first_backup
    say "health (GET http://127.0.0.1:$HEALTH_HTTP_PORT/):"
    curl -fsS "http://127.0.0.1:$HEALTH_HTTP_PORT/"; echo
    say "up. logs: $LOG_DIR   stop: make down"
}

first_backup() {
    if [ "$(backup_count)" -gt 0 ] && [ "${FORCE_FIRST_BACKUP:-0}" != 1 ]; then
        say "stanza $STANZA already has a backup; not requesting another (FORCE_FIRST_BACKUP=1 to force)"
        wait_for 60 "health to know the stanza's backup" health_has_success
        return
    fi
    say "requesting a full backup of stanza $STANZA through Kafka (scheduler REST call -> backup.requests)"
    local answer id
    answer="$(curl -fsS -H @<(printf 'Authorization: Bearer %s\n' "$(cat "$API_TOKEN_FILE")") -H 'Content-Type: application/json' \
        -d "{\"stanza\":\"$STANZA\",\"backupType\":\"full\",\"requestedBy\":\"make up\"}" \
        "http://127.0.0.1:$SCHEDULER_HTTP_PORT/backups")" || die "the scheduler refused the backup request"
    id="$(printf '%s' "$answer" | sed -n 's/.*"requestId":"\([^"]*\)".*/\1/p')"
    say "request $id published; waiting for BackupCompleted (up to ${FIRST_BACKUP_TIMEOUT}s)"
    local deadline=$((SECONDS + FIRST_BACKUP_TIMEOUT)) detail=""
    while [ $SECONDS -lt $deadline ]; do
        detail="$(curl -fsS "http://127.0.0.1:$HEALTH_HTTP_PORT/stanzas/$STANZA" 2>/dev/null || true)"
        # lastAttempt is the only object with a requestId and an outcome.
        if printf '%s' "$detail" | grep -q "\"requestId\":\"$id\""; then
            if printf '%s' "$detail" | grep -q '"outcome":"BackupCompleted"'; then
                say "backup completed: $(printf '%s' "$detail" | grep -o '"label":"[^"]*"')"
                return
            fi
            die "the first backup failed: $detail"
        fi
        sleep 1
    done
    die "no BackupCompleted for $id within ${FIRST_BACKUP_TIMEOUT}s (logs: $LOG_DIR)"
}

health_has_success() {
    curl -fsS "http://127.0.0.1:$HEALTH_HTTP_PORT/stanzas/$STANZA" 2>/dev/null | grep -q '"lastSuccessfulBackup":{'
}

backup_count() {
    as_pg pgbackrest --config="$PGBR_CONF" --stanza="$STANZA" info --output=json 2>/dev/null \
        | grep -o '"label":"' | wc -l
}

stop_pid() { # stop_pid NAME
    local file="$RUN_DIR/$1.pid"
    if pid_alive "$file"; then
        local pid; pid="$(cat "$file")"
        say "stopping $1 (pid $pid)"
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$file" "$RUN_DIR/$1.fingerprint"
}

down() {
    for s in notifier scheduler executor health; do stop_pid "$s"; done
    for pg in "$DEMO_PG" "$STATE_PG"; do
        if [ -d "$pg/data" ] && pg_running "$pg"; then
            say "stopping PostgreSQL in $pg"
            bash "$POSTGRES_SH" stop "$pg" || true
        fi
    done
    stop_pid kafka
    stop_pid azurite
    # Whatever pid file was lost: no blob store of this stack outlives it.
    pkill -f -- "--location $STACK_DIR/azurite " 2>/dev/null || true
    say "down. data stays in $STACK_DIR (make clean removes it)"
}

status() {
    for s in kafka azurite "${SERVICES[@]}"; do
        if pid_alive "$RUN_DIR/$s.pid"; then echo "$s: running (pid $(cat "$RUN_DIR/$s.pid"))"; else echo "$s: stopped"; fi
    done
    for pg in demo state; do
        local dir="$STACK_DIR/pg-$pg"
        if [ -d "$dir/data" ] && pg_running "$dir"; then echo "postgres-$pg: running"; else echo "postgres-$pg: stopped"; fi
    done
}

clean() {
    down
    rm -rf "$STACK_DIR"
}

case "${1:-}" in
    up) up ;;
    infra) infra ;;
    # The services' jars and Kafka's classpath, when the sources changed (make images).
    build) mkdir -p "$STACK_DIR" "$LOG_DIR"; build ;;
    # A principal's Kafka client settings (for Java tools: --command-config), on standard output.
    kafka-client) kafka_client_properties "${2:?usage: $0 kafka-client PRINCIPAL}" "" ;;
    # Stops one service and waits for it to exit (the next `up` starts it again).
    stop) stop_pid "${2:?usage: $0 stop scheduler|executor|health|notifier|kafka}" ;;
    down) down ;;
    status) status ;;
    clean) clean ;;
    *) echo "usage: $0 up|infra|build|down|status|clean|stop NAME|kafka-client PRINCIPAL" >&2; exit 2 ;;
esac
