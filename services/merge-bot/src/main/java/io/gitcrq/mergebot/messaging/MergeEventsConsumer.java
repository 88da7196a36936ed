package io.gitcrq.mergebot.messaging;

import io.gitcrq.kit.delivery.GuardedDelivery;
import io.gitcrq.kit.inbox.Inbox;
import io.gitcrq.mergebot.service.CheckReports;
import io.gitcrq.model.event.CheckReported;
import io.gitcrq.model.event.DomainEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * From merge events merge-bot takes check reports (its own, made through POST /checks, and anyone else's);
 * its own merge outcomes come back here too and are ignored.
 */
@ApplicationScoped
public class MergeEventsConsumer {

    private final Inbox inbox;
    private final CheckReports checks;

    public MergeEventsConsumer(Inbox inbox, CheckReports checks) {
        this.inbox = inbox;
        this.checks = checks;
    }

    @GuardedDelivery
    @Incoming("merge-events")
    @Blocking // ordered: one record at a time per channel, so a repository's check reports apply in order
    @Transactional
    public void consume(String record) {
        DomainEvent event = inbox.firstDelivery(record);
        if (event instanceof CheckReported reported) {
            checks.reported(reported);
        }
    }
}
