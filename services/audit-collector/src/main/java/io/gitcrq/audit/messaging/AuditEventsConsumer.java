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
    // Ordered: a host's events share a key, so Kafka hands them over in the order the agent emitted them, and the
    // host's hash chain must keep that order. Stored unordered (several writers at once), events a dev host spooled
    // during a broker outage and delivered together were chained in whatever order the writers got the lock.
    @Blocking(value = "audit-writers", ordered = true)
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
