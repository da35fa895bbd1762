package io.pgbackup.events;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The one registry of codes: {@link FailureCode}, {@link PgBackRestError} and {@link HealthCode}.
 * The executor, the health rules, the notifier's hints and the dashboard all read meanings,
 * retryability, severities and remedies from here; docs/errors.md lists every code.
 */
public final class Codes {

    private static final List<Code> ALL;

    static {
        List<Code> all = new ArrayList<>();
        all.addAll(Arrays.asList(FailureCode.values()));
        all.addAll(PgBackRestError.all());
        all.addAll(Arrays.asList(HealthCode.values()));
        ALL = Collections.unmodifiableList(all);
    }

    private Codes() {
    }

    public static List<Code> all() {
        return ALL;
    }

    /** The code as written on the wire ("NO_EXECUTOR", "56", "ARCHIVE_LAG"), if it is known. */
    public static Optional<Code> find(String code) {
        if (code == null) {
            return Optional.empty();
        }
        if (code.chars().allMatch(Character::isDigit) && !code.isEmpty() && code.length() < 4) {
            return PgBackRestError.of(Integer.parseInt(code)).map(Code.class::cast);
        }
        return FailureCode.fromWire(code).<Code>map(Code.class::cast)
                .or(() -> HealthCode.fromWire(code).map(Code.class::cast));
    }

    /** What to do about a code; a general instruction for one this version does not know. */
    public static String remedy(String code) {
        return find(code).map(Code::remedy)
                .orElse("Read the reason and the executor's log, then request it again.");
    }

    /** The meaning of a pgBackRest exit code, for one this version does not list too. */
    public static String pgbackrestMeaning(int exitCode) {
        return PgBackRestError.of(exitCode).map(PgBackRestError::meaning)
                .orElse("pgBackRest failed with exit code " + exitCode);
    }

    public static boolean pgbackrestRetryable(int exitCode) {
        return PgBackRestError.of(exitCode).map(PgBackRestError::retryable).orElse(false);
    }
}
