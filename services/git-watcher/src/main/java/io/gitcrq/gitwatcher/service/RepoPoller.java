package io.gitcrq.gitwatcher.service;

import io.gitcrq.gitwatcher.domain.WatchedRepo;
import io.gitcrq.gitwatcher.git.GitAccessException;
import io.gitcrq.gitwatcher.git.GitRepositories;
import io.gitcrq.gitwatcher.repository.RepoLocks;
import io.gitcrq.kit.error.ConflictException;
import io.gitcrq.kit.error.UpstreamUnavailableException;
import io.gitcrq.model.api.git.PollSummary;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Polls repositories, one poll of a repository at a time: within this instance by a lock per repository
 * (it also guards the mirror's fetch), across instances by the repository's advisory lock in PostgreSQL.
 */
@ApplicationScoped
public class RepoPoller {

    private final ConcurrentMap<String, ReentrantLock> running = new ConcurrentHashMap<>();
    private final RepoRegistry registry;
    private final GitRepositories repositories;
    private final RepoLocks locks;
    private final ChangeDetector detector;
    private final LastPolls lastPolls;

    public RepoPoller(
            RepoRegistry registry,
            GitRepositories repositories,
            RepoLocks locks,
            ChangeDetector detector,
            LastPolls lastPolls) {
        this.lastPolls = lastPolls;
        this.registry = registry;
        this.repositories = repositories;
        this.locks = locks;
        this.detector = detector;
    }

    /** Polls now, after a poll of the same repository that is already running: what a caller asks for. */
    public PollSummary poll(String name) {
        WatchedRepo repo = registry.get(name);
        ReentrantLock lock = lockOf(name);
        try {
            if (!lock.tryLock(RepoRegistry.LOCK_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new ConflictException("a poll of " + name + " is still running; try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConflictException("interrupted while waiting for a poll of " + name);
        }
        try {
            return pollHoldingLock(repo, RepoRegistry.LOCK_WAIT)
                    .orElseThrow(() -> new ConflictException(
                            name + " is being polled by another instance of git-watcher; try again"));
        } catch (GitAccessException e) {
            throw new UpstreamUnavailableException("cannot read " + name + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Polls unless a poll of the repository is running here or in another instance: the scheduler's poll. */
    public Optional<PollSummary> pollIfIdle(WatchedRepo repo) {
        ReentrantLock lock = lockOf(repo.name);
        if (!lock.tryLock()) {
            return Optional.empty();
        }
        try {
            return pollHoldingLock(repo, Duration.ZERO);
        } finally {
            lock.unlock();
        }
    }

    private Optional<PollSummary> pollHoldingLock(WatchedRepo repo, Duration lockWait) {
        if (repo.remote) {
            repositories.refreshMirror(repo.name, repo.location);
        }
        Optional<PollSummary> summary = QuarkusTransaction.requiringNew()
                .call(() -> locks.tryLockWithin(repo.name, lockWait)
                        ? Optional.of(detector.detect(repo, true))
                        : Optional.<PollSummary>empty());
        summary.ifPresent(s -> lastPolls.polled(repo.name));
        return summary;
    }

    private ReentrantLock lockOf(String name) {
        return running.computeIfAbsent(name, n -> new ReentrantLock());
    }
}
