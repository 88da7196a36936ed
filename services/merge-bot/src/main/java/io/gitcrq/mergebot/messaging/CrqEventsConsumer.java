package io.gitcrq.mergebot.messaging;

import io.gitcrq.kit.delivery.GuardedDelivery;
import io.gitcrq.kit.inbox.Inbox;
import io.gitcrq.mergebot.service.CrqTracker;
import io.gitcrq.mergebot.service.MergeQueue;
import io.gitcrq.model.event.CrqApproved;
import io.gitcrq.model.event.CrqCreated;
import io.gitcrq.model.event.CrqStatusChanged;
import io.gitcrq.model.event.DomainEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * CRQ events keep merge-bot's view of each CRQ current; an approval puts the CRQ in its target's merge queue.
 * A CRQ's events share its key, so its status change to APPROVED is seen before its CrqApproved.
 */
@ApplicationScoped
public class CrqEventsConsumer {

    private final Inbox inbox;
    private final CrqTracker crqs;
    private final MergeQueue queue;

    public CrqEventsConsumer(Inbox inbox, CrqTracker crqs, MergeQueue queue) {
        this.inbox = inbox;
        this.crqs = crqs;
        this.queue = queue;
    }

    @GuardedDelivery
    @Incoming("crq-events")
    @Blocking // ordered: one record at a time per channel, so a key's events apply in order
    @Transactional
    public void consume(String record) {
        DomainEvent event = inbox.firstDelivery(record);
        if (event instanceof CrqCreated created) {
            crqs.created(created);
        } else if (event instanceof CrqStatusChanged changed) {
            crqs.statusChanged(changed);
        } else if (event instanceof CrqApproved approved) {
            queue.approved(approved);
        }
    }
}
