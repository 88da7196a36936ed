package io.gitcrq.audit.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.audit.domain.AuditEvent;
import io.gitcrq.model.event.EventCodec;

import java.time.Instant;

/** An audit event as the API shows it: the payload as JSON, as the source sent it. */
public record AuditEventView(String eventId, String host, String crqId, String kind, Instant occurredAt,
                             JsonNode payload) {

    public static AuditEventView of(AuditEvent event) {
        return new AuditEventView(event.eventId, event.host, event.crqId, event.kind, event.occurredAt,
                json(event.payload));
    }

    private static JsonNode json(String payload) {
        try {
            return EventCodec.mapper().readTree(payload);
        } catch (JsonProcessingException e) {
            // The column is JSONB: PostgreSQL only ever hands back valid JSON.
            throw new IllegalStateException("unreadable audit payload", e);
        }
    }
}
