package io.gitcrq.mergebot.messaging;

import io.gitcrq.kit.delivery.GuardedDelivery;
import io.gitcrq.kit.inbox.Inbox;
import io.gitcrq.mergebot.service.MergeQueue;
import io.gitcrq.mergebot.service.RepoDirectory;
import io.gitcrq.model.event.BranchCreated;
import io.gitcrq.model.event.BranchDeleted;
import io.gitcrq.model.event.CommitPushed;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.RepoUnwatched;
import io.gitcrq.model.event.RepoWatched;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * From Git events merge-bot learns where repositories live, and that their branches changed: then their merge
 * queues run again, since a push may resolve a conflict or bring a new head whose checks the CRQ now waits for.
 */
@ApplicationScoped
public class GitEventsConsumer {

    private final Inbox inbox;
    private final RepoDirectory repos;
    private final MergeQueue queue;

    public GitEventsConsumer(Inbox inbox, RepoDirectory repos, MergeQueue queue) {
        this.inbox = inbox;
        this.repos = repos;
        this.queue = queue;
    }

    @GuardedDelivery
    @Incoming("git-events")
    @Blocking // ordered: one record at a time per channel, so a key's events apply in order
    @Transactional
    public void consume(String record) {
        DomainEvent event = inbox.firstDelivery(record);
        if (event instanceof RepoWatched watched) {
            repos.watched(watched);
            queue.run(watched.repo());
        } else if (event instanceof RepoUnwatched unwatched) {
            repos.unwatched(unwatched);
        } else if (event instanceof CommitPushed pushed) {
            queue.run(pushed.repo());
        } else if (event instanceof BranchCreated created) {
            queue.run(created.repo());
        } else if (event instanceof BranchDeleted deleted) {
            queue.run(deleted.repo());
        }
    }
}
