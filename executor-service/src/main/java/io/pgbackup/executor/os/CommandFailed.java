package io.pgbackup.executor.os;

/**
 * A command that had to succeed (creating a directory, writing a file) did not; the message says
 * what could not be done and the command's own words. The caller decides what that fails: a
 * restore answers it as EXECUTION_ERROR.
 */
public final class CommandFailed extends Exception {

    public CommandFailed(String message) {
        super(message, null, false, false);
    }
}
