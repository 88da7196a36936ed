package io.gitcrq.mergebot.service;

import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.mergebot.domain.WatchedRepo;
import io.gitcrq.mergebot.repository.WatchedRepoRepository;
import io.gitcrq.model.event.RepoUnwatched;
import io.gitcrq.model.event.RepoWatched;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;

/** Where watched repositories live, as git-watcher announces them; the latest announcement wins. */
@ApplicationScoped
public class RepoDirectory {

    private final WatchedRepoRepository repos;

    public RepoDirectory(WatchedRepoRepository repos) {
        this.repos = repos;
    }

    @Transactional
    public void watched(RepoWatched event) {
        WatchedRepo repo = repos.findByIdOptional(event.repo()).orElseGet(() -> {
            WatchedRepo created = new WatchedRepo();
            created.repo = event.repo();
            return created;
        });
        repo.location = event.location();
        repo.defaultBranch = event.defaultBranch();
        repo.updatedAt = SqlTimes.now();
        repos.persist(repo);
    }

    /** No longer watched: approvals for it are blocked ("not watched") until it is watched again. */
    @Transactional
    public void unwatched(RepoUnwatched event) {
        repos.deleteById(event.repo());
    }

    public Optional<WatchedRepo> find(String repo) {
        return repos.findByIdOptional(repo);
    }
}
