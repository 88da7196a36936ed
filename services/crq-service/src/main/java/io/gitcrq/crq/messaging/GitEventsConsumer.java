package io.gitcrq.crq.messaging;

import io.gitcrq.crq.service.CrqLinking;
import io.gitcrq.kit.delivery.GuardedDelivery;
import io.gitcrq.kit.inbox.Inbox;
import io.gitcrq.model.event.BranchCreated;
import io.gitcrq.model.event.BranchDeleted;
import io.gitcrq.model.event.CommitPushed;
import io.gitcrq.model.event.DomainEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

@ApplicationScoped
public class GitEventsConsumer {

    private final Inbox inbox;
    private final CrqLinking linking;

    public GitEventsConsumer(Inbox inbox, CrqLinking linking) {
        this.inbox = inbox;
        this.linking = linking;
    }

    @GuardedDelivery
    @Incoming("git-events")
    @Blocking // ordered: one record at a time per channel, so a key's events apply in order
    @Transactional
    public void consume(String record) {
        DomainEvent event = inbox.firstDelivery(record);
        if (event instanceof CommitPushed commit) {
            linking.commitPushed(commit);
        } else if (event instanceof BranchCreated branch) {
            linking.branchCreated(branch);
        } else if (event instanceof BranchDeleted deleted) {
            linking.branchDeleted(deleted);
        }
    }
}
