package io.pgbackup.executor.stanza;

/**
 * What became of a backup or restore request when it arrived. Only {@code QUEUED} needs the
 * stanza's worker: every other outcome is answered already, or needs no answer.
 */
public enum JobAcceptance {
    /** New: stored and reported (BackupAccepted, RestoreStarted). */
    QUEUED,
    /** This request id was handled before (a redelivery): nothing happens twice. */
    DUPLICATE,
    /**
     * This request id was handled before with other content: refused with REQUEST_ID_CONFLICT,
     * since taking it for a redelivery would silently drop it.
     */
    CONFLICT,
    /**
     * A request of the stanza that waits and has not started answers this one too: an identical
     * backup (BackupSkipped, terminal), or a drill (RestoreFailed DRILL_COALESCED, naming it).
     */
    COALESCED
}
