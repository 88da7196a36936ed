package io.gitcrq.audit.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.audit.domain.AuditEvent;
import io.gitcrq.model.event.EventCodec;
import java.time.Instant;

/**
 * An audit event as the API shows it: the payload as JSON, as the source sent it, and its place in its host's
 * hash chain (sequence, the previous event's hash, its own hash).
 */
public record AuditEventView(
        String eventId,
        String host,
        String crqId,
        String kind,
        Instant occurredAt,
        JsonNode payload,
        Long sequence,
        String prevHash,
        String hash) {

    public static AuditEventView of(AuditEvent event) {
        return new AuditEventView(
                event.eventId,
                event.host,
                event.crqId,
                event.kind,
                event.occurredAt,
                json(event.payload),
                event.sequence,
                event.prevHash,
                event.hash);
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
