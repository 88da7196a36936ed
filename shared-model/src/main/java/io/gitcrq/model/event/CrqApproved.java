package io.gitcrq.model.event;

import java.time.Instant;

/** A CRQ was approved: merge-bot merges its branch into {@code targetBranch} of {@code repo}. */
public record CrqApproved(
        String crqId, String approver, String requester, String repo, String targetBranch, Instant approvedAt)
        implements DomainEvent {
    public CrqApproved {
        Require.text(crqId, "crqId");
        Require.text(approver, "approver");
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
