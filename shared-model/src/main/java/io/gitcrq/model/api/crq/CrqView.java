package io.gitcrq.model.api.crq;

import java.time.Instant;
import java.util.List;

/**
 * A CRQ as the API shows it: its fields, its links to Git and its history. {@code approvedCommit} is the head of
 * its branch the approval is for (the only commit merge-bot merges for it); {@code approvalWithdrawn} says why an
 * approval no longer holds (a commit pushed after it), until the CRQ is approved again. {@code mergeState} says
 * where an approved CRQ stands with merge-bot: QUEUED (approved, no word from merge-bot yet), WAITING (see
 * {@code waitingReason}), BLOCKED (see {@code blockedReason}) or MERGED; empty before approval. A list of
 * CRQs carries neither links nor history (both null).
 */
public record CrqView(
        String id,
        String title,
        String description,
        String requester,
        String approver,
        String approvedCommit,
        String repo,
        String targetBranch,
        String status,
        String mergeState,
        String waitingReason,
        String blockedReason,
        String approvalWithdrawn,
        String mergeCommit,
        Instant createdAt,
        Instant updatedAt,
        Links links,
        List<Transition> history) {

    public record Links(List<BranchLink> branches, List<CommitLink> commits) {}

    /**
     * A branch that names the CRQ; {@code head} is its latest commit git-watcher announced (null for a branch a
     * commit of the CRQ was pushed to but whose name does not name it).
     */
    public record BranchLink(String repo, String branch, String head) {}

    /** A commit that names the CRQ, and when crq-service linked it. */
    public record CommitLink(String repo, String branch, String commitId, String message, Instant linkedAt) {}

    /** One step of the CRQ's life; {@code from} is null for its creation. */
    public record Transition(String from, String to, String actor, String reason, Instant at) {}
}
