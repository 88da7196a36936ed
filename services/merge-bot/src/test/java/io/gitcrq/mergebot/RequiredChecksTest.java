package io.gitcrq.mergebot;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.mergebot.service.RequiredChecks;
import io.gitcrq.mergebot.service.RequiredChecks.Report;
import io.gitcrq.mergebot.service.RequiredChecks.State;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequiredChecksTest {

    @Test
    void noRequiredChecksIsReady() {
        assertThat(RequiredChecks.verdict(List.of(), Map.of("build", new Report("FAILURE", null)), "1a2b3c4", "b")
                        .state())
                .isEqualTo(State.READY);
    }

    @Test
    void everyRequiredCheckMustSucceed() {
        assertThat(RequiredChecks.verdict(
                                List.of("build", "lint"),
                                Map.of(
                                        "build",
                                        new Report("SUCCESS", null),
                                        "lint",
                                        new Report("SUCCESS", "https://ci/2")),
                                "1a2b3c4",
                                "feature/CRQ-5-x")
                        .state())
                .isEqualTo(State.READY);
    }

    @Test
    void missingAndPendingChecksAreWaitedForAndNamed() {
        RequiredChecks.Verdict verdict = RequiredChecks.verdict(
                List.of("build", "lint", "docs"),
                Map.of("build", new Report("PENDING", null), "docs", new Report("SUCCESS", null)),
                "1a2b3c4",
                "feature/CRQ-5-x");
        assertThat(verdict.state()).isEqualTo(State.WAITING);
        assertThat(verdict.reason())
                .isEqualTo("waiting for checks: build (pending), lint (not reported) on 1a2b3c4 of feature/CRQ-5-x");
    }

    @Test
    void aFailureBlocksEvenWhileOthersArePending() {
        RequiredChecks.Verdict verdict = RequiredChecks.verdict(
                List.of("build", "lint"),
                Map.of("build", new Report("PENDING", null), "lint", new Report("FAILURE", "https://ci/7")),
                "1a2b3c4",
                "feature/CRQ-5-x");
        assertThat(verdict.state()).isEqualTo(State.FAILED);
        assertThat(verdict.reason())
                .startsWith("required check lint (https://ci/7) failed on 1a2b3c4 of feature/CRQ-5-x");
    }
}
