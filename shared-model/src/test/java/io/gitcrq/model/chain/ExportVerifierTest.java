package io.gitcrq.model.chain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.AuditHeadSigned;
import io.gitcrq.model.signature.Ed25519;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Offline verification of export lines: what an auditor runs with the export and the hosts' public keys. */
class ExportVerifierTest {

    private static final String HOST = "build-01";
    private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");
    private static final ExportVerifier VERIFIER = new ExportVerifier(Map.of(HOST, AuditTestVectors.publicKey()), null);

    /**
     * A host's chain as audit-collector exports it: n signed events from genesis (signed in batches of up to three,
     * so most carry an audit path), then the host's head.
     */
    static List<String> export(int n) {
        List<String> lines = new ArrayList<>();
        String prev = ChainHash.GENESIS;
        List<AuditCaptured> unsigned = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ObjectNode payload = JsonNodeFactory.instance.objectNode().put("command", "step " + i);
            unsigned.add(new AuditCaptured(HOST, "CRQ-7", "exec", AT.plusSeconds(i), payload));
        }
        List<AuditCaptured> signed = new ArrayList<>();
        for (int from = 0; from < n; from += 3) {
            signed.addAll(AuditSignature.signBatch(
                    unsigned.subList(from, Math.min(n, from + 3)),
                    from + 1,
                    AuditTestVectors.privateKey(),
                    AuditTestVectors.keyId()));
        }
        AuditCaptured last = null;
        for (int i = 1; i <= n; i++) {
            last = signed.get(i - 1);
            String[] line = eventLine("e-" + i, i, prev, last);
            lines.add(line[0]);
            prev = line[1];
        }
        String digest = AuditSignature.digest(
                AuditSignature.canonical(HOST, last.crqId(), last.kind(), last.occurredAt(), last.payload(), n));
        AuditHeadSigned head = AuditSignature.signHead(
                HOST, n, digest, AT.plusSeconds(100), AuditTestVectors.privateKey(), AuditTestVectors.keyId());
        Map<String, JsonNode> h = new LinkedHashMap<>();
        JsonNodeFactory f = JsonNodeFactory.instance;
        h.put("record", f.textNode("head"));
        h.put("host", f.textNode(HOST));
        h.put("keyId", f.textNode(head.keyId()));
        h.put("lastSeq", f.numberNode(head.lastSeq()));
        h.put("lastDigest", f.textNode(head.lastDigest()));
        h.put("signedAt", f.textNode(head.signedAt().toString()));
        h.put("signature", f.textNode(head.signature()));
        lines.add(Canonical.object(h));
        return lines;
    }

    /** An event line and its hash. */
    private static String[] eventLine(String eventId, long sequence, String prev, AuditCaptured e) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Map<String, JsonNode> fields =
                ChainHash.fields(eventId, e.host(), e.crqId(), e.kind(), e.occurredAt(), e.payload(), sequence);
        String hash = ChainHash.hash(prev, Canonical.object(fields));
        fields.put("prevHash", f.textNode(prev));
        fields.put("hash", f.textNode(hash));
        fields.put("source", f.textNode("gitcrq/exec-agent"));
        fields.put("receivedAt", f.textNode(AT.toString()));
        fields.put("hostSeq", f.numberNode(e.hostSeq()));
        fields.put("keyId", f.textNode(e.keyId()));
        fields.put("signature", f.textNode(e.signature()));
        fields.put("batchFirstSeq", f.numberNode(e.batchFirstSeq()));
        fields.put("batchSize", f.numberNode(e.batchSize()));
        fields.put(
                "batchProof",
                f.arrayNode().addAll(e.batchProof().stream().map(f::textNode).toList()));
        return new String[] {Canonical.object(fields), hash};
    }

    @Test
    void aWholeSignedChainWithItsHeadVerifies() {
        ExportVerifier.Result result = VERIFIER.verify(export(3));
        assertThat(result.problems()).isEmpty();
        assertThat(result.unchecked()).isEmpty();
        assertThat(result.events()).isEqualTo(3);
    }

    @Test
    void aPayloadEditedWithItsHashRecomputedFailsOnTheSignature() {
        List<String> lines = export(3);
        // The second line's payload changed, and every hash from there on recomputed, as an attacker would.
        List<String> forged = new ArrayList<>(List.of(lines.get(0)));
        JsonNode second = Canonical.parse(lines.get(1));
        String prev = second.get("prevHash").asText();
        for (int i = 1; i < 3; i++) {
            ObjectNode line = (ObjectNode) Canonical.parse(lines.get(i));
            if (i == 1) {
                ((ObjectNode) line.get("payload")).put("command", "rm -rf /");
            }
            line.put("prevHash", prev);
            prev = ChainHash.hash(prev, ExportVerifier.hashedForm(line));
            line.put("hash", prev);
            forged.add(Canonical.of(line));
        }
        forged.add(lines.get(3));
        assertThat(VERIFIER.verify(forged).problems())
                .singleElement()
                .asString()
                .contains("sequence 2", "signature invalid");
    }

    @Test
    void theLastEventCutOffFailsOnTheHostsHead() {
        List<String> lines = export(3);
        lines.remove(2);
        assertThat(VERIFIER.verify(lines).problems())
                .singleElement()
                .asString()
                .contains("head at hostSeq 3", "chain truncated");
        assertThat(VERIFIER.verify(List.of(lines.get(lines.size() - 1))).problems())
                .singleElement()
                .asString()
                .contains("chain deleted");
    }

    @Test
    void withoutTheHostsKeySignaturesAreReportedUncheckedNeverFine() {
        ExportVerifier.Result result = new ExportVerifier(Map.of(), null).verify(export(2));
        assertThat(result.ok()).isTrue();
        assertThat(result.unchecked()).anyMatch(u -> u.contains("2 signature(s) not checked"));
        KeyPair other = Ed25519.generate();
        assertThat(new ExportVerifier(Map.of(HOST, other.getPublic()), null)
                        .verify(export(2))
                        .problems())
                .isNotEmpty();
    }
}
