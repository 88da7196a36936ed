package io.gitcrq.kit.outbox;

import io.gitcrq.model.event.DomainEvent;
import java.util.List;

/**
 * What a service does to its events as they enter its outbox, in the transaction that writes them: exec-agent
 * numbers and signs its audit events here, so that every path that publishes one (exec, launch, workflow, audit
 * source) gets it without knowing. A service has at most one; most have none.
 */
public interface OutboxSealer {

    /**
     * The events as they are to be published, in the order given; several may become one (exec-agent publishes a
     * host's audit events of one transaction as one signed batch), never none of a given one.
     */
    List<DomainEvent> seal(List<? extends DomainEvent> events);
}
