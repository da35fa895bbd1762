package io.pgbackup.scheduler.messaging;

/**
 * Nacks a record of backup.requests that is not a request; the connector's dead-letter strategy
 * copies it to backup.requests.dlq with this message as the {@code dead-letter-reason} header.
 */
public class MalformedRequestException extends RuntimeException {

    public MalformedRequestException(String reason) {
        super(reason, null, false, false);
    }
}
