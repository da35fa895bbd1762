package io.pgbackup.notifier.domain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

/** The most recent alerts, newest first, bounded so the log cannot grow without end. */
@ApplicationScoped
public class AlertLog {

    private static final int MAX = 500;
    private final Deque<Alert> alerts = new ArrayDeque<>();

    public synchronized boolean add(Alert alert) {
        if (alerts.stream().anyMatch(a -> a.eventId().equals(alert.eventId()))) {
            return false;
        }
        alerts.addFirst(alert);
        if (alerts.size() > MAX) {
            alerts.removeLast();
        }
        return true;
    }

    public synchronized List<Alert> recent() {
        return new ArrayList<>(alerts);
    }
}
