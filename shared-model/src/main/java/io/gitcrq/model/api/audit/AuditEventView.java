package io.gitcrq.model.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An audit event ({@code GET /audit/{eventId}}, and each item of {@code GET /audit}): the payload as JSON, as the
 * source sent it, and its place in its host's hash chain (sequence, the previous event's hash, its own hash).
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
        String hash) {}
