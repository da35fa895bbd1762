package io.pgbackup.executor.pgbackrest;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pgbackup.events.Codes;

/**
 * Reads a failed pgbackrest run: the exit code's meaning and retryability come from the one
 * registry of codes (pgBackRest 2.45's own error list), pgBackRest's own words from the
 * {@code ERROR: [NNN]:} line on stderr (measured on 2.45: the exit code equals NNN).
 */
public final class PgBackRestExit {

    private static final Pattern ERROR_LINE = Pattern.compile("ERROR: \\[(\\d{3})]: (.*)");

    private PgBackRestExit() {
    }

    public static boolean retryable(int exitCode) {
        return Codes.pgbackrestRetryable(exitCode);
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

    /** One sentence for the event's reason: the meaning, then pgBackRest's own words. */
    public static String reason(int exitCode, String stderr) {
        String summary = Codes.pgbackrestMeaning(exitCode);
        return errorMessage(stderr).map(m -> summary + " (pgbackrest: " + bounded(m) + ")").orElse(summary);
    }

    private static String bounded(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }
}
