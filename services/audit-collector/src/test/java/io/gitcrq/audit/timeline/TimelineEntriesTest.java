package io.gitcrq.audit.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.CrqEdited;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.ExecFinished;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineEntriesTest {

    private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void anExecThatFailedSaysWhyInsteadOfAnExitCodeItNeverHad() {
        ExecFinished failed = new ExecFinished(
                "x-9",
                "dev1",
                "CRQ-7",
                "dev",
                "0",
                ExecFinished.NO_EXIT_CODE,
                AT,
                AT,
                null,
                null,
                ExecFinished.FAILED,
                "not started: agent restarted");
        ExecFinished finished =
                new ExecFinished("x-8", "dev1", "CRQ-7", "dev", "0", 3, AT, AT, "/logs/x-8.log", "ab".repeat(32));

        assertThat(summaries(failed)).containsExactly("exec x-9 on dev1 failed: not started: agent restarted");
        assertThat(summaries(finished)).containsExactly("exec x-8 on dev1 ended with exit code 3");
    }

    @Test
    void aCancelledExecSaysWhoCancelledIt() {
        ExecFinished cancelled = new ExecFinished(
                "x-7",
                "dev1",
                "CRQ-7",
                "dev",
                "0",
                143,
                AT,
                AT,
                "/logs/x-7.log",
                "ab".repeat(32),
                ExecFinished.FINISHED,
                "killed: cancelled by bob");

        assertThat(summaries(cancelled))
                .containsExactly("exec x-7 on dev1 ended with exit code 143 (killed: cancelled by bob)");
    }

    @Test
    void anEditOfACrqShowsItsNewTitleAndWhoEditedIt() {
        CrqEdited edited = new CrqEdited("CRQ-7", "Login timeout: 30 min", "", "alice", AT);

        assertThat(summaries(edited)).containsExactly("edited by alice: Login timeout: 30 min");
    }

    private static List<String> summaries(DomainEvent event) {
        CloudEvent envelope = EventCodec.envelope("gitcrq/exec-agent", event);
        return TimelineEntries.of(envelope, event, AT).stream()
                .map(entry -> entry.entry().summary())
                .toList();
    }
}
