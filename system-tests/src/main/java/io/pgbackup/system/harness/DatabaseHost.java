package io.pgbackup.system.harness;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.pgbackup.testsupport.Os;

/**
 * A database host as the system sees one: a PostgreSQL primary archiving through pgbackrest, one
 * stanza, and the executor next to it. Today a host is the stack's own (make up's demo primary) or a
 * network namespace ({@link NamespaceHost}); a container host implements the same operations.
 * Faults are these operations: the executor killed, PostgreSQL stopped, the host cut off.
 */
public interface DatabaseHost {

    String name();

    String stanza();

    /** The host's PostgreSQL (the stanza's primary). */
    Cluster postgres();

    /** The executor serving the stanza on this host. */
    ExecutorProcess executor();

    /** pgbackrest for the stanza, as postgres, with the host's configuration, on the host. */
    Os.Result pgbackrest(String... args);

    /** Takes the host off the network (its link down); {@link #reconnect()} brings it back. */
    void cutOff();

    void reconnect();

    /** {@code pgbackrest info --output=json} of the stanza. */
    default JsonNode info() {
        Os.Result r = pgbackrest("--output=json", "info");
        if (!r.ok()) {
            throw new IllegalStateException("pgbackrest info of " + stanza() + " failed: " + r.output());
        }
        try {
            return Http.JSON.readTree(r.output()).path(0);
        } catch (Exception e) {
            throw new IllegalStateException("pgbackrest info of " + stanza() + " is not JSON: " + r.output(), e);
        }
    }

    /** The labels of the stanza's backup sets in the repository, oldest first. */
    default List<String> backupLabels() {
        List<String> labels = new ArrayList<>();
        info().path("backup").forEach(b -> labels.add(b.path("label").asText()));
        return labels;
    }
}
