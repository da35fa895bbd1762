package io.pgbackup.events;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** A stanza's (or the fleet's) health, best first. Wire values: healthy, degraded, unhealthy. */
public enum HealthStatus {

    HEALTHY("healthy"),
    DEGRADED("degraded"),
    UNHEALTHY("unhealthy");

    private final String wire;

    HealthStatus(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public HealthStatus worst(HealthStatus other) {
        return other.compareTo(this) > 0 ? other : this;
    }

    /** The status a problem of this severity gives a stanza. */
    public static HealthStatus of(Severity severity) {
        return switch (severity) {
            case INFO -> HEALTHY;
            case WARNING -> DEGRADED;
            case CRITICAL -> UNHEALTHY;
        };
    }

    public static Optional<HealthStatus> fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(value)).findFirst();
    }
}
