package io.gitcrq.mergebot.messaging;

import io.gitcrq.kit.inbox.Inbox;
import io.gitcrq.mergebot.service.RepoDirectory;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.RepoWatched;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** From Git events merge-bot only learns where repositories live. */
@ApplicationScoped
public class GitEventsConsumer {

    private final Inbox inbox;
    private final RepoDirectory repos;

    public GitEventsConsumer(Inbox inbox, RepoDirectory repos) {
        this.inbox = inbox;
        this.repos = repos;
    }

    @Incoming("git-events")
    @Blocking // ordered: one record at a time per channel, so a key's events apply in order
    @Transactional
    public void consume(String record) {
        DomainEvent event = inbox.firstDelivery(record);
        if (event instanceof RepoWatched watched) {
            repos.watched(watched);
        }
    }
}
