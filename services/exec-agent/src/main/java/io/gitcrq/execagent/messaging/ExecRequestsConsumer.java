package io.gitcrq.execagent.messaging;

import io.gitcrq.execagent.service.ExecStarter;
import io.gitcrq.kit.delivery.GuardedDelivery;
import io.gitcrq.kit.inbox.Inbox;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.ExecRequested;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Commands requested through Kafka; every agent reads every request and runs those for its host. */
@ApplicationScoped
public class ExecRequestsConsumer {

    private final Inbox inbox;
    private final ExecStarter starter;

    public ExecRequestsConsumer(Inbox inbox, ExecStarter starter) {
        this.inbox = inbox;
        this.starter = starter;
    }

    @GuardedDelivery
    @Incoming("exec-requests")
    @Blocking // ordered: one record at a time, so a host's requests are placed in the order they were made
    @Transactional
    public void consume(String record) {
        DomainEvent event = inbox.firstDelivery(record);
        if (event instanceof ExecRequested request) {
            starter.requested(request);
        }
    }
}
