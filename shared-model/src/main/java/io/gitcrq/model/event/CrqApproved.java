package io.gitcrq.model.event;

import java.time.Instant;

/**
 * A CRQ was approved: merge-bot merges its branch into {@code targetBranch} of {@code repo}, and only while the
 * branch's head is {@code headCommit}, the commit the approver approved. A later commit on the branch needs a
 * new approval (crq-service withdraws this one when it sees the push; merge-bot refuses a branch whose head is
 * another commit).
 *
 * <p>{@code headCommit} was added to version 1 (a field old readers ignore): an approval published before it
 * names no commit (null), and merge-bot then merges the head it finds, as it always did for such approvals.
 */
public record CrqApproved(
        String crqId,
        String approver,
        String requester,
        String repo,
        String targetBranch,
        Instant approvedAt,
        String headCommit)
        implements DomainEvent {
    public CrqApproved {
        Require.text(crqId, "crqId");
        Require.text(approver, "approver");
        Require.text(repo, "repo");
        Require.text(targetBranch, "targetBranch");
    }

    /** An approval in the form it had before approvals named a commit (no {@code headCommit}). */
    public CrqApproved(
            String crqId, String approver, String requester, String repo, String targetBranch, Instant approvedAt) {
        this(crqId, approver, requester, repo, targetBranch, approvedAt, null);
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
