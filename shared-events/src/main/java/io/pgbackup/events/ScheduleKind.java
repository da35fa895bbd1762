package io.pgbackup.events;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a schedule fires: a backup of one type, or a restore drill. Wire: full, diff, incr, drill. */
public enum ScheduleKind {

    FULL("full", BackupType.FULL),
    DIFF("diff", BackupType.DIFF),
    INCR("incr", BackupType.INCR),
    DRILL("drill", null);

    private final String wire;
    private final BackupType backupType;

    ScheduleKind(String wire, BackupType backupType) {
        this.wire = wire;
        this.backupType = backupType;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** The backup this schedule requests; empty for drills. */
    public Optional<BackupType> backupType() {
        return Optional.ofNullable(backupType);
    }

    public static ScheduleKind of(BackupType type) {
        return switch (type) {
            case FULL -> FULL;
            case DIFF -> DIFF;
            case INCR -> INCR;
        };
    }

    public static Optional<ScheduleKind> fromWire(String value) {
        return Arrays.stream(values()).filter(k -> k.wire.equals(value)).findFirst();
    }
}
