package io.pgbackup.events;

/** What an event is about. */
public enum Subject {

    BACKUP,
    RESTORE,
    MAINTENANCE
}
