package io.pgbackup.executor.pgbackrest;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what pgbackrest 2.45's expire and verify print (measured output, not documented API), line
 * by line: a repository's whole history can be in it.
 */
public final class MaintenanceOutput {

    private static final Pattern REMOVED_BACKUP = Pattern.compile("remove expired backup (\\S+)");
    private static final Pattern REMOVED_WAL = Pattern.compile("remove archive, start = (\\S+), stop = (\\S+)");
    private static final Pattern BAD_FILE = Pattern.compile("(invalid checksum|invalid size|missing|other) '([^']+)'");
    private static final Pattern STATUS_ERROR = Pattern.compile("status: error");
    /** Damaged files named in an event; the count covers all of them. */
    static final int MAX_NAMED = 100;

    private MaintenanceOutput() {
    }

    public record Expired(List<String> backups, String walStart, String walStop) {
    }

    public static Expired expired(BufferedReader stdout) throws IOException {
        TreeSet<String> labels = new TreeSet<>();
        String start = null;
        String stop = null;
        for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
            Matcher b = REMOVED_BACKUP.matcher(line);
            while (b.find()) {
                labels.add(b.group(1));
            }
            Matcher w = REMOVED_WAL.matcher(line);
            while (w.find()) {
                if (start == null) {
                    start = w.group(1);
                }
                stop = w.group(2);
            }
        }
        return new Expired(new ArrayList<>(labels), start, stop);
    }

    /** @param badFiles the first {@link #MAX_NAMED} damaged files; {@code badCount} counts all */
    public record Verified(boolean ok, List<String> badFiles, long badCount) {
    }

    /** pgbackrest verify exits 0 even when it finds damage: its text says whether it did. */
    public static Verified verified(BufferedReader stdout) throws IOException {
        List<String> bad = new ArrayList<>();
        long count = 0;
        boolean error = false;
        for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
            Matcher m = BAD_FILE.matcher(line);
            while (m.find()) {
                count++;
                if (bad.size() < MAX_NAMED) {
                    bad.add(m.group(1) + ": " + m.group(2));
                }
            }
            error |= STATUS_ERROR.matcher(line).find();
        }
        return new Verified(!error && count == 0, bad, count);
    }
}
