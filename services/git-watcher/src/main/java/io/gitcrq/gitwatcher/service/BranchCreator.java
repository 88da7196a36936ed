package io.gitcrq.gitwatcher.service;

import io.gitcrq.gitwatcher.domain.WatchedRepo;
import io.gitcrq.gitwatcher.git.Branches;
import io.gitcrq.gitwatcher.git.GitRepositories;
import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.kit.error.DomainException;
import io.gitcrq.kit.error.EntityNotFoundException;
import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.kit.policy.EffectivePolicy;
import io.gitcrq.model.api.git.CreatedBranch;
import io.gitcrq.model.policy.BranchNameVerdict;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.jboss.logging.Logger;

/**
 * Creates branches that follow the repository's naming rule (its git config's, see {@link RepoPolicyReader}) in
 * local repositories, and announces them at once.
 */
@ApplicationScoped
public class BranchCreator {

    private static final Logger LOG = Logger.getLogger(BranchCreator.class);

    private final RepoRegistry registry;
    private final GitRepositories repositories;
    private final RepoPoller poller;
    private final RepoPolicyReader policies;

    public BranchCreator(
            RepoRegistry registry, GitRepositories repositories, RepoPoller poller, RepoPolicyReader policies) {
        this.registry = registry;
        this.repositories = repositories;
        this.poller = poller;
        this.policies = policies;
    }

    /** Creates {@code branch} at the head of {@code from} (the default branch when null). */
    public CreatedBranch create(String repoName, String branch, String from) {
        WatchedRepo repo = registry.get(repoName);
        if (repo.remote) {
            // Writing to a mirror would be undone by its next fetch.
            throw new ConflictException(
                    "branch creation needs a local repository; " + repoName + " is watched from " + repo.location);
        }
        String source = from == null ? repo.defaultBranch : from;
        ObjectId head;
        try (Repository git = repositories.open(repo.name, repo.repoLocation())) {
            EffectivePolicy policy = policies.of(repo, git);
            BranchNameVerdict verdict = policy.policy().branchNames().evaluate(branch);
            if (!verdict.valid()) {
                throw new InvalidRequestException(
                        verdict.problem() + "; rule of " + repoName + ": " + policy.branchRule());
            }
            if (!Branches.isValidName(branch)) {
                throw new InvalidRequestException("'" + branch + "' is not a valid Git branch name");
            }
            head = Branches.head(git, source)
                    .orElseThrow(() -> new EntityNotFoundException(repoName + " has no branch " + source));
            if (Branches.head(git, branch).isPresent() || !Branches.create(git, branch, head)) {
                throw new ConflictException(repoName + " already has a branch " + branch);
            }
        }
        try {
            poller.poll(repoName); // announces BranchCreated now rather than at the next scheduled poll
        } catch (DomainException pollBusy) {
            // The branch exists; a poll running elsewhere, or the next scheduled one, announces it.
            LOG.infof(
                    "branch %s of %s created; announced by a later poll (%s)", branch, repoName, pollBusy.getMessage());
        }
        return new CreatedBranch(repoName, branch, head.getName());
    }
}
