package io.gitcrq.model.event;

import java.time.Instant;

/** merge-bot did not merge an approved CRQ; {@code reason} says what a person must do about it. */
public record MergeBlocked(String crqId, String repo, String branch, String reason, Instant at) implements DomainEvent {
    public MergeBlocked {
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
