package io.gitcrq.kit.inbox;

import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The consuming side of every service: reads a record as a gitcrq CloudEvent and says whether this
 * service sees it for the first time. Kafka delivers at least once; handling a redelivery twice (a second
 * merge, a second status change) is what this prevents.
 */
@ApplicationScoped
public class Inbox {

    private final EntityManager em;
    private final String consumer;

    public Inbox(EntityManager em, @ConfigProperty(name = "quarkus.application.name") String consumer) {
        this.em = em;
        this.consumer = consumer;
    }

    /**
     * The event's data if this is its first delivery here, else {@code null}; also {@code null} for a type
     * this service does not know. A malformed record throws {@code MalformedEventException}, which the
     * channel's failure strategy sends to the dead-letter topic. Must run in the handler's transaction, so
     * that the mark and the handling commit or roll back together.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public DomainEvent firstDelivery(String record) {
        CloudEvent event = EventCodec.parse(record);
        DomainEvent data = EventCodec.dataOf(event);
        if (data == null) {
            return null;
        }
        int inserted = em.createNativeQuery(
                        "INSERT INTO processed_event (consumer, event_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                .setParameter(1, consumer)
                .setParameter(2, event.id())
                .executeUpdate();
        return inserted == 1 ? data : null;
    }
}
