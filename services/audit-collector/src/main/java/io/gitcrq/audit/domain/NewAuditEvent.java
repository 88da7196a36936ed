package io.gitcrq.audit.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gitcrq.model.chain.Canonical;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An audit event about to be appended to its host's chain: what is stored of it. {@code occurredAt} is already
 * what the database keeps (microseconds), since the hash covers it. {@code hostSeq}, {@code keyId} and
 * {@code signature}: the host's numbering and signature of the event's batch; {@code batchFirstSeq},
 * {@code batchSize} and {@code batchProof}: the batch and the event's audit path in it, what checks the event alone
 * ({@code AuditSignature#statement}). All null for audit-collector's own records. {@code payloadCanonical}: the
 * payload's canonical text when the receiver wrote it already (then {@code payloadJson} is that text), written once
 * for both the host's signed form and the chain hash; null: computed from {@code payloadJson} when needed.
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
        String signature,
        Long batchFirstSeq,
        Integer batchSize,
        List<String> batchProof,
        Canonical.Text payloadCanonical) {

    /** An event as its host signed it, its payload's canonical text computed when needed. */
    public NewAuditEvent(
            String eventId,
            String host,
            String crqId,
            String kind,
            Instant occurredAt,
            String payloadJson,
            String source,
            Long hostSeq,
            String keyId,
            String signature,
            Long batchFirstSeq,
            Integer batchSize,
            List<String> batchProof) {
        this(
                eventId,
                host,
                crqId,
                kind,
                occurredAt,
                payloadJson,
                source,
                hostSeq,
                keyId,
                signature,
                batchFirstSeq,
                batchSize,
                batchProof,
                null);
    }

    /** The payload's canonical text: the one written on receipt, else written from {@code payloadJson}. */
    @Override
    public Canonical.Text payloadCanonical() {
        return payloadCanonical != null ? payloadCanonical : Canonical.text(payloadJson);
    }

    /** A record of audit-collector's own (governance, rejections): nobody signs it but the chain. */
    public NewAuditEvent(
            String eventId,
            String host,
            String crqId,
            String kind,
            Instant occurredAt,
            String payloadJson,
            String source) {
        this(eventId, host, crqId, kind, occurredAt, payloadJson, source, null, null, null, null, null, null);
    }

    /** The audit path as it is stored: a JSON array of base64 hashes; null for none. */
    public String batchProofJson() {
        return proofToJson(batchProof);
    }

    public static String proofToJson(List<String> proof) {
        if (proof == null) {
            return null;
        }
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        proof.forEach(array::add);
        return Canonical.of(array);
    }

    /** An audit path as stored back as a list; null for none. */
    public static List<String> proofOf(String json) {
        if (json == null) {
            return null;
        }
        List<String> proof = new ArrayList<>();
        for (JsonNode hash : Canonical.parse(json)) {
            proof.add(hash.asText());
        }
        return proof;
    }
}
