package io.gitcrq.audit.domain;

import java.time.Instant;

/**
 * An audit event about to be appended to its host's chain: what is stored of it. {@code occurredAt} is already
 * what the database keeps (microseconds), since the hash covers it. {@code hostSeq}, {@code keyId} and
 * {@code signature}: the host's numbering and signature (null for audit-collector's own records).
 */
public record NewAuditEvent(
        String eventId,
        String host,
        String crqId,
        String kind,
        Instant occurredAt,
        String payloadJson,
        String source,
        Long hostSeq,
        String keyId,
        String signature) {

    /** A record of audit-collector's own (governance, rejections): nobody signs it but the chain. */
    public NewAuditEvent(
            String eventId,
            String host,
            String crqId,
            String kind,
            Instant occurredAt,
            String payloadJson,
            String source) {
        this(eventId, host, crqId, kind, occurredAt, payloadJson, source, null, null, null);
    }
}
