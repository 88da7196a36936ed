package io.gitcrq.crq.service;

import io.gitcrq.crq.domain.BranchHead;
import io.gitcrq.crq.domain.ChangeRequest;
import io.gitcrq.crq.domain.CrqStatus;
import io.gitcrq.crq.domain.CrqTransition;
import io.gitcrq.crq.repository.ChangeRequestRepository;
import io.gitcrq.crq.repository.CrqLinkRepository;
import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.kit.error.NotPermittedException;
import io.gitcrq.kit.idempotency.IdempotencyKey;
import io.gitcrq.kit.idempotency.IdempotencyKeys;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.model.event.CrqApproved;
import io.gitcrq.model.event.CrqCreated;
import io.gitcrq.model.event.CrqEdited;
import io.gitcrq.model.event.CrqStatusChanged;
import io.gitcrq.model.policy.CrqId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules of a CRQ's life: who may move it where. Every move is recorded in its history and announced as
 * an event in the same transaction.
 */
@ApplicationScoped
public class CrqLifecycle {

    public static final String MERGE_BOT = "merge-bot";
    /** The actor of a withdrawn approval: git-watcher reported the push that withdrew it. */
    public static final String GIT_WATCHER = "git-watcher";

    private static final int SHORT_SHA = 12;

    private final ChangeRequestRepository crqs;
    private final CrqLinkRepository links;
    private final Outbox outbox;
    private final IdempotencyKeys requestKeys;

    /** What {@link #create} did: made {@code crq}, or found the one an earlier try with the same key made. */
    public record Created(ChangeRequest crq, boolean repeat) {}

    public CrqLifecycle(
            ChangeRequestRepository crqs, CrqLinkRepository links, Outbox outbox, IdempotencyKeys requestKeys) {
        this.crqs = crqs;
        this.links = links;
        this.outbox = outbox;
        this.requestKeys = requestKeys;
    }

    /**
     * A new CRQ in DRAFT; with an idempotency key ({@code key}, may be null), once per key of the requester: a repeat
     * of the request (its answer lost, say) gets the CRQ the first try made, in whatever state it is now.
     */
    @Transactional
    public Created create(
            String requester, String title, String description, String repo, String targetBranch, IdempotencyKey key) {
        if (key == null) {
            return new Created(create(requester, title, description, repo, targetBranch), false);
        }
        Optional<String> earlier = requestKeys.claim(requester, key, SqlTimes.now());
        if (earlier.isPresent()) {
            return new Created(find(CrqId.parse(earlier.get())), true);
        }
        ChangeRequest crq = create(requester, title, description, repo, targetBranch);
        requestKeys.bind(requester, key, crq.crqId().toString());
        return new Created(crq, false);
    }

