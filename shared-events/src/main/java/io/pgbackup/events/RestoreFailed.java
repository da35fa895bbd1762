package io.pgbackup.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A restore was refused or did not produce a working cluster.
 *
 * @param errorCode pgbackrest's exit code as digits, or a named code (see docs/events.md)
 * @param reason for a person
 */
public record RestoreFailed(int schemaVersion, UUID eventId, UUID requestId, String stanza, String executorId,
        Instant occurredAt, String mode, RestoreTarget target, String errorCode, Integer pgbackrestExitCode,
        String reason) implements BackupEvent {

    @Override
    public boolean terminal() {
        return true;
    }
}
