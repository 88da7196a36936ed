package io.gitcrq.crq.rest;

import io.gitcrq.crq.domain.ChangeRequest;
import io.gitcrq.crq.domain.CrqStatus;
import io.gitcrq.crq.domain.CrqTransition;
import io.gitcrq.crq.repository.CrqLinkRepository;
import java.time.Instant;
import java.util.List;

/**
 * A CRQ as the API shows it: its fields, its links to Git and its history. {@code mergeState} says where an
 * approved CRQ stands with merge-bot: QUEUED (approved, no word from merge-bot yet), WAITING (see
 * {@code waitingReason}), BLOCKED (see {@code blockedReason}) or MERGED; empty before approval.
 */
public record CrqView(
        String id,
        String title,
        String description,
        String requester,
        String approver,
        String repo,
        String targetBranch,
        String status,
        String mergeState,
        String waitingReason,
        String blockedReason,
        String mergeCommit,
        Instant createdAt,
        Instant updatedAt,
        Links links,
        List<Transition> history) {

    public record Links(List<CrqLinkRepository.BranchLink> branches, List<CrqLinkRepository.CommitLink> commits) {}

    public record Transition(String from, String to, String actor, String reason, Instant at) {}

    public static CrqView of(ChangeRequest crq, Links links, List<CrqTransition> history) {
        return new CrqView(
                crq.crqId().toString(),
                crq.title,
                crq.description,
                crq.requester,
                crq.approver,
                crq.repo,
                crq.targetBranch,
                crq.status.name(),
                mergeState(crq),
                crq.waitingReason,
                crq.blockedReason,
                crq.mergeCommit,
                crq.createdAt,
                crq.updatedAt,
                links,
                history == null
                        ? null
                        : history.stream()
                                .map(t -> new Transition(
                                        t.fromStatus == null ? null : t.fromStatus.name(),
                                        t.toStatus.name(),
                                        t.actor,
                                        t.reason,
                                        t.at))
                                .toList());
    }

    private static String mergeState(ChangeRequest crq) {
        if (crq.mergeCommit != null) {
            return "MERGED";
        }
        if (crq.status != CrqStatus.APPROVED) {
            return null;
        }
        if (crq.blockedReason != null) {
            return "BLOCKED";
        }
        return crq.waitingReason != null ? "WAITING" : "QUEUED";
    }
}
