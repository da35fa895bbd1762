package io.pgbackup.system.harness;

import java.util.ArrayDeque;
import java.util.Deque;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Stops what a suite started (its stack, its hosts, their networks) once its last check ran, in
 * the reverse order of their start, while the test JVM is still fully alive: a shutdown hook would
 * race the test runner's own limit on a JVM's exit. Registered with the JUnit Platform as a
 * launcher session listener (META-INF/services); JVM shutdown hooks remain only as a fallback.
 */
public final class Teardown implements LauncherSessionListener {

    private static final Deque<Runnable> STEPS = new ArrayDeque<>();

    /** Runs {@code step} at the end of the suite (and at the JVM's exit, if the suite never ends). */
    public static synchronized void register(String name, Runnable step) {
        STEPS.push(step);
        Runtime.getRuntime().addShutdownHook(new Thread(step, name));
    }

    static synchronized void runAll() {
        while (!STEPS.isEmpty()) {
            try {
                STEPS.pop().run();
            } catch (RuntimeException e) {
                System.err.println("system tests: a teardown step failed: " + e);
            }
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        runAll();
    }
}
