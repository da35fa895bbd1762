package io.pgbackup.events;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a restore request asks for. Wire values: test, production, point. */
public enum RestoreMode {

    /** A scratch copy on the executor's host, started, checked and removed: a drill. */
    TEST("test"),
    /** In place over the stanza's data directory: emergency only, guarded on the executor. */
    PRODUCTION("production"),
    /** No restore: a named restore point on the primary, for a later point-in-time recovery. */
    POINT("point");

    private final String wire;

    RestoreMode(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public static Optional<RestoreMode> fromWire(String value) {
        return Arrays.stream(values()).filter(m -> m.wire.equals(value)).findFirst();
    }
}
