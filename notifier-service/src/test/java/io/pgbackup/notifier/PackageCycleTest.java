package io.pgbackup.notifier;

import org.junit.jupiter.api.Test;

import io.pgbackup.notifier.delivery.SlackWebhook;
import io.pgbackup.notifier.domain.Routing;
import io.pgbackup.testsupport.PackageRules;

/**
 * No two packages of the notifier service use each other, however far round, except for the one
 * known cycle: domain.Routing asks delivery.SlackWebhook whether Slack is configured while
 * delivery.DeliveryWorker routes through domain.Routing. Named here so that no other cycle can
 * join it; remove the exception with the cycle.
 */
class PackageCycleTest {

    @Test
    void noPackageCyclesButTheKnownOne() {
        PackageRules.noPackageCycles("io.pgbackup.notifier").ignoreDependency(Routing.class, SlackWebhook.class)
                .check(PackageRules.mainClasses("io.pgbackup.notifier"));
    }
}
