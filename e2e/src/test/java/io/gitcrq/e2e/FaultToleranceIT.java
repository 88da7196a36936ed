package io.gitcrq.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The platform under faults, each during a burst of approvals and commands ({@link FaultHarness}): every service
 * stopped gracefully at once, every service killed at once, the broker killed, every database connection cut,
 * exec-agent killed right after it accepted 200 commands. After each, the ledger must hold: every approval merged
 * exactly once, every command ended truthfully and audited exactly once in an intact chain, nothing dead-lettered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceIT {

    private static final int APPROVALS = 6;
    private static final int COMMANDS = 8;

    private DemoPlatform demo;
    private FaultHarness harness;

    @BeforeAll
    void startPlatform() throws IOException {
        demo = DemoPlatform.start(Map.of());
        harness = new FaultHarness(demo);
    }

    @AfterAll
    void stopPlatform() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    @Order(1)
    void everyServiceStoppedGracefullyDuringABurstLosesNothingAndRepeatsNothing() throws Exception {
        harness.survives("sigterm", APPROVALS, COMMANDS, () -> harness.restartEveryService(false));
    }

    @Test
    @Order(2)
    void everyServiceKilledDuringABurstLosesNothingAndRepeatsNothing() throws Exception {
        harness.survives("sigkill", APPROVALS, COMMANDS, () -> harness.restartEveryService(true));
    }

    @Test
    @Order(3)
    void aBrokerCrashDuringABurstLosesNothingAndRepeatsNothing() throws Exception {
        harness.survives("broker", APPROVALS, COMMANDS, harness::crashTheBroker);
    }

    @Test
    @Order(4)
    void everyDatabaseConnectionCutDuringABurstLosesNothingAndRepeatsNothing() throws Exception {
        harness.survives(
                "dbcut",
                APPROVALS,
                COMMANDS,
                () -> assertThat(harness.cutDatabaseConnections())
                        .as("connections cut")
                        .isPositive());
    }

    /**
     * exec-agent killed the moment it has accepted 200 commands, most of them still starting or their ends not yet
     * published: after its restart each one ends truthfully (ran, with its exit code; or failed, saying why) and is
     * audited once, and nothing is dead-lettered.
     */
    @Test
    @Order(5)
    void execAgentKilledRightAfter200AcceptedCommandsEndsEachOfThemTruthfully() throws Exception {
        FaultHarness.Round round = harness.prepare("accepted", 0, 200).start();
        round.awaitAccepted(200);
        harness.restart("exec-agent", true);
        round.checkLedger();
    }
}
