package io.gitcrq.crq.service;

import io.gitcrq.crq.domain.ChangeRequest;
import io.gitcrq.crq.repository.ChangeRequestRepository;
import io.gitcrq.crq.repository.CrqLinkRepository;
import io.gitcrq.model.event.BranchCreated;
import io.gitcrq.model.event.BranchDeleted;
import io.gitcrq.model.event.CommitPushed;
import io.gitcrq.model.policy.CrqId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Ties Git to CRQs: every branch and commit that names a CRQ is linked to it, and the head of each branch whose
 * name names a CRQ is kept, since an approval is for that commit. A commit of the CRQ pushed to its branch after
 * its approval withdraws the approval ({@link CrqLifecycle#branchMovedAfterApproval}).
 *
 * <p>A branch or commit is linked only to a CRQ of its own repository: CRQ numbers are global, so a commit of
 * another repository naming {@code CRQ-1} is not CRQ-1's work (git-watcher reports what names no CRQ of its
 * repository as it reports any unlinked commit). And a CRQ that is closed takes no new work: a branch made afterwards
 * is not linked to it, nor a commit made after it closed; a commit made before (found by a history scan) is.
 *
 * <p>The head is the last commit git-watcher announced on the branch (it announces a push's commits parents
 * first). A branch moved to a commit announced before (reset, or a commit first seen on another branch) brings
 * no event: crq-service keeps the old head, and merge-bot, which reads the real head before it merges, refuses
 * a head that is not the approved commit.
 */
@ApplicationScoped
public class CrqLinking {

    private static final Logger LOG = Logger.getLogger(CrqLinking.class);

    private final ChangeRequestRepository crqs;
    private final CrqLinkRepository links;
    private final CrqLifecycle lifecycle;

    public CrqLinking(ChangeRequestRepository crqs, CrqLinkRepository links, CrqLifecycle lifecycle) {
        this.crqs = crqs;
        this.links = links;
        this.lifecycle = lifecycle;
    }

    @Transactional
    public void branchCreated(BranchCreated branch) {
        for (String id : branch.crqIds()) {
            linkable(id, branch.repo(), null, branch.repo() + ":" + branch.branch())
                    .ifPresent(n -> {
                        links.linkBranch(n, branch.repo(), branch.branch());
                        links.setHead(n, branch.repo(), branch.branch(), branch.head());
                        lifecycle.branchMovedAfterApproval(new CrqId(n), branch.repo(), branch.branch(), branch.head());
                    });
        }
    }

    /**
     * Links the commit to the CRQs it names, and moves the head of the CRQ branch it was pushed to. A commit that
     * names another CRQ moves the head but leaves the approval: merge-bot never merges a branch carrying another
     * CRQ's commit, and says so, while the approval still names the commit that was reviewed.
     */
    @Transactional
    public void commitPushed(CommitPushed commit) {
        Instant committed = commit.committer() != null ? commit.committer().when() : null;
        for (String id : commit.crqIds()) {
            linkable(id, commit.repo(), committed, commit.repo() + ":" + commit.commitId())
                    .ifPresent(n -> {
                        links.linkCommit(n, commit.repo(), commit.branch(), commit.commitId(), commit.message());
                        links.linkBranch(n, commit.repo(), commit.branch());
                    });
        }
        for (long n : links.crqsOfBranch(commit.repo(), commit.branch())) {
            links.setHead(n, commit.repo(), commit.branch(), commit.commitId());
            CrqId crq = new CrqId(n);
            if (commit.crqIds().contains(crq.toString())) {
                lifecycle.branchMovedAfterApproval(crq, commit.repo(), commit.branch(), commit.commitId());
            }
        }
    }

    /** The branch is gone: its head is unknown until it is created again. */
    @Transactional
    public void branchDeleted(BranchDeleted branch) {
        links.forgetHeads(branch.repo(), branch.branch());
    }

    /**
     * The number of CRQ {@code id} when work of {@code repo} made at {@code madeAt} (null: now) may be linked to it:
     * it exists, belongs to that repository, and was open then.
     */
    private Optional<Long> linkable(String id, String repo, Instant madeAt, String what) {
        long number = CrqId.parse(id).number();
        Optional<ChangeRequest> crq = crqs.byNumber(number);
        if (crq.isEmpty()) {
            // git-watcher reports commits naming CRQs that do not exist as policy violations.
            LOG.debugf("%s names unknown %s; not linked", what, id);
            return Optional.empty();
        }
        if (!crq.get().repo.equals(repo)) {
            LOG.infof("%s names %s, a CRQ of repository %s; not linked", what, id, crq.get().repo);
            return Optional.empty();
        }
        boolean madeWhileOpen = crq.get().status.isOpen() || (madeAt != null && !madeAt.isAfter(crq.get().updatedAt));
        if (!madeWhileOpen) {
            LOG.infof("%s names %s, which is %s since %s; not linked", what, id, crq.get().status, crq.get().updatedAt);
            return Optional.empty();
        }
        return Optional.of(number);
    }
}
