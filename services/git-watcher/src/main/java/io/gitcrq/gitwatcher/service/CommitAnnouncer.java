package io.gitcrq.gitwatcher.service;

import io.gitcrq.gitwatcher.git.GitCommit;
import io.gitcrq.gitwatcher.repository.EmittedCommits;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.model.event.CommitPushed;
import io.gitcrq.model.policy.BranchNamePolicy;
import io.gitcrq.model.policy.CrqReferences;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/**
 * Announces a commit as CommitPushed once per repository, whoever finds it (a poll, a webhook's poll or a
 * history scan): its CRQs are those its message names, or else its branch's, as the repository's naming rule
 * (the caller's, from {@link RepoPolicyReader}) reads the branch name.
 */
@ApplicationScoped
public class CommitAnnouncer {

    private final EmittedCommits emitted;
    private final Outbox outbox;

    public CommitAnnouncer(EmittedCommits emitted, Outbox outbox) {
        this.emitted = emitted;
        this.outbox = outbox;
    }

    /** The event published, or empty when the commit was announced before. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<CommitPushed> announce(String repo, String branch, GitCommit commit, BranchNamePolicy names) {
        List<String> crqIds =
                CrqReferences.ofCommit(commit.message(), names.evaluate(branch).crqId());
        if (!emitted.markEmitted(repo, branch, commit, crqIds)) {
            return Optional.empty();
        }
        CommitPushed event = new CommitPushed(
                repo,
                branch,
                commit.id(),
                commit.parents(),
                commit.author(),
                commit.committer(),
                commit.message(),
                crqIds);
        outbox.publish(event);
        return Optional.of(event);
    }
}
