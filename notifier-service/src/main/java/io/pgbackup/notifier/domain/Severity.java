package io.pgbackup.notifier.domain;

/** Alert severities, lowest first. */
public enum Severity {

    info, warning, critical;

    public boolean atLeast(String minimum) {
        try {
            return compareTo(valueOf(minimum)) >= 0;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
