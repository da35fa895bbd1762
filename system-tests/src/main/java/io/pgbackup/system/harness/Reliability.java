package io.pgbackup.system.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.pgbackup.testsupport.Project;

/**
 * The fault suite's table: for each fault, how many requests were sent and how many were answered,
 * lost (no terminal answer within 4 minutes after the fault ended) or answered twice (two distinct
 * event ids). Written between the markers of docs/reliability.md (or FAULTS_REPORT) once every
 * fault has its row, so a check run alone never leaves a partial table there.
 */
public final class Reliability {

    /** One fault's row. */
    public record Row(int order, String fault, int sent, int answered, int lost, int duplicated, String recover,
            String answers) {

        public boolean clean() {
            return lost == 0 && duplicated == 0;
        }
    }

    private static final Map<Integer, Row> ROWS = new TreeMap<>();
    private static final List<String> NOTES = new ArrayList<>();
    private static Instant started = Instant.now();
    private static int expected = Integer.MAX_VALUE;
    private static Duration setUp;

    private Reliability() {
    }

    /** How many faults the full suite has: the table is written when all of them have a row. */
    public static synchronized void expect(int faults, Instant suiteStarted, Duration setUpTook) {
        expected = faults;
        started = suiteStarted;
        setUp = setUpTook;
    }

    /**
     * Follows each request to its answers (4 minutes at most after the fault ended) and records the
     * fault's row; the row says what each request got.
     */
    public static synchronized Row tally(int order, String fault, String recover, EventLog events, List<String> ids) {
        int answered = 0;
        int lost = 0;
        int duplicated = 0;
        List<String> outcomes = new ArrayList<>();
        for (String id : ids) {
            try {
                events.awaitAnswer(id, Duration.ofMinutes(4));
            } catch (AssertionError e) {
                // counted as lost below
            }
            List<JsonNode> answers = events.answers(id);
            if (answers.isEmpty()) {
                lost++;
                outcomes.add("none");
            } else {
                answered++;
                duplicated += answers.size() > 1 ? 1 : 0;
                JsonNode a = answers.get(0);
                outcomes.add(a.path("type").asText()
                        + (a.hasNonNull("errorCode") ? " " + a.path("errorCode").asText() : ""));
            }
        }
        Row row = new Row(order, fault, ids.size(), answered, lost, duplicated, recover, String.join(",", outcomes));
        ROWS.put(order, row);
        write();
        return row;
    }

    /** A line under the table (the long-lived stanza's figures). */
    public static synchronized void note(String line) {
        NOTES.add(line);
        write();
    }

    private static void write() {
        if (ROWS.size() < expected || NOTES.isEmpty()) {
            return;
        }
        StringBuilder table = new StringBuilder();
        long clean = ROWS.values().stream().filter(Row::clean).count();
        table.append("<!-- written by make test-faults on ").append(Instant.now().truncatedTo(ChronoUnit.MINUTES))
                .append("; ").append(clean).append(" of ").append(ROWS.size())
                .append(" faults with nothing lost or duplicated -->\n");
        table.append(
                "| Fault | Requests sent | Terminal answers | Lost | Duplicated | Time to recover (s) | Answers |\n");
        table.append("|---|---|---|---|---|---|---|\n");
        for (Row r : ROWS.values()) {
            table.append("| ").append(r.fault()).append(" | ").append(r.sent()).append(" | ").append(r.answered())
                    .append(" | ").append(r.lost()).append(" | ").append(r.duplicated()).append(" | ")
                    .append(r.recover()).append(" | ").append(r.answers()).append(" |\n");
        }
        table.append('\n');
        NOTES.forEach(n -> table.append(n).append('\n'));
        table.append("Whole suite: ").append(Duration.between(started, Instant.now()).toSeconds()).append(" s (set-up ")
                .append(setUp == null ? "?" : setUp.toSeconds()).append(" s).\n");
        Path report = Path.of(System.getenv().getOrDefault("FAULTS_REPORT",
                Project.file("docs/reliability.md").toString()));
        try {
            String text = Files.exists(report) ? Files.readString(report) : "";
            String begin = "<!-- fault table -->\n";
            String end = "<!-- end of fault table -->";
            int from = text.indexOf(begin);
            int to = text.indexOf(end);
            String out = from >= 0 && to > from
                    ? text.substring(0, from + begin.length()) + table + text.substring(to)
                    : begin + table + end + "\n";
            Files.writeString(report, out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + report, e);
        }
    }

    /** The rows so far, for a check's message. */
    public static synchronized String rows() {
        return ROWS.values().stream().map(Row::toString).collect(Collectors.joining("\n"));
    }
}
