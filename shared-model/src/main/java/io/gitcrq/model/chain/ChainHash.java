package io.gitcrq.model.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a host's audit chain is hashed. Each stored audit event has a {@code sequence} (1, 2, 3, ... within its
 * host), a {@code prevHash} (the hash of the host's previous event; {@link #GENESIS} for sequence 1, or the
 * hash of a retention checkpoint) and
 * <pre>
 *   hash = lowercase hex of SHA-256( ASCII bytes of prevHash  followed by  ASCII bytes of canonical(event) )
 * </pre>
 * where {@code canonical(event)} is the {@link Canonical} JSON text of the object with exactly these fields:
 * {@code crqId} (JSON null for a governance record about a repository), {@code eventId}, {@code host}, {@code kind}, {@code occurredAt} (ISO-8601 UTC as
 * {@code Instant.toString()} writes it: {@code 2024-05-01T10:00:00Z}, a fraction only when non-zero, in groups
 * of three digits), {@code payload} (the event's JSON) and {@code sequence}. An exported JSON line is that
 * object plus the fields of {@link #NOT_HASHED} (prevHash, hash, source, receivedAt and, for a signed event, hostSeq,
 * keyId, signature, batchFirstSeq, batchSize, batchProof): drop those, write the
 * rest canonically, and the hash follows.
 */
public final class ChainHash {

    /** The prevHash of a chain's first event: 64 zeros. */
    public static final String GENESIS = "0".repeat(64);

    /** The fields that are hashed, and so the fields of {@link #canonical}. */
    public static final String[] HASHED_FIELDS = {
        "crqId", "eventId", "host", "kind", "occurredAt", "payload", "sequence"
    };

    /** The fields of an exported line that are not hashed: drop them, and the rest hashes. */
    public static final String[] NOT_HASHED = {
        "prevHash",
        "hash",
        "source",
        "receivedAt",
        "hostSeq",
        "keyId",
        "signature",
        "batchFirstSeq",
        "batchSize",
        "batchProof"
    };

    private ChainHash() {}

    /** The hashed fields of an event as one JSON object (in canonical form when written by {@link Canonical}). */
    public static Map<String, JsonNode> fields(
            String eventId,
            String host,
            String crqId,
            String kind,
            Instant occurredAt,
            JsonNode payload,
            long sequence) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("crqId", crqId == null ? f.nullNode() : f.textNode(crqId));
        fields.put("eventId", f.textNode(eventId));
        fields.put("host", f.textNode(host));
        fields.put("kind", f.textNode(kind));
        fields.put("occurredAt", f.textNode(occurredAt.toString()));
        fields.put("payload", payload);
        fields.put("sequence", f.numberNode(sequence));
        return fields;
    }

    /** The canonical text of an event; {@code payloadJson} is its payload as JSON text. */
    public static String canonical(
            String eventId,
            String host,
            String crqId,
            String kind,
            Instant occurredAt,
            String payloadJson,
            long sequence) {
        return canonical(eventId, host, crqId, kind, occurredAt, Canonical.text(payloadJson), sequence);
    }

    /**
     * The canonical text of an event whose payload is written canonically already (audit-collector writes it once
     * for this form and for the host's signed form). Written field by field in the order of {@link #HASHED_FIELDS}:
     * the same text as {@link Canonical#object} of {@link #fields}.
     */
    public static String canonical(
            String eventId,
            String host,
            String crqId,
            String kind,
            Instant occurredAt,
            Canonical.Text payload,
            long sequence) {
        StringBuilder out = new StringBuilder(payload.text().length() + 200);
        out.append("{\"crqId\":");
        if (crqId == null) {
            out.append("null");
        } else {
            Canonical.string(crqId, out);
        }
        out.append(",\"eventId\":");
        Canonical.string(eventId, out);
        out.append(",\"host\":");
        Canonical.string(host, out);
        out.append(",\"kind\":");
        Canonical.string(kind, out);
        out.append(",\"occurredAt\":");
        Canonical.string(Canonical.instant(occurredAt), out);
        out.append(",\"payload\":").append(payload.text());
        out.append(",\"sequence\":").append(sequence);
        return out.append('}').toString();
    }

    /** SHA-256 over prevHash followed by the canonical text, as lowercase hex. */
    public static String hash(String prevHash, String canonical) {
        return sha256(prevHash + canonical);
    }

    /** SHA-256 of the UTF-8 bytes of a text, as lowercase hex. */
    public static String sha256(String text) {
        MessageDigest sha = sha();
        // Canonical text is pure ASCII, so its UTF-8 and ASCII bytes are the same.
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }

    /** One digest per thread (a provider look-up per event cost more than some hashes), reset for each use. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    });

    private static MessageDigest sha() {
        MessageDigest sha = SHA256.get();
        sha.reset();
        return sha;
    }

    /** The hash of one event given the hash before it. */
    public static String hash(
            String prevHash,
            String eventId,
            String host,
            String crqId,
            String kind,
            Instant occurredAt,
            String payloadJson,
            long sequence) {
        return hash(prevHash, canonical(eventId, host, crqId, kind, occurredAt, payloadJson, sequence));
    }
}
