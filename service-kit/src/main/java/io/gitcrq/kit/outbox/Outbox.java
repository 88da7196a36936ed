package io.gitcrq.kit.outbox;

import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.UUID;

/**
 * How a service publishes an event: it is stored in the outbox table within the caller's transaction, so it
 * is published if and only if the state change it announces is committed. The relay takes it to Kafka.
 */
@ApplicationScoped
public class Outbox {

    private final String source;

    public Outbox(@ConfigProperty(name = "quarkus.application.name") String service) {
        this.source = "gitcrq/" + service;
    }

    /** Stores the event for publication; must run inside the transaction of the change it announces. */
    @Transactional(Transactional.TxType.MANDATORY)
    public CloudEvent publish(DomainEvent data) {
        CloudEvent event = EventCodec.envelope(source, data);
        OutboxEvent row = new OutboxEvent();
        row.id = UUID.fromString(event.id());
        row.topic = EventType.of(data).topic();
        row.messageKey = data.partitionKey();
        row.eventType = event.type();
        row.payload = EventCodec.toJson(event);
        row.createdAt = event.time();
        row.persist();
        return event;
    }
}
