package io.gitcrq.execagent.messaging;

import io.gitcrq.execagent.repository.WatchedRepoRepository;
import io.gitcrq.kit.db.SqlTimes;
import io.gitcrq.kit.delivery.GuardedDelivery;
import io.gitcrq.kit.inbox.Inbox;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.RepoUnwatched;
import io.gitcrq.model.event.RepoWatched;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Git events keep this agent's view of the watched repositories: a CRQ's repository watched at a path of this host
 * is where its execs and launches run, with no {@code gitcrq.exec.projects} entry. Other Git events are not its
 * business.
 */
@ApplicationScoped
public class GitEventsConsumer {

    private final Inbox inbox;
    private final WatchedRepoRepository repos;

    public GitEventsConsumer(Inbox inbox, WatchedRepoRepository repos) {
        this.inbox = inbox;
        this.repos = repos;
    }

    @GuardedDelivery
    @Incoming("git-events")
    @Blocking // ordered: a repository's watch and unwatch apply in order
    @Transactional
    public void consume(String record) {
        DomainEvent event = inbox.firstDelivery(record);
        if (event instanceof RepoWatched watched) {
            repos.watched(watched, SqlTimes.now());
        } else if (event instanceof RepoUnwatched unwatched) {
            repos.unwatched(unwatched);
        }
    }
}
