package io.gitcrq.audit.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gitcrq.audit.domain.AuditEvent;
import io.gitcrq.model.chain.Canonical;
import io.gitcrq.model.chain.ChainHash;
import java.util.Map;

/**
 * One exported audit event: a JSON object on one line, written in {@link Canonical} form. Its fields are the
 * hashed ones ({@link ChainHash#HASHED_FIELDS}: crqId, eventId, host, kind, occurredAt, payload, sequence) plus
 * {@code prevHash}, {@code hash}, {@code source} and {@code receivedAt}. To check a line: drop those four, write
 * the rest canonically, and SHA-256 of prevHash followed by that text must be hash; a host's lines in sequence
 * order chain, each prevHash being the hash of the line before (the first one's: 64 zeros, or the hash of the
 * retention checkpoint that GET /audit/verify?host=H reports).
 */
public final class ExportLine {

    public static final String MEDIA_TYPE = "application/x-ndjson";

    private ExportLine() {}

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
        return Canonical.object(fields);
    }
}
