package io.gitcrq.model.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gitcrq.model.event.AuditBatchCaptured;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.AuditHeadSigned;
import io.gitcrq.model.event.EventIds;
import io.gitcrq.model.event.ExecFinished;
import io.gitcrq.model.policy.CrqId;
import io.gitcrq.model.signature.Ed25519;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a host signs of the audit events it publishes, and how: the one definition used by the host's signer
 * (exec-agent), by audit-collector before it chains an event and again when it verifies, and by the CLI's offline
 * verifier.
 * <p>
 * An event's signed form is the {@link Canonical} JSON text of the object with exactly these fields:
 * <pre>
 *   crqId, host, hostSeq, kind, occurredAt, payload
 * </pre>
 * {@code crqId} in its printed form ({@code CRQ-7}, however the event spells it) and {@code occurredAt} as
 * {@code Instant.toString()} writes it after truncation to microseconds (what the audit store keeps); {@code hostSeq}
 * a JSON integer.
 * <p>
 * A host signs once per batch (the events of one outbox transaction, numbered firstSeq … firstSeq+size-1), as
 * Certificate Transparency does: each event's leaf is SHA-256(0x00 ‖ UTF-8 of its signed form), the batch's root the
 * RFC 6962 {@link MerkleTree} over the leaves in hostSeq order, and the host's Ed25519 signature (base64,
 * {@link Ed25519#sign}) is over the UTF-8 of the {@linkplain #batchStatement batch statement}: the canonical object
 * {@code firstSeq, host, root (base64), size, type} with {@code type} {@value #BATCH_TYPE}, so the key signs
 * nothing else this way. Each event carries the signature, firstSeq, size and its audit path: from those alone its
 * root, and so the statement, is recomputed ({@link #statement}). {@code keyId} is the key's
 * {@link Ed25519#fingerprint}. One signature per batch instead of per event: the audit pipeline's cost (P1 in
 * docs/benchmarks.md).
 */
public final class AuditSignature {

    /** The signed fields, in canonical (code point) order. */
    public static final String[] SIGNED_FIELDS = {"crqId", "host", "hostSeq", "kind", "occurredAt", "payload"};

    /** The {@code type} of a batch statement: a signature over this can only be a batch of audit events. */
    public static final String BATCH_TYPE = "gitcrq.audit-batch.v1";

    /** The type tag of an exec's signed end ({@link #execFinishedCanonical}). */
    public static final String EXEC_FINISHED_TYPE = "gitcrq.exec-finished.v1";

    private AuditSignature() {}

    /** The signed form of an event. */
    public static String canonical(
            String host, String crqId, String kind, Instant occurredAt, JsonNode payload, long hostSeq) {
        return canonical(host, crqId, kind, occurredAt, Canonical.text(payload), hostSeq);
    }

    /**
     * The signed form of an event whose payload is written canonically already (audit-collector writes it once for
     * this form and for its chain hash's). Written field by field, in the order of {@link #SIGNED_FIELDS}: the same
     * text as {@link Canonical#object} of those fields.
     */
    public static String canonical(
            String host, String crqId, String kind, Instant occurredAt, Canonical.Text payload, long hostSeq) {
        StringBuilder out = new StringBuilder(payload.text().length() + 160);
        out.append("{\"crqId\":");
        if (crqId == null) {
            out.append("null");
        } else {
            Canonical.string(printed(crqId), out);
        }
        out.append(",\"host\":");
        Canonical.string(host, out);
        out.append(",\"hostSeq\":").append(hostSeq);
        out.append(",\"kind\":");
        Canonical.string(kind, out);
        out.append(",\"occurredAt\":");
        Canonical.string(Canonical.instant(occurredAt.truncatedTo(ChronoUnit.MICROS)), out);
        out.append(",\"payload\":").append(payload.text());
        return out.append('}').toString();
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
        return canonical(host, crqId, kind, occurredAt, Canonical.text(payloadJson), hostSeq);
    }

    /** The signed form of a numbered event. */
    public static String canonical(AuditCaptured event) {
        return canonical(
                event.host(), event.crqId(), event.kind(), event.occurredAt(), event.payload(), event.hostSeq());
    }

    /** An event's leaf in its batch's tree: SHA-256(0x00 ‖ UTF-8 of its signed form). */
    public static byte[] leaf(String canonical) {
        return MerkleTree.leafHash(canonical.getBytes(StandardCharsets.UTF_8));
    }

    /** What the host signs of a batch: the canonical object {@code firstSeq, host, root, size, type}. */
    public static String batchStatement(String host, long firstSeq, long size, byte[] root) {
        // Written field by field in canonical order (audit-collector recomputes it for every event it checks): the
        // same text as Canonical.object of the fields (AuditSignatureTest).
        StringBuilder out = new StringBuilder(160 + host.length());
        out.append("{\"firstSeq\":").append(firstSeq).append(",\"host\":");
        Canonical.string(host, out);
        out.append(",\"root\":\"")
                .append(Base64.getEncoder().encodeToString(root))
                .append('"');
        out.append(",\"size\":").append(size).append(",\"type\":");
        Canonical.string(BATCH_TYPE, out);
        return out.append('}').toString();
    }

    /**
     * A batch of one host's events, numbered {@code firstSeq}, {@code firstSeq + 1}, ... in the given order and
     * signed with one signature: each returned event carries it with its audit path.
     */
    public static List<AuditCaptured> signBatch(
            List<AuditCaptured> events, long firstSeq, PrivateKey key, String keyId) {
        String host = hostOf(events);
        MerkleTree.Tree tree = MerkleTree.of(leaves(events, firstSeq));
        String signature = Ed25519.sign(key, batchStatement(host, firstSeq, events.size(), tree.root()));
        return withPaths(events, firstSeq, keyId, signature, tree);
    }

    /**
     * A batch of one host's events as one record: numbered {@code firstSeq}, {@code firstSeq + 1}, ... in the given
     * order, each with an event id of its own, signed with one signature as {@link #signBatch} signs them.
     */
    public static AuditBatchCaptured signBatchRecord(
            List<AuditCaptured> events, long firstSeq, PrivateKey key, String keyId) {
        String host = hostOf(events);
        byte[] root = MerkleTree.of(leaves(events, firstSeq)).root();
        String signature = Ed25519.sign(key, batchStatement(host, firstSeq, events.size(), root));
        List<AuditBatchCaptured.Entry> entries = new ArrayList<>(events.size());
        for (AuditCaptured e : events) {
            entries.add(
                    new AuditBatchCaptured.Entry(EventIds.next(), e.crqId(), e.kind(), e.occurredAt(), e.payload()));
        }
        return new AuditBatchCaptured(host, keyId, firstSeq, signature, entries);
    }

    /**
     * The events of a batch record, each as the {@link AuditCaptured} its host would have published alone: numbered,
     * with the batch's signature and its audit path in the tree of the batch's events (computed here: the record
     * holds every leaf). In the record's order, each with its event id, its payload's canonical text and the batch
     * statement its path leads to. Whether the signature is the host's over that statement is for the reader to check:
     * a changed event changes the root, and so the statement.
     */
    public static List<Unpacked> unpack(AuditBatchCaptured batch) {
        int n = batch.events().size();
        List<AuditCaptured> events = new ArrayList<>(n);
        List<Canonical.Text> payloads = new ArrayList<>(n);
        List<byte[]> leaves = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            AuditBatchCaptured.Entry e = batch.events().get(i);
            Canonical.Text payload = Canonical.text(e.payload());
            events.add(new AuditCaptured(batch.host(), e.crqId(), e.kind(), e.occurredAt(), e.payload()));
            payloads.add(payload);
            leaves.add(
                    leaf(canonical(batch.host(), e.crqId(), e.kind(), e.occurredAt(), payload, batch.firstSeq() + i)));
        }
        MerkleTree.Tree tree = MerkleTree.of(leaves);
        String statement = batchStatement(batch.host(), batch.firstSeq(), n, tree.root());
        List<AuditCaptured> signed = withPaths(events, batch.firstSeq(), batch.keyId(), batch.signature(), tree);
        List<Unpacked> unpacked = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            unpacked.add(new Unpacked(batch.events().get(i).eventId(), signed.get(i), payloads.get(i), statement));
        }
        return unpacked;
    }

    /**
     * An event of a batch record, with the id it has for good, its payload's canonical text and the statement of its
     * batch (what its signature must be over).
     */
    public record Unpacked(String eventId, AuditCaptured event, Canonical.Text payload, String statement) {}

    private static String hostOf(List<AuditCaptured> events) {
        String host = events.get(0).host();
        for (AuditCaptured e : events) {
            if (!e.host().equals(host)) {
                throw new IllegalArgumentException("a batch is one host's: " + e.host() + " is not " + host);
            }
        }
        return host;
    }

    private static List<byte[]> leaves(List<AuditCaptured> events, long firstSeq) {
        List<byte[]> leaves = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            AuditCaptured e = events.get(i);
            leaves.add(leaf(canonical(e.host(), e.crqId(), e.kind(), e.occurredAt(), e.payload(), firstSeq + i)));
        }
        return leaves;
    }

    private static List<AuditCaptured> withPaths(
            List<AuditCaptured> events, long firstSeq, String keyId, String signature, MerkleTree.Tree tree) {
        // The paths share their upper nodes (the same arrays): each node is written in base64 once.
        Map<byte[], String> base64 = new IdentityHashMap<>();
        List<AuditCaptured> signed = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            List<byte[]> nodes = tree.paths().get(i);
            List<String> path = new ArrayList<>(nodes.size());
            for (byte[] node : nodes) {
                path.add(base64.computeIfAbsent(node, Base64.getEncoder()::encodeToString));
            }
            signed.add(events.get(i).signed(firstSeq + i, keyId, signature, firstSeq, events.size(), path));
        }
        return signed;
    }

    /** The event numbered {@code hostSeq} and signed with the host's key, as a batch of one. */
    public static AuditCaptured sign(AuditCaptured event, long hostSeq, PrivateKey key, String keyId) {
        return signBatch(List.of(event), hostSeq, key, keyId).get(0);
    }

    /**
     * The batch statement that the signature of an event must be over, recomputed from the event alone: its signed
     * form, its number, its batch's first number and size and its audit path (base64). Empty when these cannot
     * belong together (something missing, a number outside the batch, a path that is not one of a tree that size).
     */
    public static Optional<String> statement(
            String host, String canonical, Long hostSeq, Long batchFirstSeq, Integer batchSize, List<String> proof) {
        return statement(host, canonical, hostSeq, batchFirstSeq, batchSize, proof, null);
    }

    /**
     * {@link #statement(String, String, Long, Long, Integer, List)}, with the node hashes of the audit path looked up
     * in {@code nodes} first (a batch's events share their upper nodes; null: none).
     */
    public static Optional<String> statement(
            String host,
            String canonical,
            Long hostSeq,
            Long batchFirstSeq,
            Integer batchSize,
            List<String> proof,
            MerkleTree.Memo nodes) {
        if (hostSeq == null || batchFirstSeq == null || batchSize == null || proof == null) {
            return Optional.empty();
        }
        List<byte[]> path = new ArrayList<>(proof.size());
        try {
            for (String p : proof) {
                byte[] hash = Base64.getDecoder().decode(p);
                if (hash.length != 32) {
                    return Optional.empty();
                }
                path.add(hash);
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
        return MerkleTree.rootFromPath(leaf(canonical), hostSeq - batchFirstSeq, batchSize, path, nodes)
                .map(root -> batchStatement(host, batchFirstSeq, batchSize, root));
    }

    /** {@link #statement} of an event. */
    public static Optional<String> statement(AuditCaptured event) {
        if (event.hostSeq() == null) {
            return Optional.empty();
        }
        return statement(
                event.host(),
                canonical(event),
                event.hostSeq(),
                event.batchFirstSeq(),
                event.batchSize(),
                event.batchProof());
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
     * The signed form of an exec's end (a type tag, then every field but the signature's own, by name; instants as
     * ISO-8601 text; missing values null): what its host signs so that nobody else can claim the host's execs ended.
     */
    public static String execFinishedCanonical(ExecFinished end) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("crqId", text(f, end.crqId()));
        fields.put(
                "endedAt", text(f, end.endedAt() == null ? null : end.endedAt().toString()));
        fields.put("execId", text(f, end.execId()));
        fields.put("exitCode", f.numberNode(end.exitCode()));
        fields.put("host", text(f, end.host()));
        fields.put("logPath", text(f, end.logPath()));
        fields.put("outputSha256", text(f, end.outputSha256()));
        fields.put("pane", text(f, end.pane()));
        fields.put("reason", text(f, end.reason()));
        fields.put("session", text(f, end.session()));
        fields.put(
                "startedAt",
                text(f, end.startedAt() == null ? null : end.startedAt().toString()));
        fields.put("status", text(f, end.status()));
        fields.put("type", f.textNode(EXEC_FINISHED_TYPE));
        return Canonical.object(fields);
    }

    /** The exec's end, signed with its host's key. */
    public static ExecFinished signExecFinished(ExecFinished end, PrivateKey key, String keyId) {
        return end.signed(keyId, Ed25519.sign(key, execFinishedCanonical(end)));
    }

    /** Whether the end is signed, and its signature is {@code key}'s. */
    public static boolean verifyExecFinished(ExecFinished end, PublicKey key) {
        return end.signature() != null && Ed25519.verify(key, execFinishedCanonical(end), end.signature());
    }

    private static JsonNode text(JsonNodeFactory f, String value) {
        return value == null ? f.nullNode() : f.textNode(value);
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
        fields.put("hostKeyId", text(f, hostKeyId));
        fields.put("hostSeq", hostSeq == null ? f.nullNode() : f.numberNode(hostSeq));
        fields.put("sequence", f.numberNode(sequence));
        return Canonical.object(fields);
    }

    /** Whether the event is signed, and its batch signature is {@code key}'s over its batch's statement. */
    public static boolean verify(AuditCaptured event, PublicKey key) {
        return statement(event)
                .filter(st -> Ed25519.verify(key, st, event.signature()))
                .isPresent();
    }
}
