package io.pgbackup.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** Who answered a request: the stanza's executor, or the coordinator (invalid or unclaimed). */
public enum Answerer {

    EXECUTOR("executor"),
    COORDINATOR("coordinator");

    private final String wire;

    Answerer(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** For records written before the field existed: the coordinator never set an executor id. */
    public static Answerer inferred(Answerer given, String executorId) {
        if (given != null) {
            return given;
        }
        return executorId == null ? COORDINATOR : EXECUTOR;
    }
}
