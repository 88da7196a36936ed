package io.gitcrq.console.domain;

import java.time.Duration;
import java.time.Instant;

/** A recent merge of a queue: when approved, when merged. */
public record MergedEntry(String crqId, String title, String mergeCommit, Instant approvedAt, Instant mergedAt) {

    /** Approval to merge, null when either time is unknown. */
    public Duration latency() {
        return approvedAt == null || mergedAt == null ? null : Duration.between(approvedAt, mergedAt);
    }
}
