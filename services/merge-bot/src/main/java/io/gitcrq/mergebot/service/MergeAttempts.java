package io.gitcrq.mergebot.service;

import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.mergebot.domain.MergeAttempt;
import io.gitcrq.mergebot.domain.MergeOutcome;
import io.gitcrq.mergebot.domain.TrackedCrq;
import io.gitcrq.mergebot.domain.WatchedRepo;
import io.gitcrq.mergebot.repository.MergeAttemptRepository;
import io.gitcrq.model.event.BranchMerged;
import io.gitcrq.model.event.CrqApproved;
import io.gitcrq.model.event.MergeBlocked;
import io.gitcrq.model.policy.CrqId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * What merge-bot does when a CRQ is approved: merges its branch, or says exactly why not. Every attempt is
 * recorded and announced (BranchMerged or MergeBlocked) in one transaction.
 */
@ApplicationScoped
public class MergeAttempts {

    private static final Logger LOG = Logger.getLogger(MergeAttempts.class);

    private final MergeAttemptRepository attempts;
    private final CrqTracker crqs;
    private final RepoDirectory repos;
    private final BranchMerger merger;
    private final Outbox outbox;

    public MergeAttempts(MergeAttemptRepository attempts, CrqTracker crqs, RepoDirectory repos, BranchMerger merger,
                         Outbox outbox) {
        this.attempts = attempts;
        this.crqs = crqs;
        this.repos = repos;
        this.merger = merger;
        this.outbox = outbox;
    }

    @Transactional
    public void approved(CrqApproved approved) {
        CrqId crq = CrqId.parse(approved.crqId());
        if (attempts.mergedAttemptOf(crq.number()).isPresent()) {
            // A second approval event (or a replay) of a merged CRQ: merging it again would be a second merge.
            LOG.infof("%s is already merged; its approval by %s is not merged again", crq, approved.approver());
            return;
        }
        record(crq, approved, attempt(crq, approved));
    }

    public List<MergeAttempt> of(CrqId crq) {
        return attempts.ofCrq(crq.number());
    }

    private BranchMerger.Result attempt(CrqId crq, CrqApproved approved) {
        Optional<TrackedCrq> tracked = crqs.find(crq);
        if (tracked.isEmpty() || !tracked.get().isApproved()) {
            String status = tracked.map(t -> "is " + t.status).orElse("is unknown to merge-bot");
            return BranchMerger.Result.blocked(null,
                    crq + " " + status + ", not " + TrackedCrq.APPROVED + "; it is not merged");
        }
        Optional<WatchedRepo> repo = repos.find(approved.repo());
        if (repo.isEmpty()) {
            return BranchMerger.Result.blocked(null, "repo " + approved.repo()
                    + " is not watched (no RepoWatched from git-watcher), so merge-bot does not know where it lives");
        }
        RepoLocation location = RepoLocation.of(repo.get().location);
        if (location.isRemote()) {
            return BranchMerger.Result.blocked(null, "remote repositories are not merged yet: "
                    + approved.repo() + " is at " + location.location());
        }
        return merger.merge(approved.repo(), location.directory(), crq, approved.targetBranch(), approved.approver());
    }

    private void record(CrqId crq, CrqApproved approved, BranchMerger.Result result) {
        MergeAttempt attempt = new MergeAttempt();
        attempt.crqNumber = crq.number();
        attempt.repo = approved.repo();
        attempt.branch = result.branch();
        attempt.targetBranch = approved.targetBranch();
        attempt.outcome = result.outcome();
        attempt.reason = result.reason();
        attempt.mergeCommit = result.mergeCommit();
        attempt.at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        attempts.persist(attempt);
        if (result.outcome() == MergeOutcome.MERGED) {
            LOG.infof("merged %s of %s for %s into %s as %s", result.branch(), approved.repo(), crq,
                    approved.targetBranch(), result.mergeCommit());
            outbox.publish(new BranchMerged(crq.toString(), approved.repo(), result.branch(), approved.targetBranch(),
                    result.mergeCommit(), attempt.at));
        } else {
            LOG.infof("not merging %s: %s", crq, result.reason());
            outbox.publish(new MergeBlocked(crq.toString(), approved.repo(), result.branch(), result.reason(),
                    attempt.at));
        }
    }
}
