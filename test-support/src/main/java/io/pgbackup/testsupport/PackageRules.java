package io.pgbackup.testsupport;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SliceRule;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;

/**
 * Rules on a service's packages, checked on its compiled main classes (not its tests): no two
 * packages use each other, however far round. A cycle is reported with every dependency along it
 * (class, member and line).
 */
public final class PackageRules {

    private PackageRules() {
    }

    /**
     * The service's own classes in {@code rootPackage} and below, without its tests: read from the
     * module's class folder only, never from the jars on the class path (archunit.properties of
     * this module also keeps ArchUnit from reading the classes they refer to), which takes seconds
     * of CPU per module instead of tens.
     */
    public static JavaClasses mainClasses(String rootPackage) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages(rootPackage);
    }

    /**
     * Every package from {@code rootPackage} down (the root included) free of cycles. The rule, for
     * a service that must name a known cycle ({@code ignoreDependency}) until it is removed.
     */
    public static SliceRule noPackageCycles(String rootPackage) {
        return SlicesRuleDefinition.slices().assignedFrom(eachPackageUnder(rootPackage)).should().beFreeOfCycles();
    }

    /** Fails, naming the classes along each cycle, when packages under {@code rootPackage} use each other. */
    public static void assertNoPackageCycles(String rootPackage) {
        JavaClasses classes = mainClasses(rootPackage);
        if (classes.isEmpty()) {
            throw new AssertionError("no classes in " + rootPackage + " on the class path: nothing was checked");
        }
        noPackageCycles(rootPackage).check(classes);
    }

    private static SliceAssignment eachPackageUnder(String rootPackage) {
        return new SliceAssignment() {

            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String name = javaClass.getPackageName();
                return name.equals(rootPackage) || name.startsWith(rootPackage + ".")
                        ? SliceIdentifier.of(name)
                        : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "each package under " + rootPackage;
            }
        };
    }
}
