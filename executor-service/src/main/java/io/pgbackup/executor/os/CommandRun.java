package io.pgbackup.executor.os;

/**
 * The outcome of one program run as the postgres OS user: exit code, output, and whether it was
 * stopped at its time limit.
 */
public record CommandRun(int exitCode, String stdout, String stderr, boolean timedOut) {

    public boolean ok() {
        return exitCode == 0 && !timedOut;
    }

    /** This run, when it succeeded; else what could not be done ({@code what}) and why. */
    public CommandRun require(String what) throws CommandFailed {
        if (!ok()) {
            throw new CommandFailed("could not " + what + ": " + stderr.trim());
        }
        return this;
    }
}
