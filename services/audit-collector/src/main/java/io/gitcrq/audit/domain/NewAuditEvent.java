package io.gitcrq.audit.domain;

import java.time.Instant;

/**
 * An audit event about to be appended to its host's chain: what is stored of it. {@code occurredAt} is already
 * what the database keeps (microseconds), since the hash covers it.
 */
public record NewAuditEvent(
        String eventId,
        String host,
        String crqId,
        String kind,
        Instant occurredAt,
        String payloadJson,
        String source) {}
