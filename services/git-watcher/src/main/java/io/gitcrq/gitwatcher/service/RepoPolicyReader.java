package io.gitcrq.gitwatcher.service;

import io.gitcrq.gitwatcher.domain.WatchedRepo;
import io.gitcrq.gitwatcher.git.GitRepositories;
import io.gitcrq.kit.policy.EffectivePolicy;
import io.gitcrq.kit.policy.RepoPolicies;
import io.gitcrq.model.policy.RepoPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.Repository;

/**
 * The gitcrq policy of a watched repository, read at each use so that a {@code git config gitcrq.…} change
 * applies at the next poll: a local repository's own git config over the service-wide policy; a remote
 * repository's config is out of reach (the mirror's is git-watcher's own), so the service-wide policy applies.
 */
@ApplicationScoped
public class RepoPolicyReader {

    private final RepoPolicies policies;
    private final GitRepositories repositories;

    public RepoPolicyReader(RepoPolicies policies, GitRepositories repositories) {
        this.policies = policies;
        this.repositories = repositories;
    }

    /** The policy of {@code repo}, read from {@code git}, the repository already opened for it. */
    public EffectivePolicy of(WatchedRepo repo, Repository git) {
        if (repo.remote) {
            return policies.ofService();
        }
        // Repository.getConfig() reloads the config file when it changed; getNames lists the repository's own keys.
        Config config = git.getConfig();
        return policies.ofRepository(
                repo.name, config.getNames(RepoPolicy.SECTION), key -> config.getString(RepoPolicy.SECTION, null, key));
    }

    /** The policy of {@code repo}, opening it to read its config. */
    public EffectivePolicy of(WatchedRepo repo) {
        if (repo.remote) {
            return policies.ofService();
        }
        try (Repository git = repositories.open(repo.name, repo.repoLocation())) {
            return of(repo, git);
        }
    }
}
