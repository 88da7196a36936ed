package io.gitcrq.crq.rest;

import io.gitcrq.crq.domain.ChangeRequest;
import io.gitcrq.crq.domain.CrqStatus;
import io.gitcrq.crq.service.CrqQueries;
import io.gitcrq.model.api.crq.CrqView;
import java.util.List;

/** A CRQ of the domain as the API shows it ({@link CrqView}). */
final class CrqViews {

    private CrqViews() {}

    /** A CRQ in a list: no links, no history. */
    static CrqView of(ChangeRequest crq) {
        return of(crq, null, null);
    }

    static CrqView of(CrqQueries.CrqDetails details) {
        return of(
                details.crq(),
                new CrqView.Links(
                        details.branches().stream()
                                .map(b -> new CrqView.BranchLink(b.repo(), b.branch(), b.head()))
                                .toList(),
                        details.commits().stream()
                                .map(c -> new CrqView.CommitLink(
                                        c.repo(), c.branch(), c.commitId(), c.message(), c.linkedAt()))
                                .toList()),
                details.history().stream()
                        .map(t -> new CrqView.Transition(
                                t.fromStatus == null ? null : t.fromStatus.name(),
                                t.toStatus.name(),
                                t.actor,
                                t.reason,
                                t.at))
                        .toList());
    }

    private static CrqView of(ChangeRequest crq, CrqView.Links links, List<CrqView.Transition> history) {
        return new CrqView(
                crq.crqId().toString(),
                crq.title,
                crq.description,
                crq.requester,
                crq.approver,
                crq.approvedCommit,
                crq.repo,
                crq.targetBranch,
                crq.status.name(),
                mergeState(crq),
                crq.waitingReason,
                crq.blockedReason,
                crq.approvalWithdrawn,
                crq.mergeCommit,
                crq.createdAt,
                crq.updatedAt,
                links,
                history);
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
