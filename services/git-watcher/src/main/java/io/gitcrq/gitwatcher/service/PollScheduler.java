package io.gitcrq.gitwatcher.service;

import io.gitcrq.gitwatcher.config.GitWatcherConfig;
import io.gitcrq.gitwatcher.domain.WatchedRepo;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Polls every watched repository at {@code gitcrq.git-watcher.poll-interval}, except those told of their
 * pushes by webhook: those only at {@code webhook-fallback-poll-interval}, to find what a lost delivery missed.
 */
@ApplicationScoped
public class PollScheduler {

    private static final Logger LOG = Logger.getLogger(PollScheduler.class);

    private final RepoRegistry registry;
    private final RepoPoller poller;
    private final WebhookSettings webhooks;
    private final LastPolls lastPolls;
    private final Duration webhookFallback;

    public PollScheduler(
            RepoRegistry registry,
            RepoPoller poller,
            WebhookSettings webhooks,
            LastPolls lastPolls,
            GitWatcherConfig config) {
        this.registry = registry;
        this.poller = poller;
        this.webhooks = webhooks;
        this.lastPolls = lastPolls;
        this.webhookFallback = config.webhookFallbackPollInterval();
    }

    // Delayed by one interval: the database is created and migrated at startup, before the first poll.
    @Scheduled(
            every = "${gitcrq.git-watcher.poll-interval}",
            delayed = "${gitcrq.git-watcher.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pollAll() {
        for (WatchedRepo repo : registry.list()) {
            if (webhooks.enabled(repo) && lastPolls.polledWithin(repo.name, webhookFallback)) {
                continue;
            }
            try {
                poller.pollIfIdle(repo);
            } catch (RuntimeException e) {
                // One unreadable repository must not keep the others from being polled.
                LOG.warnf("poll of %s failed: %s", repo.name, e.getMessage());
            }
        }
    }
}
