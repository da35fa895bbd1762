package io.pgbackup.events;

/** Where an event stands in the life of its request: the one thing history and dashboards need. */
public enum EventCategory {

    /** The request itself. */
    REQUEST,
    /** Accepted or started: the request is on its way. */
    PROGRESS,
    /** The request ended as asked. */
    SUCCESS,
    /** The request ended without what was asked. */
    FAILURE,
    /** The request ended because another one covers it. */
    SKIPPED;

    /** Exactly one terminal event is published per request. */
    public boolean terminal() {
        return this == SUCCESS || this == FAILURE || this == SKIPPED;
    }
}
