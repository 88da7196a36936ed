package io.gitcrq.gitwatcher.service;

import io.gitcrq.gitwatcher.domain.WatchedRepo;
import io.gitcrq.gitwatcher.git.Branches;
import io.gitcrq.gitwatcher.git.CommitHistory;
import io.gitcrq.gitwatcher.git.GitCommit;
import io.gitcrq.gitwatcher.git.GitRepositories;
import io.gitcrq.gitwatcher.repository.BranchPositions;
import io.gitcrq.kit.outbox.Outbox;
import io.gitcrq.kit.policy.EffectivePolicy;
import io.gitcrq.model.api.git.PollSummary;
import io.gitcrq.model.event.BranchCreated;
import io.gitcrq.model.event.BranchDeleted;
import io.gitcrq.model.event.CommitPushed;
import io.gitcrq.model.event.PolicyViolation;
import io.gitcrq.model.policy.BranchNameVerdict;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

/**
 * Compares a repository's branches with the positions stored at the last poll and announces the
 * difference. The new positions and the events go into the caller's transaction (which holds the
 * repository's lock): after a crash, a poll is either wholly done or not at all, so nothing is announced
 * twice or lost. Names and links are judged by the repository's policy as its git config says it now
 * ({@link RepoPolicyReader}).
 */
@ApplicationScoped
public class ChangeDetector {

    private final GitRepositories repositories;
    private final BranchPositions positions;
    private final CommitAnnouncer commits;
    private final Violations violations;
    private final Outbox outbox;
    private final RepoPolicyReader policies;
    private final PolicyChanges policyChanges;

    public ChangeDetector(
            GitRepositories repositories,
            BranchPositions positions,
            CommitAnnouncer commits,
            Violations violations,
            Outbox outbox,
            RepoPolicyReader policies,
            PolicyChanges policyChanges) {
        this.repositories = repositories;
        this.positions = positions;
        this.commits = commits;
        this.violations = violations;
        this.outbox = outbox;
        this.policies = policies;
        this.policyChanges = policyChanges;
    }

    /**
     * Announces created and deleted branches and, when {@code announceCommits}, the commits new since the
     * last poll. Without it (the first look at a repository) the existing history is only taken as seen:
     * a history scan ({@link HistoryScanner}) announces it when asked.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public PollSummary detect(WatchedRepo repo, boolean announceCommits) {
        Map<String, String> stored = positions.of(repo.name);
        List<String> created = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        List<String> announced = new ArrayList<>();
        List<PolicyViolation> violated = new ArrayList<>();
        try (Repository git = repositories.open(repo.name, repo.repoLocation())) {
            Map<String, ObjectId> current = Branches.heads(git);
            EffectivePolicy policy = policies.of(repo, git);
            policyChanges.observe(repo.name, policy);

            stored.forEach((branch, lastHead) -> {
                if (!current.containsKey(branch)) {
                    outbox.publish(new BranchDeleted(repo.name, branch, lastHead));
                    positions.remove(repo.name, branch);
                    deleted.add(branch);
                }
            });

            List<String> moved = new ArrayList<>();
            current.forEach((branch, head) -> {
                if (head.getName().equals(stored.get(branch))) {
                    return;
                }
                if (!stored.containsKey(branch)) {
                    branchCreated(repo.name, branch, head.getName(), policy, violated);
                    created.add(branch);
                }
                moved.add(branch);
            });

            if (announceCommits) {
                List<ObjectId> seenHeads =
                        stored.values().stream().map(ObjectId::fromString).toList();
                // A commit reachable from several moved branches is announced once, with the first branch:
                // work branches before the default branch, so that a branch pushed and merged between two
                // polls still gives its commits its CRQ.
                moved.sort(Comparator.comparing((String b) -> b.equals(repo.defaultBranch))
                        .thenComparing(b -> b));
                for (String branch : moved) {
                    for (GitCommit commit : CommitHistory.newCommits(git, current.get(branch), seenHeads)) {
                        commits.announce(
                                        repo.name,
                                        branch,
                                        commit,
                                        policy.policy().branchNames())
                                .ifPresent(pushed -> {
                                    announced.add(pushed.commitId());
                                    if (policy.policy().requireLinkedCommits()) {
                                        reportIfUnlinked(pushed, violated);
                                    }
                                });
                    }
                }
            }
            moved.forEach(branch ->
                    positions.store(repo.name, branch, current.get(branch).getName()));
        }
        return new PollSummary(repo.name, created, deleted, announced, violated);
    }

    private void branchCreated(
            String repo, String branch, String head, EffectivePolicy policy, List<PolicyViolation> violated) {
        BranchNameVerdict verdict = policy.policy().branchNames().evaluate(branch);
        outbox.publish(new BranchCreated(
                repo, branch, head, verdict.crqId() == null ? List.of() : List.of(verdict.crqId()), verdict.valid()));
        if (!verdict.valid()) {
            violated.add(violations.report(
                    repo,
                    branch,
                    head,
                    PolicyViolation.RULE_BRANCH_NAME,
                    verdict.problem() + "; rule of " + repo + ": " + policy.branchRule()));
        }
    }

    private void reportIfUnlinked(CommitPushed pushed, List<PolicyViolation> violated) {
        if (pushed.crqIds().isEmpty()) {
            violated.add(violations.report(
                    pushed.repo(),
                    pushed.branch(),
                    pushed.commitId(),
                    PolicyViolation.RULE_UNLINKED_COMMIT,
                    "commit " + pushed.commitId().substring(0, 12) + " on "
                            + pushed.branch() + " names no CRQ (write e.g. 'CRQ-12: …' in its message) and its branch "
                            + "names none"));
        }
    }
}
