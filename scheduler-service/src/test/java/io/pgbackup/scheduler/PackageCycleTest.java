package io.pgbackup.scheduler;

import org.junit.jupiter.api.Test;

import io.pgbackup.testsupport.PackageRules;

/** No two packages of the scheduler service use each other, however far round. */
class PackageCycleTest {

    @Test
    void noPackageCycles() {
        PackageRules.assertNoPackageCycles("io.pgbackup.scheduler");
    }
}
