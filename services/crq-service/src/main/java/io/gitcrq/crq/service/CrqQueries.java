package io.gitcrq.crq.service;

import io.gitcrq.crq.domain.BranchLink;
import io.gitcrq.crq.domain.ChangeRequest;
import io.gitcrq.crq.domain.CommitLink;
import io.gitcrq.crq.domain.CrqStatus;
import io.gitcrq.crq.domain.CrqTransition;
import io.gitcrq.crq.repository.ChangeRequestRepository;
import io.gitcrq.crq.repository.CrqLinkRepository;
import io.gitcrq.model.policy.CrqId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/** What is known of CRQs, read without changing anything: lists, one CRQ with its links and history. */
@ApplicationScoped
public class CrqQueries {

    /** A CRQ with the branches and commits that name it and every step of its life. */
    public record CrqDetails(
            ChangeRequest crq, List<BranchLink> branches, List<CommitLink> commits, List<CrqTransition> history) {}

    private final ChangeRequestRepository crqs;
    private final CrqLinkRepository links;

    public CrqQueries(ChangeRequestRepository crqs, CrqLinkRepository links) {
        this.crqs = crqs;
        this.links = links;
    }

    /** Newest first; a null status or repo does not filter. */
    @Transactional
    public List<ChangeRequest> list(CrqStatus status, String repo) {
        return crqs.list(status, repo);
    }

    /** The CRQ as stored now (a CRQ just moved in another transaction is read again), with links and history. */
    @Transactional
    public CrqDetails details(ChangeRequest crq) {
        ChangeRequest fresh = crqs.byNumber(crq.id).orElse(crq);
        return new CrqDetails(fresh, links.branchesOf(fresh.id), links.commitsOf(fresh.id), crqs.historyOf(fresh.id));
    }

    /** The CRQs a commit is linked to: the lookup from Git back to change requests. */
    @Transactional
    public List<CrqId> crqsOfCommit(String commitId) {
        return links.crqsOfCommit(commitId).stream().map(CrqId::new).toList();
    }
}
