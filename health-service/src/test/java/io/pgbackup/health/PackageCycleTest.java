package io.pgbackup.health;

import org.junit.jupiter.api.Test;

import io.pgbackup.testsupport.PackageRules;

/** No two packages of the health service use each other, however far round. */
class PackageCycleTest {

    @Test
    void noPackageCycles() {
        PackageRules.assertNoPackageCycles("io.pgbackup.health");
    }
}
