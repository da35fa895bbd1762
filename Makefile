# The two commands first: `make up` runs the whole system and takes a first backup; `make test` runs the tests.
.PHONY: up test test-faults down status clean fmt build images compose-test

up:
	bash scripts/stack.sh up

test:
	bash scripts/test.sh

# Real faults (SIGKILL, stopped broker and databases, a host cut off) and a long-lived stanza: the
# fault suite of system-tests; root.
test-faults:
	bash scripts/test-faults.sh

down:
	bash scripts/stack.sh down

status:
	bash scripts/stack.sh status

clean:
	bash scripts/stack.sh clean

build:
	mvn -B -q package -DskipTests

# Rewrite sources to the enforced format (the build only validates).
fmt:
	mvn -B -q -Pformat process-sources

# The container deployment: jars (Maven, on this host), then every image of docker-compose.backups.yml.
images:
	bash scripts/compose/images.sh

# The seed's container Quick Start run for real: engine, base image, images, then the compose suite of
# system-tests (Testcontainers); root.
compose-test:
	bash scripts/compose/compose-test.sh
