package io.pgbackup.events;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** How bad something is, lowest first. Wire values: info, warning, critical. */
public enum Severity {

    INFO("info"),
    WARNING("warning"),
    CRITICAL("critical");

    private final String wire;

    Severity(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public boolean atLeast(Severity minimum) {
        return compareTo(minimum) >= 0;
    }

    public Severity worst(Severity other) {
        return other.compareTo(this) > 0 ? other : this;
    }

    public static Optional<Severity> fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(value)).findFirst();
    }
}
