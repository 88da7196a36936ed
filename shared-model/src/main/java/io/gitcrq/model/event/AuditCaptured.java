package io.gitcrq.model.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * Something a managed command did, as one audit source saw it. {@code kind} names the source and what it
 * saw ({@link #KIND_EXEC} for a whole command); {@code payload} is that source's detail. {@code crqId} is null for a
 * record of the host's own trail, about no CRQ it knows (a refused request that named none, or an unknown one).
 * <p>
 * Signed by the host that captured it, one signature per batch ({@code io.gitcrq.model.chain.AuditSignature}):
 * {@code hostSeq} numbers the host's events 1, 2, 3, ... (so a missing one shows), {@code keyId} is the fingerprint of
 * the host's key and {@code signature} its Ed25519 signature of the batch statement (host, {@code batchFirstSeq},
 * {@code batchSize} and the Merkle root of the batch's events); {@code batchProof} is the event's audit path in that
 * tree (base64 hashes, leaf level first), so the event is checked alone. All null on an event of a producer that does
 * not sign (v1 as it was); audit-collector chains only signed events.
 */
public record AuditCaptured(
        String host,
        String crqId,
        String kind,
        Instant occurredAt,
        JsonNode payload,
        Long hostSeq,
        String keyId,
        String signature,
        Long batchFirstSeq,
        Integer batchSize,
        List<String> batchProof)
        implements DomainEvent {

    public static final String KIND_EXEC = "exec";

    public AuditCaptured {
        Require.text(host, "host");
        if (crqId != null) {
            Require.text(crqId, "crqId");
        }
        Require.text(kind, "kind");
        Require.present(occurredAt, "occurredAt");
        Require.present(payload, "payload");
        if (hostSeq != null && hostSeq < 1) {
            throw new IllegalArgumentException("hostSeq must be 1 or more, not " + hostSeq);
        }
        if (batchFirstSeq != null && batchFirstSeq < 1) {
            throw new IllegalArgumentException("batchFirstSeq must be 1 or more, not " + batchFirstSeq);
        }
        if (batchSize != null && batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be 1 or more, not " + batchSize);
        }
        batchProof = batchProof == null ? null : List.copyOf(batchProof);
    }

    /** An event not signed yet: the host's signer adds hostSeq, keyId and signature as it publishes it. */
    public AuditCaptured(String host, String crqId, String kind, Instant occurredAt, JsonNode payload) {
        this(host, crqId, kind, occurredAt, payload, null, null, null, null, null, null);
    }

    /**
     * This event with its place in the host's numbering, the host's signature of its batch and its place in that
     * batch (the batch's first hostSeq, its size, the event's audit path).
     */
    public AuditCaptured signed(
            long hostSeq, String keyId, String signature, long batchFirstSeq, int batchSize, List<String> batchProof) {
        return new AuditCaptured(
                host,
                crqId,
                kind,
                occurredAt,
                payload,
                hostSeq,
                keyId,
                signature,
                batchFirstSeq,
                batchSize,
                batchProof);
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
