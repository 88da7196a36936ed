package io.gitcrq.console.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.console.domain.QueueEntry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the queue page says merge-bot does next, from the states its events gave the queue's CRQs. */
class NextActionTest {

    private static QueueEntry entry(String crq, String state, String reason) {
        return new QueueEntry(crq, "t", state, reason, "bob", "a".repeat(40), Instant.EPOCH, List.of());
    }

    @Test
    void theFirstCrqNotBlockedIsMergedNextOrWaitedFor() {
        assertThat(Console.nextAction(List.of())).isEqualTo("nothing to merge");
        assertThat(Console.nextAction(List.of(entry("CRQ-1", "BLOCKED", "conflict"), entry("CRQ-2", "QUEUED", null))))
                .isEqualTo("merge CRQ-2");
        assertThat(Console.nextAction(List.of(entry("CRQ-3", "WAITING", "required check ci is PENDING"))))
                .isEqualTo("merge CRQ-3 once it no longer waits: required check ci is PENDING");
        assertThat(Console.nextAction(List.of(entry("CRQ-4", "BLOCKED", "conflict"))))
                .startsWith("every CRQ is blocked");
    }

    @Test
    void aBlankFilterIsNoFilterAndALongOneIsRefused() {
        assertThat(Console.blankToNull("  ", "repo")).isNull();
        assertThat(Console.blankToNull(" demo ", "repo")).isEqualTo("demo");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Console.blankToNull("x".repeat(201), "q"))
                .hasMessage("q is longer than 200 characters");
    }
}
