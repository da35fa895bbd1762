package io.pgbackup.platform;

import org.junit.jupiter.api.Test;

import io.pgbackup.testsupport.PackageRules;

/** No two packages of the platform use each other, however far round. */
class PackageCycleTest {

    @Test
    void noPackageCycles() {
        PackageRules.assertNoPackageCycles("io.pgbackup.platform");
    }
}
