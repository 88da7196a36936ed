package io.gitcrq.e2e;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two instances of each service that scales (crq-service, git-watcher, merge-bot, audit-collector), as
 * {@code ./gitcrq up --instances 2} runs them: each instance reads its share of the partitions; during a burst of
 * approvals and commands the instance relaying each outbox (and one audit-collector) is killed, a survivor takes each
 * relay over (the time is printed), and the ledger holds ({@link FaultHarness}): every approval merged exactly once,
 * every command ended and audited once, nothing dead-lettered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstancesFaultIT {

    private DemoPlatform demo;
    private FaultHarness harness;

    @BeforeAll
    void startPlatform() throws IOException {
        demo = DemoPlatform.startWithInstances(Map.of(), 2);
        harness = new FaultHarness(demo);
    }

    @AfterAll
    void stopPlatform() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void oneInstanceOfEachKilledDuringABurstLosesNothingAndRepeatsNothing() throws Exception {
        harness.survives("instances", 10, 10, harness::killOneInstanceOfEach);
    }
}
