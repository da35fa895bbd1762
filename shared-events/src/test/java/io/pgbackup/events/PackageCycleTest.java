package io.pgbackup.events;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * No two packages of the shared events use each other, however far round. test-support depends on
 * this module, so this module cannot use test-support's PackageRules: it reads its own sources
 * instead, each file's package and the names of this module it uses (imports and qualified names).
 */
class PackageCycleTest {

    private static final String ROOT = "io.pgbackup.events";
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern USED = Pattern
            .compile("\\b(" + Pattern.quote(ROOT) + "(?:\\.[a-z]\\w*)*)\\.[A-Z]\\w*");

    /** Package to the packages it uses, each with the first file that uses it. */
    private final Map<String, Map<String, Path>> uses = new TreeMap<>();

    @Test
    void noPackageCycles() throws IOException {
        Path sources = Path.of("src/main/java");
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                Matcher p = PACKAGE.matcher(text);
                assertTrue(p.find(), file + " has no package line");
                String own = p.group(1);
                Map<String, Path> used = uses.computeIfAbsent(own, k -> new TreeMap<>());
                for (Matcher u = USED.matcher(text.substring(p.end())); u.find();) {
                    if (!u.group(1).equals(own)) {
                        used.putIfAbsent(u.group(1), file);
                    }
                }
            }
        }
        assertFalse(uses.isEmpty(), "no sources under " + sources.toAbsolutePath());
        for (String start : uses.keySet()) {
            List<String> cycle = cycleFrom(start, start, new ArrayList<>(List.of(start)));
            assertTrue(cycle.isEmpty(), "package cycle " + String.join(" -> ", cycle) + " (" + describe(cycle) + ")");
        }
    }

    /** A path of uses from {@code at} back to {@code start}, or empty. */
    private List<String> cycleFrom(String start, String at, List<String> path) {
        for (String next : uses.getOrDefault(at, Map.of()).keySet()) {
            if (next.equals(start)) {
                List<String> cycle = new ArrayList<>(path);
                cycle.add(start);
                return cycle;
            }
            if (!path.contains(next)) {
                path.add(next);
                List<String> found = cycleFrom(start, next, path);
                if (!found.isEmpty()) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        }
        return List.of();
    }

    private String describe(List<String> cycle) {
        List<String> steps = new ArrayList<>();
        for (int i = 0; i + 1 < cycle.size(); i++) {
            steps.add(uses.get(cycle.get(i)).get(cycle.get(i + 1)).getFileName() + " uses " + cycle.get(i + 1));
        }
        return String.join("; ", steps);
    }
}
