package io.gitcrq.audit.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.gitcrq.audit.domain.AuditEvent;
import io.gitcrq.model.api.audit.AuditEventView;
import io.gitcrq.model.event.EventCodec;

/** Stored audit events as the API record the REST API answers with ({@code io.gitcrq.model.api.audit}). */
final class AuditViews {

    private AuditViews() {}

    static AuditEventView of(AuditEvent event) {
        return new AuditEventView(
                event.eventId,
                event.host,
                event.crqId,
                event.kind,
                event.occurredAt,
                json(event.payload),
                event.sequence,
                event.prevHash,
                event.hash,
                event.hostSeq,
                event.keyId,
                event.signature);
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
