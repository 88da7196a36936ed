package io.gitcrq.gitwatcher.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When this instance last compared each repository with its stored positions: what lets the scheduler
 * poll repositories fed by webhooks only as a fallback. In memory: after a restart every repository is due.
 */
@ApplicationScoped
public class LastPolls {

    private final Map<String, Instant> lastPoll = new ConcurrentHashMap<>();

    public void polled(String repo) {
        lastPoll.put(repo, Instant.now());
    }

    /** Makes the repository due: the scheduler polls it at its next round, webhook or not. */
    public void due(String repo) {
        lastPoll.remove(repo);
    }

    public boolean polledWithin(String repo, Duration interval) {
        Instant last = lastPoll.get(repo);
        return last != null && last.plus(interval).isAfter(Instant.now());
    }
}
