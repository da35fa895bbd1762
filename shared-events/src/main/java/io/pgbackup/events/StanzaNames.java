package io.pgbackup.events;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a stanza name may be. Deliberately narrower than pgBackRest: a name that passes can never
 * be read as an option, a path or shell syntax.
 */
public final class StanzaNames {

    public static final int MAX_LENGTH = 63;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
    private static final int PRINTABLE_LENGTH = 64;

    private StanzaNames() {
    }

    public static boolean isValid(String stanza) {
        return stanza != null && VALID.matcher(stanza).matches();
    }

    /** Why the name is refused, in words for a person; empty when it is valid. */
    public static Optional<String> problem(String stanza) {
        if (isValid(stanza)) {
            return Optional.empty();
        }
        String shown = stanza == null ? "null" : "'" + printable(stanza) + "'";
        return Optional.of("invalid stanza name " + shown + ": a stanza name is 1 to " + MAX_LENGTH
                + " letters, digits, '-' or '_', starting with a letter or digit");
    }

    /**
     * A bounded, single-line rendering of untrusted text for events and logs: control characters
     * become '?', and anything past 64 characters is cut with a note of the full length.
     */
    public static String printable(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        int limit = Math.min(value.length(), PRINTABLE_LENGTH);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        if (value.length() > PRINTABLE_LENGTH) {
            out.append("... (").append(value.length()).append(" characters)");
        }
        return out.toString();
    }
}
