package io.pgbackup.events;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** The backup types pgBackRest takes. The wire value is the lower-case name, exactly. */
public enum BackupType {

    FULL("full"),
    DIFF("diff"),
    INCR("incr");

    private final String wire;

    BackupType(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** Strict lookup: only the exact wire value matches ("FULL" or " full" do not). */
    public static Optional<BackupType> fromWire(String value) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(value)).findFirst();
    }

    /** pgBackRest labels end in F, D or I: {@code 20261124-020000F_20261125-020000D}. */
    public static Optional<BackupType> fromLabel(String label) {
        if (label == null || label.isEmpty()) {
            return Optional.empty();
        }
        return switch (label.charAt(label.length() - 1)) {
            case 'F' -> Optional.of(FULL);
            case 'D' -> Optional.of(DIFF);
            case 'I' -> Optional.of(INCR);
            default -> Optional.empty();
        };
    }

    /**
     * The types whose success satisfies a need for this one: itself and the stronger ones (a full
     * also serves as a diff and an incr).
     */
    public List<BackupType> satisfiedBy() {
        return switch (this) {
            case INCR -> List.of(INCR, DIFF, FULL);
            case DIFF -> List.of(DIFF, FULL);
            case FULL -> List.of(FULL);
        };
    }
}
