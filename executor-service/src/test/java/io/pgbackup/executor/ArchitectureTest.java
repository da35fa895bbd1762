package io.pgbackup.executor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.pgbackup.testsupport.PackageRules;

/**
 * The executor's packages, lowest first, as pgBackRest's own {@code src/command/} is laid out: a
 * package may use its own layer's package and the ones below, never one above or beside it. Read
 * from the compiled classes, so a fully qualified name or a method call counts as much as an
 * import; a failure names the class, what it uses, and the line.
 */
class ArchitectureTest {

    private static final String EXECUTOR = "io.pgbackup.executor";

    /** Each row a layer; the packages of one row do not use each other. */
    private static final List<List<String>> LAYERS = List.of(
            // What the service is told, and what it keeps.
            List.of("config", "persistence"),
            // Child processes as the postgres OS user; the stanzas this executor serves and their workers.
            List.of("os", "stanza"),
            // pgbackrest as a typed API; the stanza's primary over SQL.
            List.of("pgbackrest", "primary"),
            // Periodic work: repository maintenance, status reports.
            List.of("maintenance", "status"),
            // Requests run to their answer (a full backup is followed by an offsite copy: maintenance).
            List.of("backup", "restore"),
            // What a restarted executor does before any worker runs.
            List.of("startup"),
            // Kafka in and out: the only way work arrives.
            List.of("messaging"));

    private static final JavaClasses MAIN = PackageRules.mainClasses(EXECUTOR);

    private static String pkg(String name) {
        return EXECUTOR + "." + name;
    }

    @Test
    void noPackageUsesOneAboveOrBesideIt() {
        assertFalse(MAIN.isEmpty(), "no executor classes found on the class path");
        for (int layer = 0; layer < LAYERS.size(); layer++) {
            for (String own : LAYERS.get(layer)) {
                List<String> forbidden = new ArrayList<>();
                for (int other = layer; other < LAYERS.size(); other++) {
                    LAYERS.get(other).stream().filter(p -> !p.equals(own)).map(ArchitectureTest::pkg)
                            .forEach(forbidden::add);
                }
                if (forbidden.isEmpty()) {
                    continue;
                }
                noClasses().that().resideInAPackage(pkg(own)).should().dependOnClassesThat()
                        .resideInAnyPackage(forbidden.toArray(String[]::new))
                        .because(own + " is in layer " + (layer + 1) + " of " + LAYERS)
                        .check(MAIN);
            }
        }
    }

    @Test
    void everyPackageHasItsPlaceInTheLayers() {
        Set<String> placed = LAYERS.stream().flatMap(List::stream).map(ArchitectureTest::pkg)
                .collect(Collectors.toSet());
        Set<String> unplaced = packages(MAIN);
        unplaced.removeAll(placed);
        assertEquals(Set.of(), unplaced, "packages without a layer in ArchitectureTest.LAYERS");
    }

    @Test
    void noPackageCycles() {
        PackageRules.assertNoPackageCycles(EXECUTOR);
    }

    /** A test lives beside what it tests; whole-service helpers (the test stack) at the root. */
    @Test
    void testPackagesMirrorMainPackages() {
        JavaClasses tests = new ClassFileImporter().withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages(EXECUTOR);
        Set<String> allowed = packages(MAIN);
        allowed.add(EXECUTOR);
        Set<String> strays = new TreeSet<>();
        for (JavaClass test : tests) {
            if (!allowed.contains(test.getPackageName())) {
                strays.add(test.getName());
            }
        }
        assertEquals(Set.of(), strays, "tests in a package that has no main classes");
    }

    private static Set<String> packages(JavaClasses classes) {
        return classes.stream().map(JavaClass::getPackageName).collect(Collectors.toCollection(TreeSet::new));
    }
}
