package io.pgbackup.executor.domain;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pgBackRest's exit codes (measured on 2.45: the exit code equals the NNN of {@code ERROR: [NNN]:}
 * on stderr) mapped to what an operator needs: what it usually means and whether trying again
 * without changing anything can help.
 */
public final class PgBackRestExit {

    public record Meaning(String summary, boolean retryable) {
    }

    private static final Map<Integer, Meaning> KNOWN = Map.ofEntries(
            Map.entry(25, new Meaning("pgBackRest hit a host or file-system error", false)),
            Map.entry(27, new Meaning("PostgreSQL could not be reached", true)),
            Map.entry(31, new Meaning("pgBackRest rejected an option (check the executor's pgbackrest configuration)",
                    false)),
            Map.entry(32, new Meaning("pgBackRest rejected an option value (check the pgbackrest configuration)",
                    false)),
            Map.entry(37, new Meaning("the stanza is not configured in pgbackrest.conf on this host", false)),
            Map.entry(38, new Meaning("PostgreSQL is running where it must be stopped", false)),
            Map.entry(41, new Meaning("a file pgBackRest needs could not be opened", false)),
            Map.entry(47, new Meaning("the pgBackRest repository is not writable", false)),
            Map.entry(50, new Meaning("another pgBackRest backup or expire of this stanza holds the lock", true)),
            Map.entry(55, new Meaning("the stanza does not exist in the repository (run stanza-create)", false)),
            Map.entry(56, new Meaning("PostgreSQL is not running or not reachable on this host", true)),
            Map.entry(62, new Meaning("pgBackRest is stopped for this stanza (pgbackrest stop is in effect)", false)),
            Map.entry(63, new Meaning("pgBackRest was terminated by a signal", true)),
            Map.entry(82, new Meaning(
                    "WAL was not archived within archive-timeout: archive_command is failing or too slow", false)),
            Map.entry(101, new Meaning("PostgreSQL stopped or failed during the backup", true)),
            Map.entry(103, new Meaning("archive-push was called for a different stanza", false)));

    private static final Pattern ERROR_LINE = Pattern.compile("ERROR: \\[(\\d{3})]: (.*)");

    private PgBackRestExit() {
    }

    public static Meaning meaning(int exitCode) {
        Meaning known = KNOWN.get(exitCode);
        if (known != null) {
            return known;
        }
        return new Meaning("pgBackRest failed with exit code " + exitCode, false);
    }

    /**
     * The message of the first {@code ERROR: [NNN]:} line on stderr with its indented continuation
     * lines, joined into one line.
     */
    public static Optional<String> errorMessage(String stderr) {
        if (stderr == null) {
            return Optional.empty();
        }
        String[] lines = stderr.split("\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher m = ERROR_LINE.matcher(lines[i]);
            if (m.find()) {
                StringBuilder message = new StringBuilder(m.group(2).trim());
                for (int j = i + 1; j < lines.length && lines[j].startsWith(" "); j++) {
                    message.append(' ').append(lines[j].trim());
                }
                return Optional.of(message.toString());
            }
        }
        return Optional.empty();
    }

    /** One sentence for the BackupFailed reason: the meaning, then pgBackRest's own words. */
    public static String reason(int exitCode, String stderr) {
        String summary = meaning(exitCode).summary();
        return errorMessage(stderr).map(m -> summary + " (pgbackrest: " + bounded(m) + ")").orElse(summary);
    }

    private static String bounded(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }
}
