package io.gitcrq.model.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * Something a managed command did, as one audit source saw it. {@code kind} names the source and what it
 * saw ({@link #KIND_EXEC} for a whole command); {@code payload} is that source's detail.
 * <p>
 * Signed by the host that captured it ({@code io.gitcrq.model.chain.AuditSignature}): {@code hostSeq} numbers the
 * host's events 1, 2, 3, ... (so a missing one shows), {@code keyId} is the fingerprint of the host's key and
 * {@code signature} its Ed25519 signature of the event's signed form. The three are null on an event of a producer
 * that does not sign (v1 as it was); audit-collector chains only signed events.
 */
public record AuditCaptured(
        String host,
        String crqId,
        String kind,
        Instant occurredAt,
        JsonNode payload,
        Long hostSeq,
        String keyId,
        String signature)
        implements DomainEvent {

    public static final String KIND_EXEC = "exec";

    public AuditCaptured {
        Require.text(host, "host");
        Require.text(crqId, "crqId");
        Require.text(kind, "kind");
        Require.present(occurredAt, "occurredAt");
        Require.present(payload, "payload");
        if (hostSeq != null && hostSeq < 1) {
            throw new IllegalArgumentException("hostSeq must be 1 or more, not " + hostSeq);
        }
    }

    /** An event not signed yet: the host's signer adds hostSeq, keyId and signature as it publishes it. */
    public AuditCaptured(String host, String crqId, String kind, Instant occurredAt, JsonNode payload) {
        this(host, crqId, kind, occurredAt, payload, null, null, null);
    }

    /** This event with its place in the host's numbering and the host's signature. */
    public AuditCaptured signed(long hostSeq, String keyId, String signature) {
        return new AuditCaptured(host, crqId, kind, occurredAt, payload, hostSeq, keyId, signature);
    }

    @Override
    public String partitionKey() {
        return host;
    }

    @Override
    public String subject() {
        return crqId;
    }
}
