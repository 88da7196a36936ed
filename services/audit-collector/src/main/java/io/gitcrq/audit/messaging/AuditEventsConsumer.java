package io.gitcrq.audit.messaging;

import io.gitcrq.audit.service.AuditTrail;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.EventCodec;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Files every AuditCaptured of the audit topic, as the next link of its host's hash chain. The kit's inbox is
 * not needed: the audit row is keyed by the event id, so the table is its own dedupe (and a redelivery does not
 * extend the chain). A record that is not a readable event throws, and the channel
 * sends it to the dead-letter topic; an event type this service does not store is skipped.
 */
@ApplicationScoped
public class AuditEventsConsumer {

    private static final Logger LOG = Logger.getLogger(AuditEventsConsumer.class);

    private final AuditTrail trail;

    public AuditEventsConsumer(AuditTrail trail) {
        this.trail = trail;
    }

    @Incoming("audit-events")
    // Unordered: several writers store at once (bounded by smallrye.messaging.worker.audit-writers.max-concurrency);
    // appends to one host's hash chain serialize on that host's chain head, so a host's chain order is the order
    // its events were stored in, and different hosts never wait for each other. Offsets are still committed in order.
    @Blocking(value = "audit-writers", ordered = false)
    public void consume(String record) {
        CloudEvent envelope = EventCodec.parse(record);
        DomainEvent data = EventCodec.dataOf(envelope);
        if (data instanceof AuditCaptured captured) {
            trail.capture(envelope, captured);
        } else {
            LOG.debugf("skipping %s event %s: audit-collector stores AuditCaptured only", envelope.type(), envelope.id());
        }
    }
}
