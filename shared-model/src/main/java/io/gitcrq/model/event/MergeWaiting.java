package io.gitcrq.model.event;

import java.time.Instant;

/**
 * merge-bot holds an approved CRQ in its merge queue and says why ({@code reason}, e.g. "waiting for checks:
 * build, lint on 1a2b3c4"): what it waits for before it merges it. A later BranchMerged or MergeBlocked
 * replaces it.
 */
public record MergeWaiting(String crqId, String repo, String reason, Instant at) implements DomainEvent {
    public MergeWaiting {
        Require.text(crqId, "crqId");
        Require.text(reason, "reason");
    }

    @Override
    public String partitionKey() {
        return crqId;
    }

    @Override
    public String subject() {
        return crqId;
    }
}
