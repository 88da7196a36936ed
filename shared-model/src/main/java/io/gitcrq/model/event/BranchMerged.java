package io.gitcrq.model.event;

import java.time.Instant;

/** merge-bot merged a CRQ's branch: {@code mergeCommit} is now the head of {@code targetBranch}. */
public record BranchMerged(
        String crqId, String repo, String branch, String targetBranch, String mergeCommit, Instant mergedAt)
        implements DomainEvent {
    public BranchMerged {
        Require.text(crqId, "crqId");
        Require.text(repo, "repo");
        Require.text(branch, "branch");
        Require.text(targetBranch, "targetBranch");
        Require.text(mergeCommit, "mergeCommit");
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
