package io.pgbackup.system.harness;

/** An executor process on a database host: killed as a crash, stopped, started again. */
public interface ExecutorProcess {

    String id();

    long pid();

    /** SIGKILL: nothing gets to clean up (its children keep running, as after a crash). */
    void kill();

    /** A clean stop; waits until it exited. */
    void stop();

    /** Starts it again (after a kill or a stop) and waits until it is ready. */
    void start();
}
