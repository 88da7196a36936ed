package io.gitcrq.kit.outbox;

import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.DomainEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;

/**
 * How a service publishes an event: it is stored in the outbox table within the caller's transaction, so it
 * is published if and only if the state change it announces is committed. The relay takes it to Kafka.
 */
@ApplicationScoped
public class Outbox {

    private final String source;
    private final EntityManager em;
    private final Instance<OutboxSealer> sealer;

    public Outbox(
            @ConfigProperty(name = "quarkus.application.name") String service,
            EntityManager em,
            Instance<OutboxSealer> sealer) {
        this.source = "gitcrq/" + service;
        this.em = em;
        this.sealer = sealer;
    }

    /** The events as the service's {@link OutboxSealer} (if it has one) makes them, in this transaction. */
    private List<? extends DomainEvent> sealed(List<? extends DomainEvent> data) {
        return sealer.isResolvable() ? sealer.get().seal(data) : data;
    }

    /** Stores the event for publication; must run inside the transaction of the change it announces. */
    @Transactional(Transactional.TxType.MANDATORY)
    public CloudEvent publish(DomainEvent data) {
        OutboxRow r = OutboxRow.of(source, sealed(List.of(data)).get(0));
        OutboxEvent row = new OutboxEvent();
        row.id = r.id();
        row.topic = r.topic();
        row.messageKey = r.messageKey();
        row.eventType = r.eventType();
        row.payload = r.payload();
        row.createdAt = r.createdAt();
        row.persist();
        return r.event();
    }

    /**
     * Stores several events for publication, in the given order, with one statement ({@link OutboxInsert}) rather
     * than one per event; must run inside the transaction of the change they announce.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<CloudEvent> publishAll(List<? extends DomainEvent> data) {
        List<OutboxRow> rows = new ArrayList<>(data.size());
        sealed(data).forEach(d -> rows.add(OutboxRow.of(source, d)));
        Session session = em.unwrap(Session.class);
        // Events this transaction published before (persisted, not yet written) go first: the relay sends rows in
        // the order they were inserted.
        session.flush();
        session.doWork(connection -> OutboxInsert.insert(connection, rows));
        return rows.stream().map(OutboxRow::event).toList();
    }
}
