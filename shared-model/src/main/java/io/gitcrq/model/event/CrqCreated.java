package io.gitcrq.model.event;

import java.time.Instant;

/** A change request was created, in status DRAFT. */
public record CrqCreated(
        String crqId,
        String title,
        String description,
        String requester,
        String repo,
        String targetBranch,
        Instant createdAt)
        implements DomainEvent {
    public CrqCreated {
        Require.text(crqId, "crqId");
        Require.text(requester, "requester");
        Require.text(repo, "repo");
        Require.text(targetBranch, "targetBranch");
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
