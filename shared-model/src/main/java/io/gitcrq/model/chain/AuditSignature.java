package io.gitcrq.model.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.AuditHeadSigned;
import io.gitcrq.model.policy.CrqId;
import io.gitcrq.model.signature.Ed25519;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a host signs of each audit event it publishes, and how: the one definition used by the host's signer
 * (exec-agent), by audit-collector before it chains the event and again when it verifies, and by the CLI's
 * offline verifier. The signed form is the {@link Canonical} JSON text of the object with exactly these fields:
 * <pre>
 *   crqId, host, hostSeq, kind, occurredAt, payload
 * </pre>
 * {@code crqId} in its printed form ({@code CRQ-7}, however the event spells it) and
 * {@code occurredAt} as {@code Instant.toString()} writes it after truncation to microseconds (what the audit store
 * keeps); {@code hostSeq} a JSON integer. The signature is Ed25519 over the UTF-8 (= ASCII) bytes of
 * that text, written as base64 ({@link Ed25519#sign}); {@code keyId} is the key's {@link Ed25519#fingerprint}.
 */
public final class AuditSignature {

    /** The signed fields, in canonical (code point) order. */
    public static final String[] SIGNED_FIELDS = {"crqId", "host", "hostSeq", "kind", "occurredAt", "payload"};

    private AuditSignature() {}

    /** The signed form of an event. */
    public static String canonical(
            String host, String crqId, String kind, Instant occurredAt, JsonNode payload, long hostSeq) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("crqId", crqId == null ? f.nullNode() : f.textNode(printed(crqId)));
        fields.put("host", f.textNode(host));
        fields.put("hostSeq", f.numberNode(hostSeq));
        fields.put("kind", f.textNode(kind));
        fields.put(
                "occurredAt",
                f.textNode(occurredAt.truncatedTo(ChronoUnit.MICROS).toString()));
        fields.put("payload", payload);
        return Canonical.object(fields);
    }

    /** A CRQ id as the audit store files it ({@code crq-7} → {@code CRQ-7}); anything else as it is. */
    private static String printed(String crqId) {
        try {
            return CrqId.parse(crqId).toString();
        } catch (IllegalArgumentException e) {
            return crqId;
        }
    }

    /** The signed form of an event with its payload as JSON text (a stored row, an exported line). */
    public static String canonical(
            String host, String crqId, String kind, Instant occurredAt, String payloadJson, long hostSeq) {
        return canonical(host, crqId, kind, occurredAt, Canonical.parse(payloadJson), hostSeq);
    }

    /** The event numbered {@code hostSeq} and signed with the host's key. */
    public static AuditCaptured sign(AuditCaptured event, long hostSeq, PrivateKey key, String keyId) {
        String form =
                canonical(event.host(), event.crqId(), event.kind(), event.occurredAt(), event.payload(), hostSeq);
        return event.signed(hostSeq, keyId, Ed25519.sign(key, form));
    }

    /** SHA-256 of a signed form, as lowercase hex: what a signed head says of the host's last event. */
    public static String digest(String canonical) {
        return ChainHash.sha256(canonical);
    }

    /**
     * The signed form of a host's head: the canonical object {@code host, lastDigest, lastSeq, signedAt}
     * (signedAt truncated to microseconds).
     */
    public static String headCanonical(String host, long lastSeq, String lastDigest, Instant signedAt) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("host", f.textNode(host));
        fields.put("lastDigest", f.textNode(lastDigest));
        fields.put("lastSeq", f.numberNode(lastSeq));
        fields.put(
                "signedAt", f.textNode(signedAt.truncatedTo(ChronoUnit.MICROS).toString()));
        return Canonical.object(fields);
    }

    /** The host's head, signed with its key. */
    public static AuditHeadSigned signHead(
            String host, long lastSeq, String lastDigest, Instant signedAt, PrivateKey key, String keyId) {
        Instant at = signedAt.truncatedTo(ChronoUnit.MICROS);
        String signature = Ed25519.sign(key, headCanonical(host, lastSeq, lastDigest, at));
        return new AuditHeadSigned(host, lastSeq, lastDigest, at, keyId, signature);
    }

    public static boolean verifyHead(AuditHeadSigned head, PublicKey key) {
        return Ed25519.verify(
                key, headCanonical(head.host(), head.lastSeq(), head.lastDigest(), head.signedAt()), head.signature());
    }

    /**
     * The signed form of a retention checkpoint (signed by audit-collector's own key): the canonical object
     * {@code cutoff, deleted, hash, host, hostKeyId, hostSeq, sequence} — the host's chain was deleted up to and
     * including {@code sequence}, whose hash was {@code hash} and whose host number (with key {@code hostKeyId}) was
     * {@code hostSeq} (both null for an event its host did not sign).
     */
    public static String checkpointCanonical(
            String host, long sequence, String hash, Long hostSeq, String hostKeyId, Instant cutoff, long deleted) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("cutoff", f.textNode(cutoff.truncatedTo(ChronoUnit.MICROS).toString()));
        fields.put("deleted", f.numberNode(deleted));
        fields.put("hash", f.textNode(hash));
        fields.put("host", f.textNode(host));
        fields.put("hostKeyId", hostKeyId == null ? f.nullNode() : f.textNode(hostKeyId));
        fields.put("hostSeq", hostSeq == null ? f.nullNode() : f.numberNode(hostSeq));
        fields.put("sequence", f.numberNode(sequence));
        return Canonical.object(fields);
    }

    /** Whether the event is signed, and its signature is {@code key}'s over its signed form. */
    public static boolean verify(AuditCaptured event, PublicKey key) {
        return event.hostSeq() != null
                && Ed25519.verify(
                        key,
                        canonical(
                                event.host(),
                                event.crqId(),
                                event.kind(),
                                event.occurredAt(),
                                event.payload(),
                                event.hostSeq()),
                        event.signature());
    }
}
