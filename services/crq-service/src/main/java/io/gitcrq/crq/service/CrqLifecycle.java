package io.gitcrq.crq.service;

import io.gitcrq.crq.domain.ChangeRequest;
import io.gitcrq.crq.domain.CrqStatus;
import io.gitcrq.crq.domain.CrqTransition;
import io.gitcrq.crq.repository.ChangeRequestRepository;
import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.kit.error.NotPermittedException;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.model.event.CrqApproved;
import io.gitcrq.model.event.CrqCreated;
import io.gitcrq.model.event.CrqStatusChanged;
import io.gitcrq.model.policy.CrqId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * The rules of a CRQ's life: who may move it where. Every move is recorded in its history and announced as
 * an event in the same transaction.
 */
@ApplicationScoped
public class CrqLifecycle {

    public static final String MERGE_BOT = "merge-bot";

    private final ChangeRequestRepository crqs;
    private final Outbox outbox;

    public CrqLifecycle(ChangeRequestRepository crqs, Outbox outbox) {
        this.crqs = crqs;
        this.outbox = outbox;
    }

    @Transactional
    public ChangeRequest create(String requester, String title, String description, String repo, String targetBranch) {
        ChangeRequest crq = new ChangeRequest();
        crq.title = title;
        crq.description = description == null ? "" : description;
        crq.requester = requester;
        crq.repo = repo;
        crq.targetBranch = targetBranch;
        crq.status = CrqStatus.DRAFT;
        crq.createdAt = SqlTimes.now();
        crq.updatedAt = crq.createdAt;
        crqs.persistAndFlush(crq);
        record(crq, null, CrqStatus.DRAFT, requester, "created");
        outbox.publish(new CrqCreated(
                crq.crqId().toString(), crq.title, crq.description, requester, repo, targetBranch, crq.createdAt));
        return crq;
    }

    @Transactional
    public ChangeRequest submit(CrqId id, String actor, boolean admin, String reason) {
        ChangeRequest crq = find(id);
        if (!admin && !crq.requester.equals(actor)) {
            throw new NotPermittedException("only the requester (" + crq.requester + ") or an admin may submit " + id);
        }
        return move(crq, CrqStatus.SUBMITTED, actor, reason);
    }

    /** Approval is the four-eyes step: never by the requester, whatever the approver's roles. */
    @Transactional
    public ChangeRequest approve(CrqId id, String approver, String reason) {
        ChangeRequest crq = find(id);
        if (crq.requester.equals(approver)) {
            throw new NotPermittedException(approver + " requested " + id + " and may not approve it");
        }
        move(crq, CrqStatus.APPROVED, approver, reason);
        crq.approver = approver;
        crq.blockedReason = null;
        crq.waitingReason = null;
        outbox.publish(
                new CrqApproved(id.toString(), approver, crq.requester, crq.repo, crq.targetBranch, crq.updatedAt));
        return crq;
    }

    @Transactional
    public ChangeRequest reject(CrqId id, String approver, String reason) {
        ChangeRequest crq = find(id);
        if (crq.requester.equals(approver)) {
            throw new NotPermittedException(
                    approver + " requested " + id + " and may not reject it; cancel it instead");
        }
        return move(crq, CrqStatus.REJECTED, approver, reason);
    }

    @Transactional
    public ChangeRequest cancel(CrqId id, String actor, boolean admin, String reason) {
        ChangeRequest crq = find(id);
        if (!admin && !crq.requester.equals(actor)) {
            throw new NotPermittedException("only the requester (" + crq.requester + ") or an admin may cancel " + id);
        }
        return move(crq, CrqStatus.CANCELLED, actor, reason);
    }

    /** merge-bot merged the CRQ's branch: the change is in, and the CRQ is done. */
    @Transactional
    public void merged(CrqId id, String mergeCommit, String targetBranch) {
        ChangeRequest crq = crqs.byNumber(id.number()).orElse(null);
        if (crq == null || crq.status != CrqStatus.APPROVED) {
            return; // a merge of an unknown or already-moved CRQ changes nothing here
        }
        crq.mergeCommit = mergeCommit;
        crq.blockedReason = null;
        crq.waitingReason = null;
        move(crq, CrqStatus.MERGED, MERGE_BOT, "merged into " + targetBranch + " as " + mergeCommit);
        move(crq, CrqStatus.CLOSED, MERGE_BOT, "closed after merge");
    }

    /** merge-bot cannot merge the CRQ as it is; the reason replaces any reason it was waiting for. */
    @Transactional
    public void mergeBlocked(CrqId id, String reason) {
        crqs.byNumber(id.number())
                .filter(crq -> crq.status == CrqStatus.APPROVED)
                .ifPresent(crq -> {
                    crq.blockedReason = reason;
                    crq.waitingReason = null;
                    crq.updatedAt = SqlTimes.now();
                });
    }

    /** merge-bot holds the CRQ in its queue (e.g. waiting for checks): no longer blocked, not merged yet. */
    @Transactional
    public void mergeWaiting(CrqId id, String reason) {
        crqs.byNumber(id.number())
                .filter(crq -> crq.status == CrqStatus.APPROVED)
                .ifPresent(crq -> {
                    crq.waitingReason = reason;
                    crq.blockedReason = null;
                    crq.updatedAt = SqlTimes.now();
                });
    }

    public ChangeRequest find(CrqId id) {
        return crqs.byNumber(id.number()).orElseThrow(() -> new EntityNotFoundException("no change request " + id));
    }

    private ChangeRequest move(ChangeRequest crq, CrqStatus to, String actor, String reason) {
        CrqStatus from = crq.status;
        if (!from.canMoveTo(to)) {
            throw new ConflictException(crq.crqId() + " is " + from + " and cannot become " + to
                    + (from.next().isEmpty() ? "" : "; it can become " + from.next()));
        }
        crq.status = to;
        crq.updatedAt = SqlTimes.now();
        record(crq, from, to, actor, reason);
        outbox.publish(
                new CrqStatusChanged(crq.crqId().toString(), from.name(), to.name(), actor, reason, crq.updatedAt));
        return crq;
    }

    private void record(ChangeRequest crq, CrqStatus from, CrqStatus to, String actor, String reason) {
        CrqTransition t = new CrqTransition();
        t.crqId = crq.id;
        t.fromStatus = from;
        t.toStatus = to;
        t.actor = actor;
        t.reason = reason;
        t.at = crq.updatedAt;
        crqs.addToHistory(t);
    }
}
