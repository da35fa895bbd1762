package io.pgbackup.events;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a restore stops. Wire values: latest, set, time, lsn, xid, name. */
public enum TargetKind {

    /** The end of the archived WAL. */
    LATEST("latest"),
    /** A backup label: stops at the end of that backup. */
    SET("set"),
    /** An ISO-8601 time with a zone offset. */
    TIME("time"),
    LSN("lsn"),
    XID("xid"),
    /** A named restore point. */
    NAME("name");

    private final String wire;

    TargetKind(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public static Optional<TargetKind> fromWire(String value) {
        return Arrays.stream(values()).filter(k -> k.wire.equals(value)).findFirst();
    }
}
