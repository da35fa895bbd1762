package io.pgbackup.executor.domain;

/**
 * The outcome of one program run as the postgres OS user: exit code, output, and whether it was
 * stopped at its time limit.
 */
public record CommandRun(int exitCode, String stdout, String stderr, boolean timedOut) {

    public boolean ok() {
        return exitCode == 0 && !timedOut;
    }
}