    private ChangeRequest create(String requester, String title, String description, String repo, String targetBranch) {
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

    /**
     * Approval is the four-eyes step: never by the requester, whatever the approver's roles. It is for one commit,
     * the head of the CRQ's branch as git-watcher last announced it; {@code reviewed} (optional: a full id or a
     * prefix) is the commit the approver looked at, and the approval is refused when the branch has moved on from
     * it. A CRQ with no known branch head (no branch yet, or several) is refused too: there is no one commit to
     * approve.
     */
    @Transactional
    public ChangeRequest approve(CrqId id, String approver, String reason, String reviewed) {
        ChangeRequest crq = find(id);
        if (crq.requester.equals(approver)) {
            throw new NotPermittedException(approver + " requested " + id + " and may not approve it");
        }
        requireMove(crq, CrqStatus.APPROVED);
        String head = headToApprove(crq, reviewed);
        move(crq, CrqStatus.APPROVED, approver, reason);
        crq.approver = approver;
        crq.approvedCommit = head;
        crq.approvalWithdrawn = null;
        crq.blockedReason = null;
        crq.waitingReason = null;
        outbox.publish(new CrqApproved(
                id.toString(), approver, crq.requester, crq.repo, crq.targetBranch, crq.updatedAt, head));
        return crq;
    }

    /**
     * The branch of an APPROVED CRQ is at {@code head} now (a commit of the CRQ pushed to it, or the branch
     * created): unless that is the approved commit, the approval was not for it and is withdrawn. The CRQ goes
     * back to SUBMITTED, saying why, and needs a new approval.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void branchMovedAfterApproval(CrqId id, String repo, String branch, String head) {
        ChangeRequest crq = crqs.byNumber(id.number()).orElse(null);
        if (crq == null || crq.status != CrqStatus.APPROVED || head.equals(crq.approvedCommit)) {
            return;
        }
        String reason = "new commit " + shortSha(head) + " pushed to " + branch + " of " + repo + " after "
                + crq.approver + " approved "
                + (crq.approvedCommit == null ? "an earlier head" : shortSha(crq.approvedCommit))
                + "; approve again to merge it";
        crq.approvalWithdrawn = reason;
        crq.approver = null;
        crq.approvedCommit = null;
        crq.blockedReason = null;
        crq.waitingReason = null;
        change(crq, CrqStatus.SUBMITTED, GIT_WATCHER, reason);
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

    /**
     * A new title and/or description (null: unchanged), by the requester or an admin, while the CRQ is open (not
     * merged, closed, rejected or cancelled: what was decided stays as it was decided). Announced as CrqEdited with
     * both values after the edit; an edit that changes nothing changes and announces nothing.
     */
    @Transactional
    public ChangeRequest edit(CrqId id, String actor, boolean admin, String title, String description) {
        ChangeRequest crq = find(id);
        if (!admin && !crq.requester.equals(actor)) {
            throw new NotPermittedException("only the requester (" + crq.requester + ") or an admin may edit " + id);
        }
        if (!crq.status.isOpen()) {
            throw new ConflictException(id + " is " + crq.status + ": its title and description can no longer change");
        }
        String newTitle = title == null ? crq.title : title;
        String newDescription = description == null ? Objects.toString(crq.description, "") : description;
        if (newTitle.equals(crq.title) && newDescription.equals(crq.description)) {
            return crq;
        }
        crq.title = newTitle;
        crq.description = newDescription;
        crq.updatedAt = SqlTimes.now();
        outbox.publish(new CrqEdited(id.toString(), crq.title, crq.description, actor, crq.updatedAt));
        return crq;
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
        requireMove(crq, to);
        return change(crq, to, actor, reason);
    }

    private static void requireMove(ChangeRequest crq, CrqStatus to) {
        CrqStatus from = crq.status;
        if (!from.canMoveTo(to)) {
            throw new ConflictException(crq.crqId() + " is " + from + " and cannot become " + to
                    + (from.next().isEmpty() ? "" : "; it can become " + from.next()));
        }
    }

    /** Moves the CRQ, records the step in its history and announces it. */
    private ChangeRequest change(ChangeRequest crq, CrqStatus to, String actor, String reason) {
        CrqStatus from = crq.status;
        crq.status = to;
        crq.updatedAt = SqlTimes.now();
        record(crq, from, to, actor, reason);
        outbox.publish(
                new CrqStatusChanged(crq.crqId().toString(), from.name(), to.name(), actor, reason, crq.updatedAt));
        return crq;
    }

    /** The head of the CRQ's one branch in its repository, which must be the reviewed commit when one is named. */
    private String headToApprove(ChangeRequest crq, String reviewed) {
        CrqId id = crq.crqId();
        List<BranchHead> heads = links.headsOf(crq.id).stream()
                .filter(h -> h.repo().equals(crq.repo))
                .toList();
        if (heads.isEmpty()) {
            throw new ConflictException(id + " has no branch in repo " + crq.repo
                    + " that git-watcher has announced, so there is no commit to approve: create one (gitcrq branch"
                    + " start " + id + " …), push its work, and approve it once `gitcrq crq show " + id
                    + "` lists the branch with its head");
        }
        if (heads.size() > 1) {
            throw new ConflictException(id + " has several branches in repo " + crq.repo + " ("
                    + String.join(", ", heads.stream().map(BranchHead::branch).toList())
                    + "), and an approval is for one commit: keep one of them (merge the others into it and delete"
                    + " them)");
        }
        BranchHead head = heads.get(0);
        if (reviewed != null && !head.head().startsWith(reviewed.toLowerCase(Locale.ROOT))) {
            throw new ConflictException("branch " + head.branch() + " of " + id + " moved: its head is "
                    + head.head() + ", not the reviewed commit " + reviewed + "; review " + shortSha(head.head())
                    + " and approve that");
        }
        return head.head();
    }

    private static String shortSha(String sha) {
        return sha.length() > SHORT_SHA ? sha.substring(0, SHORT_SHA) : sha;
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
