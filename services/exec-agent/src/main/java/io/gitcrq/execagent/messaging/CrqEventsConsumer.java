package io.gitcrq.execagent.messaging;

import io.gitcrq.execagent.domain.CrqClosed;
import io.gitcrq.execagent.domain.CrqView;
import io.gitcrq.execagent.repository.CrqViewRepository;
import io.gitcrq.kit.delivery.GuardedDelivery;
import io.gitcrq.kit.inbox.Inbox;
import io.gitcrq.model.event.CrqCreated;
import io.gitcrq.model.event.CrqEdited;
import io.gitcrq.model.event.CrqStatusChanged;
import io.gitcrq.model.event.DomainEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * CRQ events keep this agent's view of the CRQs current: a launch gives its tool the CRQ's title and description, and
 * a CRQ that closes stops what still runs for it.
 */
@ApplicationScoped
public class CrqEventsConsumer {

    private final Inbox inbox;
    private final CrqViewRepository crqs;
    private final Event<CrqClosed> closed;

    public CrqEventsConsumer(Inbox inbox, CrqViewRepository crqs, Event<CrqClosed> closed) {
        this.inbox = inbox;
        this.crqs = crqs;
        this.closed = closed;
    }

    @GuardedDelivery
    @Incoming("crq-events")
    @Blocking // ordered: one record at a time, so a CRQ's events apply in order
    @Transactional
    public void consume(String record) {
        DomainEvent event = inbox.firstDelivery(record);
        if (event instanceof CrqCreated created) {
            crqs.created(created);
        } else if (event instanceof CrqStatusChanged changed) {
            crqs.statusChanged(changed);
            if (!CrqView.OPEN_STATUSES.contains(changed.to())) {
                closed.fire(new CrqClosed(changed.crqId(), changed.to())); // observed once this transaction commits
            }
        } else if (event instanceof CrqEdited edited) {
            crqs.edited(edited);
        }
    }
}
