package io.gitcrq.mergebot.service;

import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.mergebot.domain.MergeAttempt;
import io.gitcrq.mergebot.domain.MergeOutcome;
import io.gitcrq.mergebot.repository.MergeAttemptRepository;
import io.gitcrq.model.event.BranchMerged;
import io.gitcrq.model.event.MergeBlocked;
import io.gitcrq.model.policy.CrqId;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * What merge-bot did for a CRQ: every merge attempt (merged, or blocked and exactly why) is recorded and
 * announced (BranchMerged or MergeBlocked) in the caller's transaction.
 */
@ApplicationScoped
public class MergeAttempts {

    private static final Logger LOG = Logger.getLogger(MergeAttempts.class);

    private final MergeAttemptRepository attempts;
    private final Outbox outbox;

    public MergeAttempts(MergeAttemptRepository attempts, Outbox outbox) {
        this.attempts = attempts;
        this.outbox = outbox;
    }

    public boolean isMerged(CrqId crq) {
        return attempts.mergedAttemptOf(crq.number()).isPresent();
    }

    public List<MergeAttempt> of(CrqId crq) {
        return attempts.ofCrq(crq.number());
    }

    /** Records and announces a MERGED or BLOCKED result. */
    public void record(CrqId crq, String repo, String target, BranchMerger.Result result) {
        if (result.outcome() == MergeOutcome.WAITING) {
            throw new IllegalArgumentException("waiting is not a merge attempt");
        }
        MergeAttempt attempt = new MergeAttempt();
        attempt.crqNumber = crq.number();
        attempt.repo = repo;
        attempt.branch = result.branch();
        attempt.targetBranch = target;
        attempt.outcome = result.outcome();
        attempt.reason = result.reason();
        attempt.mergeCommit = result.mergeCommit();
        attempt.at = SqlTimes.now();
        attempts.persist(attempt);
        if (result.outcome() == MergeOutcome.MERGED) {
            LOG.infof("merged %s of %s for %s into %s as %s", result.branch(), repo, crq, target, result.mergeCommit());
            outbox.publish(
                    new BranchMerged(crq.toString(), repo, result.branch(), target, result.mergeCommit(), attempt.at));
        } else {
            LOG.infof("not merging %s: %s", crq, result.reason());
            outbox.publish(new MergeBlocked(crq.toString(), repo, result.branch(), result.reason(), attempt.at));
        }
    }
}
