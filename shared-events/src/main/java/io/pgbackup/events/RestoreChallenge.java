package io.pgbackup.events;

import java.time.Instant;

/**
 * What a production restore would overwrite, read by the executor when it was asked, and the
 * one-time nonce that confirms it. Nothing in it is secret: the nonce proves that whoever confirms
 * read this answer, while who may write restore.requests at all is the broker's ACLs' business.
 *
 * @param nonce send it back as the request's {@code confirmNonce}; it works once
 * @param expiresAt the nonce is refused after this
 * @param dataDirectory the data directory the restore replaces
 * @param postgresRunning whether PostgreSQL runs there now (it is stopped first)
 * @param timeline the cluster's current timeline (its control file), null when unreadable
 * @param checkpointLsn the latest checkpoint's WAL position (its control file), null when unreadable
 * @param dataBytes the data directory's size now
 * @param backupLabel the backup set the restore starts from
 * @param backupBytes the restored size of that set
 * @param preserve how the current state will be kept before anything is overwritten
 */
public record RestoreChallenge(@Required String nonce, @Required Instant expiresAt, @Required String dataDirectory,
        boolean postgresRunning, Long timeline, String checkpointLsn, long dataBytes, String backupLabel,
        long backupBytes, Preserve preserve) {

    /** How the state before a production restore is kept. */
    public enum Preserve {
        /** The data directory is renamed aside (WAL included); the restore goes into a new, empty one. */
        MOVE_ASIDE,
        /** No room beside it for a second copy: an incremental backup of the running cluster first. */
        EMERGENCY_BACKUP,
        /** Neither is possible: the restore is refused. */
        NONE;
    }
}
