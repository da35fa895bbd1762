package io.pgbackup.events;

/**
 * Where a restore stops (see {@link TargetKind}); {@code value} is null for latest. In the answer
 * to an invalid request, {@code kind} is null when the request's kind was not one of the kinds.
 */
public record RestoreTarget(TargetKind kind, String value) {

    public static RestoreTarget latest() {
        return new RestoreTarget(TargetKind.LATEST, null);
    }

    /** "latest", "set 20261124-020000F", for people. */
    public String describe() {
        String k = kind == null ? "?" : kind.wire();
        return value == null ? k : k + " " + value;
    }
}
