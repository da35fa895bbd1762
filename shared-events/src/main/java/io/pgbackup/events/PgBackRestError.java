package io.pgbackup.events;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pgBackRest's exit codes: the exit code of a failed command is the NNN of its {@code ERROR: [NNN]:}
 * line. Every code of every supported release is here with pgBackRest's own name and the releases
 * that define it. The lists are pgBackRest's (io/pgbackup/events/pgbackrest/errors-RELEASE.txt,
 * written by scripts/pgbackrest-errors.sh from each release's src/build/error/error.yaml), so a new
 * release's codes come from pgBackRest rather than from someone typing them; what a code usually
 * means on an executor's host is this system's own knowledge ({@link PgBackRestFacts}).
 */
public final class PgBackRestError implements Code {

    /**
     * The releases operators run, oldest first: Debian 12 ships 2.45, Debian 13 2.55.1. Each has
     * its list in pgbackrest/errors-RELEASE.txt beside this class.
     */
    private static final List<String> SUPPORTED = List.of("2.45", "2.55.1");

    private static final Registry REGISTRY = Registry.load(SUPPORTED,
            release -> PgBackRestError.class.getResourceAsStream("pgbackrest/errors-" + release + ".txt"));

    private final int exitCode;
    private final String errorName;
    private final List<String> releases;
    private final Facts facts;

    private PgBackRestError(int exitCode, String errorName, List<String> releases, Facts facts) {
        this.exitCode = exitCode;
        this.errorName = errorName;
        this.releases = List.copyOf(releases);
        this.facts = facts;
    }

    public int exitCode() {
        return exitCode;
    }

    /** pgBackRest's name, as in its messages: {@code DbConnectError}. */
    public String errorName() {
        return errorName;
    }

    /** The supported releases whose list has this code, oldest first. */
    public List<String> releases() {
        return releases;
    }

    @Override
    public String code() {
        return String.valueOf(exitCode);
    }

    @Override
    public Family family() {
        return Family.PGBACKREST;
    }

    @Override
    public Facts facts() {
        return facts;
    }

    @Override
    public String toString() {
        return exitCode + " " + errorName;
    }

    /** The pgBackRest releases whose error lists this version knows, oldest first. */
    public static List<String> supportedReleases() {
        return SUPPORTED;
    }

    /** Every code any supported release defines, in the order of the codes. */
    public static List<PgBackRestError> all() {
        return REGISTRY.all();
    }

    /** The code as any supported release defines it. */
    public static Optional<PgBackRestError> of(int exitCode) {
        return REGISTRY.of(exitCode);
    }

    /**
     * The code if {@code release}'s own list has it: what an executor running that release can be
     * told. A release that is not supported is a caller's mistake, not an unknown code.
     *
     * @throws IllegalArgumentException if {@code release} is not one of {@link #supportedReleases()}
     */
    public static Optional<PgBackRestError> of(int exitCode, String release) {
        return REGISTRY.of(exitCode, release);
    }

    /**
     * pgBackRest's name for an error.yaml key, made as pgBackRest's own build makes it
     * (src/build/error/render.c): each word capitalised, the dashes dropped, "Error" appended.
     */
    static String nameOf(String key) {
        StringBuilder name = new StringBuilder();
        boolean upper = true;
        for (char c : key.toCharArray()) {
            if (c == '-') {
                upper = true;
                continue;
            }
            name.append(upper ? Character.toUpperCase(c) : c);
            upper = false;
        }
        return name.append("Error").toString();
    }

    /** The lists of several releases merged into one: loaded once, and on their own by tests. */
    static final class Registry {

        private static final Pattern LINE = Pattern.compile("(\\d{1,3}) ([a-z][a-z0-9-]*)");

        private final List<String> releases;
        private final Map<Integer, PgBackRestError> byCode;
        private final List<PgBackRestError> all;

        private Registry(List<String> releases, Map<Integer, PgBackRestError> byCode) {
            this.releases = List.copyOf(releases);
            this.byCode = byCode;
            this.all = List.copyOf(byCode.values());
        }

        /**
         * Fails rather than guess when a list is missing or unreadable, or when two releases give
         * one code different names: the registry answers "which error is N" with one name, so a
         * release that renamed a code needs a decision, made when its list is added.
         */
        static Registry load(List<String> releases, Function<String, InputStream> lists) {
            Map<Integer, String> names = new TreeMap<>();
            Map<Integer, List<String>> definedIn = new TreeMap<>();
            for (String release : releases) {
                for (Map.Entry<Integer, String> error : read(release, lists.apply(release)).entrySet()) {
                    int code = error.getKey();
                    String earlier = names.putIfAbsent(code, error.getValue());
                    if (earlier != null && !earlier.equals(error.getValue())) {
                        throw new IllegalStateException("pgBackRest code " + code + " is " + earlier + " in "
                                + definedIn.get(code) + " but " + error.getValue() + " in " + release);
                    }
                    definedIn.computeIfAbsent(code, c -> new ArrayList<>()).add(release);
                }
            }
            Map<Integer, PgBackRestError> byCode = new LinkedHashMap<>();
            names.forEach((code, name) -> byCode.put(code, new PgBackRestError(code, name, definedIn.get(code),
                    PgBackRestFacts.known(name).orElseGet(() -> PgBackRestFacts.generic(name)))));
            return new Registry(releases, Collections.unmodifiableMap(byCode));
        }

        /** One list: {@code code key} a line, {@code #} comments; its codes and pgBackRest's names. */
        static Map<Integer, String> read(String release, InputStream list) {
            if (list == null) {
                throw new IllegalStateException("no error list for pgBackRest " + release);
            }
            Map<Integer, String> errors = new TreeMap<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(list, StandardCharsets.UTF_8))) {
                int number = 0;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    number++;
                    String text = line.strip();
                    if (text.isEmpty() || text.startsWith("#")) {
                        continue;
                    }
                    Matcher m = LINE.matcher(text);
                    if (!m.matches() || errors.put(Integer.parseInt(m.group(1)), nameOf(m.group(2))) != null) {
                        throw new IllegalStateException("pgBackRest " + release + "'s error list, line " + number
                                + ": not a new code and key: " + line);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading pgBackRest " + release + "'s error list", e);
            }
            if (errors.isEmpty()) {
                throw new IllegalStateException("pgBackRest " + release + "'s error list is empty");
            }
            return errors;
        }

        List<String> releases() {
            return releases;
        }

        List<PgBackRestError> all() {
            return all;
        }

        Optional<PgBackRestError> of(int code) {
            return Optional.ofNullable(byCode.get(code));
        }

        Optional<PgBackRestError> of(int code, String release) {
            if (!releases.contains(release)) {
                throw new IllegalArgumentException(
                        "pgBackRest " + release + " is not a supported release; supported: " + releases);
            }
            return of(code).filter(e -> e.releases.contains(release));
        }
    }
}
