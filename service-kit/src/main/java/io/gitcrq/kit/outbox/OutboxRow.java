package io.gitcrq.kit.outbox;

import io.gitcrq.model.event.CloudEvent;
import io.gitcrq.model.event.DomainEvent;
import io.gitcrq.model.event.EventCodec;
import io.gitcrq.model.event.EventType;
import java.time.Instant;
import java.util.UUID;

/**
 * One outbox row as a service writes it for an event: the CloudEvents JSON, the topic and key it goes to. Plain
 * Java (no Hibernate), so that whatever writes the outbox (the {@link Outbox}, a benchmark) writes the same row.
 */
public record OutboxRow(
        UUID id,
        String topic,
        String messageKey,
        String eventType,
        String payload,
        Instant createdAt,
        CloudEvent event) {

    /** The row of {@code data}, enveloped as published by {@code source} ({@code gitcrq/<service>}). */
    public static OutboxRow of(String source, DomainEvent data) {
        CloudEvent event = EventCodec.envelope(source, data);
        return new OutboxRow(
                UUID.fromString(event.id()),
                EventType.of(data).topic(),
                data.partitionKey(),
                event.type(),
                EventCodec.toJson(event),
                event.time(),
                event);
    }
}
