package io.gitcrq.model.api.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An audit event ({@code GET /audit/{eventId}}, and each item of {@code GET /audit}): the payload as JSON, as the
 * source sent it, and its place in its host's hash chain (sequence, the previous event's hash, its own hash); for an
 * event its host signed, the host's numbering of it ({@code hostSeq}), the key ({@code keyId}) and the signature.
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
        String hash,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long hostSeq,
        @JsonInclude(JsonInclude.Include.NON_NULL) String keyId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String signature) {

    /** An event no host signed (a governance record, or one stored before hosts signed). */
    public AuditEventView(
            String eventId,
            String host,
            String crqId,
            String kind,
            Instant occurredAt,
            JsonNode payload,
            Long sequence,
            String prevHash,
            String hash) {
        this(eventId, host, crqId, kind, occurredAt, payload, sequence, prevHash, hash, null, null, null);
    }
}
