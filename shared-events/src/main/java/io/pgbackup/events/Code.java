package io.pgbackup.events;

/**
 * A code that can appear in an event or a health message, with what a person on call needs: its
 * meaning, whether sending the same request again can help, how bad it is, and what to do.
 * {@link Codes} holds every one; docs/errors.md lists them.
 */
public interface Code {

    /** Which list the code belongs to. */
    enum Family {
        /** Named codes of this system in BackupFailed, RestoreFailed and MaintenanceFailed. */
        FAILURE,
        /** pgBackRest's exit codes (the error lists of its supported releases), written as digits. */
        PGBACKREST,
        /** Reasons of the health service (GET /, StanzaHealthChanged). */
        HEALTH
    }

    /** As written on the wire: {@code NO_EXECUTOR}, {@code 56}, {@code ARCHIVE_LAG}. */
    String code();

    Family family();

    /** What a person on call needs to know of a code; each registry stores one per constant. */
    record Facts(String meaning, boolean retryable, Severity severity, String remedy) {
    }

    Facts facts();

    default String meaning() {
        return facts().meaning();
    }

    default boolean retryable() {
        return facts().retryable();
    }

    default Severity severity() {
        return facts().severity();
    }

    default String remedy() {
        return facts().remedy();
    }
}
