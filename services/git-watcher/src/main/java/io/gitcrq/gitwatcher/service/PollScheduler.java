package io.gitcrq.gitwatcher.service;

import io.gitcrq.gitwatcher.domain.WatchedRepo;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Polls every watched repository at {@code gitcrq.git-watcher.poll-interval}. */
@ApplicationScoped
public class PollScheduler {

    private static final Logger LOG = Logger.getLogger(PollScheduler.class);

    private final RepoRegistry registry;
    private final RepoPoller poller;

    public PollScheduler(RepoRegistry registry, RepoPoller poller) {
        this.registry = registry;
        this.poller = poller;
    }

    // Delayed by one interval: the database is created and migrated at startup, before the first poll.
    @Scheduled(every = "${gitcrq.git-watcher.poll-interval}", delayed = "${gitcrq.git-watcher.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pollAll() {
        for (WatchedRepo repo : registry.list()) {
            try {
                poller.pollIfIdle(repo);
            } catch (RuntimeException e) {
                // One unreadable repository must not keep the others from being polled.
                LOG.warnf("poll of %s failed: %s", repo.name, e.getMessage());
            }
        }
    }
}
