package io.gitcrq.audit.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gitcrq.audit.domain.AuditEvent;
import io.gitcrq.audit.repository.AuditChainRepository;
import io.gitcrq.audit.repository.SignedHeadRepository;
import io.gitcrq.model.chain.Canonical;
import io.gitcrq.model.chain.ChainHash;
import java.util.Map;

/**
 * One exported audit event: a JSON object on one line, written in {@link Canonical} form. Its fields are the
 * hashed ones ({@link ChainHash#HASHED_FIELDS}: crqId, eventId, host, kind, occurredAt, payload, sequence) plus
 * {@code prevHash}, {@code hash}, {@code source} and {@code receivedAt}, and for an event its host signed
 * {@code hostSeq}, {@code keyId}, {@code signature}, {@code batchFirstSeq}, {@code batchSize} and {@code batchProof}
 * ({@code AuditSignature}: what checks the event alone). To check a line's hash: drop those ({@link ChainHash#NOT_HASHED}), write the rest canonically, and SHA-256 of prevHash followed by that text must be hash; a host's lines in sequence
 * order chain, each prevHash being the hash of the line before (the first one's: 64 zeros, or the hash of the
 * retention checkpoint that GET /audit/verify?host=H reports). An export of a whole host ends with a line for its
 * retention checkpoint ({@code "record": "checkpoint"}) and one for the latest head of each of its keys
 * ({@code "record": "head"}), if it has them, so that an offline check sees a cut-off end too
 * ({@code io.gitcrq.model.chain.ExportVerifier}).
 */
public final class ExportLine {

    public static final String MEDIA_TYPE = "application/x-ndjson";

    private ExportLine() {}

    /**
     * A host's retention checkpoint as an export line ({@code "record": "checkpoint"}): where the exported chain
     * starts, signed by audit-collector ({@code AuditSignature#checkpointCanonical}).
     */
    public static String of(AuditChainRepository.Checkpoint c) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Map<String, JsonNode> fields = new java.util.LinkedHashMap<>();
        fields.put("record", f.textNode("checkpoint"));
        fields.put("host", f.textNode(c.host()));
        fields.put("sequence", f.numberNode(c.sequence()));
        fields.put("hash", f.textNode(c.hash()));
        fields.put("hostSeq", c.hostSeq() == null ? f.nullNode() : f.numberNode(c.hostSeq()));
        fields.put("hostKeyId", c.hostKeyId() == null ? f.nullNode() : f.textNode(c.hostKeyId()));
        fields.put("cutoff", f.textNode(c.cutoff().toString()));
        fields.put("deleted", f.numberNode(c.deleted()));
        fields.put("signerKeyId", c.signerKeyId() == null ? f.nullNode() : f.textNode(c.signerKeyId()));
        fields.put("signature", c.signature() == null ? f.nullNode() : f.textNode(c.signature()));
        return Canonical.object(fields);
    }

    /** A head the host signed, as an export line ({@code "record": "head"}). */
    public static String of(SignedHeadRepository.StoredHead h) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Map<String, JsonNode> fields = new java.util.LinkedHashMap<>();
        fields.put("record", f.textNode("head"));
        fields.put("host", f.textNode(h.host()));
        fields.put("keyId", f.textNode(h.keyId()));
        fields.put("lastSeq", f.numberNode(h.lastSeq()));
        fields.put("lastDigest", f.textNode(h.lastDigest()));
        fields.put("signedAt", f.textNode(h.signedAt().toString()));
        fields.put("signature", f.textNode(h.signature()));
        return Canonical.object(fields);
    }

    public static String of(AuditEvent event) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Map<String, JsonNode> fields = ChainHash.fields(
                event.eventId,
                event.host,
                event.crqId,
                event.kind,
                event.occurredAt,
                Canonical.parse(event.payload),
                event.sequence);
        fields.put("prevHash", f.textNode(event.prevHash));
        fields.put("hash", f.textNode(event.hash));
        fields.put("source", f.textNode(event.source));
        fields.put("receivedAt", f.textNode(event.receivedAt.toString()));
        if (event.hostSeq != null) {
            fields.put("hostSeq", f.numberNode(event.hostSeq));
            fields.put("keyId", f.textNode(event.keyId));
            fields.put("signature", f.textNode(event.signature));
            if (event.batchSize != null) {
                fields.put("batchFirstSeq", f.numberNode(event.batchFirstSeq));
                fields.put("batchSize", f.numberNode(event.batchSize));
                fields.put("batchProof", Canonical.parse(event.batchProof));
            }
        }
        return Canonical.object(fields);
    }
}
