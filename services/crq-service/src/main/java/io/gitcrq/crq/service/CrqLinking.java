package io.gitcrq.crq.service;

import io.gitcrq.crq.repository.ChangeRequestRepository;
import io.gitcrq.crq.repository.CrqLinkRepository;
import io.gitcrq.model.event.BranchCreated;
import io.gitcrq.model.event.CommitPushed;
import io.gitcrq.model.policy.CrqId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/** Ties Git to CRQs: every branch and commit that names a CRQ is linked to it. */
@ApplicationScoped
public class CrqLinking {

    private static final Logger LOG = Logger.getLogger(CrqLinking.class);

    private final ChangeRequestRepository crqs;
    private final CrqLinkRepository links;

    public CrqLinking(ChangeRequestRepository crqs, CrqLinkRepository links) {
        this.crqs = crqs;
        this.links = links;
    }

    @Transactional
    public void branchCreated(BranchCreated branch) {
        for (String id : branch.crqIds()) {
            known(id, branch.repo() + ":" + branch.branch())
                    .ifPresent(n -> links.linkBranch(n, branch.repo(), branch.branch()));
        }
    }

    @Transactional
    public void commitPushed(CommitPushed commit) {
        for (String id : commit.crqIds()) {
            known(id, commit.repo() + ":" + commit.commitId()).ifPresent(n -> {
                links.linkCommit(n, commit.repo(), commit.branch(), commit.commitId(), commit.message());
                links.linkBranch(n, commit.repo(), commit.branch());
            });
        }
    }

    private java.util.Optional<Long> known(String id, String what) {
        long number = CrqId.parse(id).number();
        if (crqs.byNumber(number).isEmpty()) {
            // git-watcher reports commits naming CRQs that do not exist as policy violations.
            LOG.debugf("%s names unknown %s; not linked", what, id);
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(number);
    }
}
