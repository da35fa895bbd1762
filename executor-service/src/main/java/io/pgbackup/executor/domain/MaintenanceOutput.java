package io.pgbackup.executor.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what pgbackrest 2.45's expire and verify print (measured output, not documented API). */
public final class MaintenanceOutput {

    private static final Pattern REMOVED_BACKUP = Pattern.compile("remove expired backup (\\S+)");
    private static final Pattern REMOVED_WAL = Pattern.compile("remove archive, start = (\\S+), stop = (\\S+)");
    private static final Pattern BAD_FILE = Pattern.compile("(invalid checksum|invalid size|missing|other) '([^']+)'");
    private static final Pattern STATUS_ERROR = Pattern.compile("status: error");

    private MaintenanceOutput() {
    }

    public record Expired(List<String> backups, String walStart, String walStop) {
    }

    public static Expired expired(String stdout) {
        TreeSet<String> labels = new TreeSet<>();
        Matcher b = REMOVED_BACKUP.matcher(stdout);
        while (b.find()) {
            labels.add(b.group(1));
        }
        String start = null;
        String stop = null;
        Matcher w = REMOVED_WAL.matcher(stdout);
        while (w.find()) {
            if (start == null) {
                start = w.group(1);
            }
            stop = w.group(2);
        }
        return new Expired(new ArrayList<>(labels), start, stop);
    }

    public record Verified(boolean ok, List<String> badFiles) {
    }

    /** pgbackrest verify exits 0 even when it finds damage: its text says whether it did. */
    public static Verified verified(String stdout) {
        List<String> bad = new ArrayList<>();
        Matcher m = BAD_FILE.matcher(stdout);
        while (m.find()) {
            bad.add(m.group(1) + ": " + m.group(2));
        }
        return new Verified(!STATUS_ERROR.matcher(stdout).find() && bad.isEmpty(), bad);
    }
}
