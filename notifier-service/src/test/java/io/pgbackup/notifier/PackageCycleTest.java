package io.pgbackup.notifier;

import org.junit.jupiter.api.Test;

import io.pgbackup.testsupport.PackageRules;

/** No two packages of the notifier service use each other, however far round. */
class PackageCycleTest {

    @Test
    void noPackageCycles() {
        PackageRules.noPackageCycles("io.pgbackup.notifier").check(PackageRules.mainClasses("io.pgbackup.notifier"));
    }
}
