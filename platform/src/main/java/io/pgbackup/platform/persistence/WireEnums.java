package io.pgbackup.platform.persistence;

import java.util.Optional;
import java.util.function.Function;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import io.pgbackup.events.BackupType;
import io.pgbackup.events.HealthStatus;
import io.pgbackup.events.MaintenanceTask;
import io.pgbackup.events.RestoreMode;
import io.pgbackup.events.Severity;

/**
 * The contract's enums stored by their wire value ("full", "critical"), the text the tables held
 * before the fields were typed, so no row needs rewriting. Applied to every entity field of these
 * types.
 */
public final class WireEnums {

    private WireEnums() {
    }

    /** Base of the converters: wire value in the column, the enum in the entity. */
    abstract static class Wire<E extends Enum<E>> implements AttributeConverter<E, String> {

        private final Function<E, String> write;
        private final Function<String, Optional<E>> read;

        Wire(Function<E, String> write, Function<String, Optional<E>> read) {
            this.write = write;
            this.read = read;
        }

        @Override
        public String convertToDatabaseColumn(E value) {
            return value == null ? null : write.apply(value);
        }

        @Override
        public E convertToEntityAttribute(String column) {
            return column == null
                    ? null
                    : read.apply(column).orElseThrow(() -> new IllegalStateException(
                            "unexpected value '" + column + "' in the database"));
        }
    }

    @Converter(autoApply = true)
    public static class BackupTypes extends Wire<BackupType> {

        public BackupTypes() {
            super(BackupType::wire, BackupType::fromWire);
        }
    }

    @Converter(autoApply = true)
    public static class RestoreModes extends Wire<RestoreMode> {

        public RestoreModes() {
            super(RestoreMode::wire, RestoreMode::fromWire);
        }
    }

    @Converter(autoApply = true)
    public static class Severities extends Wire<Severity> {

        public Severities() {
            super(Severity::wire, Severity::fromWire);
        }
    }

    @Converter(autoApply = true)
    public static class HealthStatuses extends Wire<HealthStatus> {

        public HealthStatuses() {
            super(HealthStatus::wire, HealthStatus::fromWire);
        }
    }

    @Converter(autoApply = true)
    public static class MaintenanceTasks extends Wire<MaintenanceTask> {

        public MaintenanceTasks() {
            super(MaintenanceTask::wire, MaintenanceTask::fromWire);
        }
    }
}
