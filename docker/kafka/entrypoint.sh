#!/bin/bash
# One KRaft node: INTERNAL (kafka:9092) for the services on the compose network, HOST advertised as
# 127.0.0.1:9094 for clients on the host (kcat), which compose publishes on 127.0.0.1 only.
# Formats the data volume once, then creates the contract's topics (SecureBootstrap --topics-only)
# and marks itself ready for the healthcheck.
set -euo pipefail
data=/var/lib/kafka/data
cp="/opt/kafka/libs/*:/opt/kafka/classes"
rm -f "$data/pgbackup-topics-ready"
cat >/var/lib/kafka/server.properties <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
listeners=INTERNAL://0.0.0.0:9092,CONTROLLER://127.0.0.1:9093,HOST://0.0.0.0:9094
advertised.listeners=INTERNAL://${KAFKA_INTERNAL_HOST:-kafka}:9092,HOST://${KAFKA_HOST_ADVERTISED:-127.0.0.1:9094}
controller.listener.names=CONTROLLER
inter.broker.listener.name=INTERNAL
listener.security.protocol.map=INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,HOST:PLAINTEXT
auto.create.topics.enable=false
log.dirs=$data
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
if [ ! -f "$data/meta.properties" ]; then
    java -cp "$cp" kafka.tools.StorageTool format -t "$(java -cp "$cp" kafka.tools.StorageTool random-uuid | tail -1)" \
        -c /var/lib/kafka/server.properties >/dev/null
fi
java ${KAFKA_HEAP_OPTS:--Xmx384m -Xms128m} -cp "$cp" kafka.Kafka /var/lib/kafka/server.properties &
broker=$!
trap 'kill -TERM $broker; wait $broker' TERM INT
for i in $(seq 1 60); do
    if java -cp "$cp" SecureBootstrap --topics-only 127.0.0.1:9092; then
        touch "$data/pgbackup-topics-ready"
        break
    fi
    kill -0 $broker 2>/dev/null || exit 1
    sleep 2
done
wait $broker
