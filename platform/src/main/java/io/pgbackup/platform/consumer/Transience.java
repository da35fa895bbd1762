package io.pgbackup.platform.consumer;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Tells failures that pass by themselves (the state database or the broker unreachable, a
 * deadlock, a serialization conflict) from failures of the record or the code, which repeat on
 * every attempt.
 */
public final class Transience {

    /** Connection exceptions, insufficient resources, operator intervention (shutdown). */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "57");
    /** serialization_failure, deadlock_detected, lock_not_available, query_canceled. */
    private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "55P03", "57014");

    private Transience() {
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TransientFailure || t instanceof ConnectException || t instanceof SocketTimeoutException
                    || t instanceof UnknownHostException || t instanceof EOFException
                    || t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
            if (t instanceof SocketException) {
                return true;
            }
            if (t instanceof SQLException sql && isTransient(sql)) {
                return true;
            }
            String name = t.getClass().getName();
            if (name.equals("org.hibernate.exception.JDBCConnectionException")
                    || name.equals("org.hibernate.exception.LockAcquisitionException")
                    || name.equals("org.hibernate.PessimisticLockException")
                    || name.equals("jakarta.persistence.PessimisticLockException")
                    || name.equals("jakarta.persistence.QueryTimeoutException")
                    || name.equals("io.smallrye.mutiny.TimeoutException")
                    || name.startsWith("org.apache.kafka.common.errors.") && isKafkaRetriable(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        if (state != null) {
            return TRANSIENT_STATES.contains(state)
                    || state.length() >= 2 && TRANSIENT_CLASSES.contains(state.substring(0, 2));
        }
        // Agroal's pool says this when no connection can be made or borrowed in time.
        String message = String.valueOf(e.getMessage());
        return message.contains("Acquisition timeout") || message.contains("Connection refused");
    }

    private static boolean isKafkaRetriable(Throwable t) {
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals("org.apache.kafka.common.errors.RetriableException")
                    || c.getName().equals("org.apache.kafka.common.errors.TimeoutException")) {
                return true;
            }
        }
        return false;
    }

    /** Thrown by a handler that knows its failure passes by itself (a dependency is down). */
    public static class TransientFailure extends RuntimeException {

        public TransientFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
