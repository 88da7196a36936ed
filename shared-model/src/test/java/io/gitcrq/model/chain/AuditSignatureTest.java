package io.gitcrq.model.chain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcrq.model.event.AuditBatchCaptured;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.AuditHeadSigned;
import io.gitcrq.model.event.ExecFinished;
import io.gitcrq.model.signature.Ed25519;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The signed form of audit events and heads, and the test vectors of docs/guide/verify-audit-offline.md: the page
 * quotes the key, the signed form and the signature this test computes, so the page cannot drift from the code.
 */
class AuditSignatureTest {

    static final String VECTOR_CANONICAL = "{\"crqId\":\"CRQ-7\",\"host\":\"build-01\",\"hostSeq\":1,\"kind\":\"exec\","
            + "\"occurredAt\":\"2026-01-02T03:04:05.123456Z\",\"payload\":{\"command\":\"make test\",\"exitCode\":0}}";

    static AuditCaptured vectorEvent() {
        ObjectNode payload = JsonNodeFactory.instance
                .objectNode()
                .put("command", "make test")
                .put("exitCode", 0);
        // Nanoseconds the store does not keep: the signed form drops them.
        return new AuditCaptured("build-01", "CRQ-7", "exec", Instant.parse("2026-01-02T03:04:05.123456789Z"), payload);
    }

    @Test
    void theSignedFormIsTheCanonicalObjectOfTheSignedFields() {
        AuditCaptured e = vectorEvent();
        assertThat(AuditSignature.canonical(e.host(), e.crqId(), e.kind(), e.occurredAt(), e.payload(), 1))
                .isEqualTo(VECTOR_CANONICAL);
        // The same from the payload as stored text (keys in another order, a number spelled otherwise).
        assertThat(AuditSignature.canonical(
                        "build-01",
                        "CRQ-7",
                        "exec",
                        Instant.parse("2026-01-02T03:04:05.123456Z"),
                        "{\"exitCode\": 0.0, \"command\": \"make test\"}",
                        1))
                .isEqualTo(VECTOR_CANONICAL);
    }

    /** The second event of the page's batch. */
    static AuditCaptured secondVectorEvent() {
        ObjectNode payload = JsonNodeFactory.instance
                .objectNode()
                .put("command", "make lint")
                .put("exitCode", 2);
        return new AuditCaptured("build-01", "CRQ-7", "exec", Instant.parse("2026-01-02T03:04:06Z"), payload);
    }

    /** The page's batch: the two vector events as hostSeq 1 and 2, under one signature. */
    static List<AuditCaptured> vectorBatch() {
        return AuditSignature.signBatch(
                List.of(vectorEvent(), secondVectorEvent()),
                1,
                AuditTestVectors.privateKey(),
                AuditTestVectors.keyId());
    }

    private static AuditCaptured withPayload(AuditCaptured e, ObjectNode payload) {
        return new AuditCaptured(
                e.host(),
                e.crqId(),
                e.kind(),
                e.occurredAt(),
                payload,
                e.hostSeq(),
                e.keyId(),
                e.signature(),
                e.batchFirstSeq(),
                e.batchSize(),
                e.batchProof());
    }

    @Test
    void aSignedEventVerifiesWithItsKeyAndNotOnceChanged() {
        AuditCaptured signed =
                AuditSignature.sign(vectorEvent(), 1, AuditTestVectors.privateKey(), AuditTestVectors.keyId());
        assertThat(signed.hostSeq()).isEqualTo(1L);
        assertThat(signed.keyId()).isEqualTo(AuditTestVectors.keyId());
        assertThat(signed.batchFirstSeq()).isEqualTo(1L);
        assertThat(signed.batchSize()).isEqualTo(1);
        assertThat(signed.batchProof()).isEmpty();
        assertThat(AuditSignature.verify(signed, AuditTestVectors.publicKey())).isTrue();

        ObjectNode edited = signed.payload().deepCopy();
        edited.put("exitCode", 1);
        assertThat(AuditSignature.verify(withPayload(signed, edited), AuditTestVectors.publicKey()))
                .isFalse();
        assertThat(AuditSignature.verify(
                        signed.signed(2, signed.keyId(), signed.signature(), 2, 1, List.of()),
                        AuditTestVectors.publicKey()))
                .isFalse();
        assertThat(AuditSignature.verify(signed, Ed25519.generate().getPublic()))
                .isFalse();
        assertThat(AuditSignature.verify(vectorEvent(), AuditTestVectors.publicKey()))
                .isFalse();
    }

    @Test
    void eachEventOfBatchesOfOneToSevenVerifiesAloneAndNotMovedChangedOrInAnotherSize() {
        for (int n = 1; n <= 7; n++) {
            List<AuditCaptured> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ObjectNode payload = JsonNodeFactory.instance.objectNode().put("step", i);
                batch.add(
                        new AuditCaptured("build-01", "CRQ-7", "exec", Instant.parse("2026-01-02T03:04:05Z"), payload));
            }
            List<AuditCaptured> signed =
                    AuditSignature.signBatch(batch, 10, AuditTestVectors.privateKey(), AuditTestVectors.keyId());
            assertThat(signed)
                    .extracting(AuditCaptured::signature)
                    .containsOnly(signed.get(0).signature());
            for (int i = 0; i < n; i++) {
                AuditCaptured e = signed.get(i);
                String at = "event " + i + " of " + n;
                assertThat(e.hostSeq()).isEqualTo(10L + i);
                assertThat(AuditSignature.verify(e, AuditTestVectors.publicKey()))
                        .as(at)
                        .isTrue();
                for (long seq = 9; seq <= 10 + n; seq++) {
                    if (seq != e.hostSeq()) {
                        assertThat(AuditSignature.verify(
                                        e.signed(seq, e.keyId(), e.signature(), 10, n, e.batchProof()),
                                        AuditTestVectors.publicKey()))
                                .as(at + " numbered " + seq)
                                .isFalse();
                    }
                }
                for (int m = 1; m <= 8; m++) {
                    if (m != n) {
                        assertThat(AuditSignature.verify(
                                        e.signed(e.hostSeq(), e.keyId(), e.signature(), 10, m, e.batchProof()),
                                        AuditTestVectors.publicKey()))
                                .as(at + " in a batch of " + m)
                                .isFalse();
                    }
                }
                for (int k = 0; k < e.batchProof().size(); k++) {
                    List<String> proof = new ArrayList<>(e.batchProof());
                    proof.set(
                            k,
                            signed.get((i + 1) % n).batchProof().get(0).equals(proof.get(k))
                                    ? Base64.getEncoder().encodeToString(new byte[32])
                                    : signed.get((i + 1) % n).batchProof().get(0));
                    assertThat(AuditSignature.verify(
                                    e.signed(e.hostSeq(), e.keyId(), e.signature(), 10, n, proof),
                                    AuditTestVectors.publicKey()))
                            .as(at + " with hash " + k + " of its path changed")
                            .isFalse();
                }
                ObjectNode edited = e.payload().deepCopy();
                edited.put("step", 99);
                assertThat(AuditSignature.verify(withPayload(e, edited), AuditTestVectors.publicKey()))
                        .as(at + " changed")
                        .isFalse();
            }
        }
    }

    @Test
    void aBatchRecordUnpacksIntoTheEventsSignBatchMakesAndAChangedEventSpoilsTheWholeBatch() {
        for (int n = 1; n <= 7; n++) {
            List<AuditCaptured> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ObjectNode payload = JsonNodeFactory.instance.objectNode().put("step", i);
                batch.add(new AuditCaptured(
                        "build-01",
                        i % 2 == 0 ? "CRQ-7" : null,
                        "exec",
                        Instant.parse("2026-01-02T03:04:05Z"),
                        payload));
            }
            AuditBatchCaptured record =
                    AuditSignature.signBatchRecord(batch, 10, AuditTestVectors.privateKey(), AuditTestVectors.keyId());
            List<AuditSignature.Unpacked> unpacked = AuditSignature.unpack(record);
            assertThat(unpacked)
                    .extracting(AuditSignature.Unpacked::event)
                    .as("batch of " + n)
                    .isEqualTo(AuditSignature.signBatch(
                            batch, 10, AuditTestVectors.privateKey(), AuditTestVectors.keyId()));
            assertThat(unpacked)
                    .extracting(AuditSignature.Unpacked::eventId)
                    .containsExactlyElementsOf(record.events().stream()
                            .map(AuditBatchCaptured.Entry::eventId)
                            .toList())
                    .doesNotHaveDuplicates();
            assertThat(unpacked).allMatch(u -> AuditSignature.verify(u.event(), AuditTestVectors.publicKey()));
            for (int i = 0; i < n; i++) {
                AuditCaptured e = unpacked.get(i).event();
                assertThat(record.event(i))
                        .as("event " + i + " of " + n + " as shown, without its path")
                        .isEqualTo(e.signed(
                                e.hostSeq(), e.keyId(), e.signature(), e.batchFirstSeq(), e.batchSize(), null));
            }

            for (int changed = 0; changed < n; changed++) {
                List<AuditBatchCaptured.Entry> entries = new ArrayList<>(record.events());
                AuditBatchCaptured.Entry e = entries.get(changed);
                entries.set(
                        changed,
                        new AuditBatchCaptured.Entry(
                                e.eventId(),
                                e.crqId(),
                                e.kind(),
                                e.occurredAt(),
                                JsonNodeFactory.instance.objectNode().put("step", 99)));
                AuditBatchCaptured forged = new AuditBatchCaptured(
                        record.host(), record.keyId(), record.firstSeq(), record.signature(), entries);
                assertThat(AuditSignature.unpack(forged))
                        .as("batch of " + n + " with event " + changed + " changed")
                        .noneMatch(u -> AuditSignature.verify(u.event(), AuditTestVectors.publicKey()));
            }
            AuditBatchCaptured renumbered = new AuditBatchCaptured(
                    record.host(), record.keyId(), record.firstSeq() + 1, record.signature(), record.events());
            assertThat(AuditSignature.unpack(renumbered))
                    .as("batch of " + n + " numbered from 11")
                    .noneMatch(u -> AuditSignature.verify(u.event(), AuditTestVectors.publicKey()));
        }
    }

    @Test
    void theBatchStatementIsTypedSoTheKeySignsNothingElseThisWay() {
        assertThat(AuditSignature.batchStatement("h", 3, 2, new byte[32]))
                .isEqualTo("{\"firstSeq\":3,\"host\":\"h\",\"root\":\"" + "A".repeat(43)
                        + "=\",\"size\":2,\"type\":\"gitcrq.audit-batch.v1\"}");
    }

    @Test
    void aSignedHeadVerifiesAndNotOnceChanged() {
        String digest = AuditSignature.digest(VECTOR_CANONICAL);
        AuditHeadSigned head = AuditSignature.signHead(
                "build-01",
                1,
                digest,
                Instant.parse("2026-01-02T03:05:00Z"),
                AuditTestVectors.privateKey(),
                AuditTestVectors.keyId());
        assertThat(AuditSignature.verifyHead(head, AuditTestVectors.publicKey()))
                .isTrue();
        AuditHeadSigned moved =
                new AuditHeadSigned(head.host(), 2, head.lastDigest(), head.signedAt(), head.keyId(), head.signature());
        assertThat(AuditSignature.verifyHead(moved, AuditTestVectors.publicKey()))
                .isFalse();
    }

    @Test
    void anExecsSignedEndVerifiesWithItsHostsKeyAndNotOnceAFieldChangedOrWithAnotherKey() {
        ExecFinished end = AuditSignature.signExecFinished(
                new ExecFinished(
                        "x-9",
                        "build-01",
                        "CRQ-7",
                        "crq-7",
                        "0",
                        2,
                        Instant.parse("2026-01-02T03:04:05.123456Z"),
                        Instant.parse("2026-01-02T03:05:00Z"),
                        "/logs/x-9.log",
                        "ab".repeat(32)),
                AuditTestVectors.privateKey(),
                AuditTestVectors.keyId());
        assertThat(end.keyId()).isEqualTo(AuditTestVectors.keyId());
        assertThat(AuditSignature.execFinishedCanonical(end))
                .isEqualTo(
                        "{\"crqId\":\"CRQ-7\",\"endedAt\":\"2026-01-02T03:05:00Z\",\"execId\":\"x-9\",\"exitCode\":2,"
                                + "\"host\":\"build-01\",\"logPath\":\"/logs/x-9.log\",\"outputSha256\":\""
                                + "ab".repeat(32)
                                + "\",\"pane\":\"0\",\"reason\":null,\"session\":\"crq-7\","
                                + "\"startedAt\":\"2026-01-02T03:04:05.123456Z\",\"status\":\"FINISHED\","
                                + "\"type\":\"gitcrq.exec-finished.v1\"}");
        assertThat(AuditSignature.verifyExecFinished(end, AuditTestVectors.publicKey()))
                .isTrue();

        // The same signature on an end that says another exit code, or another host.
        ExecFinished otherExitCode = withExitCodeAndHost(end, 0, end.host()).signed(end.keyId(), end.signature());
        ExecFinished otherHost =
                withExitCodeAndHost(end, end.exitCode(), "build-02").signed(end.keyId(), end.signature());
        assertThat(AuditSignature.verifyExecFinished(otherExitCode, AuditTestVectors.publicKey()))
                .isFalse();
        assertThat(AuditSignature.verifyExecFinished(otherHost, AuditTestVectors.publicKey()))
                .isFalse();
        assertThat(AuditSignature.verifyExecFinished(end, Ed25519.generate().getPublic()))
                .isFalse();
        assertThat(AuditSignature.verifyExecFinished(end.signed(null, null), AuditTestVectors.publicKey()))
                .isFalse();
    }

    private static ExecFinished withExitCodeAndHost(ExecFinished end, int exitCode, String host) {
        return new ExecFinished(
                end.execId(),
                host,
                end.crqId(),
                end.session(),
                end.pane(),
                exitCode,
                end.startedAt(),
                end.endedAt(),
                end.logPath(),
                end.outputSha256(),
                end.status(),
                end.reason());
    }

    @Test
    void theOfflineVerificationPageQuotesTheTestVectorsAsTheCodeComputesThem() throws IOException {
        String page = Files.readString(docs().resolve("guide/verify-audit-offline.md"));
        AuditCaptured first = vectorBatch().get(0);
        byte[] leaf = AuditSignature.leaf(VECTOR_CANONICAL);
        String statement = AuditSignature.statement(first).orElseThrow();
        assertThat(first.batchProof()).hasSize(1);
        assertThat(page)
                .contains(AuditTestVectors.PUBLIC_KEY_PEM.strip())
                .contains(AuditTestVectors.keyId())
                .contains(VECTOR_CANONICAL)
                .contains(HexFormat.of().formatHex(leaf))
                .contains(first.batchProof().get(0))
                .contains(statement)
                .contains(first.signature())
                .contains(AuditSignature.digest(VECTOR_CANONICAL));
        assertThat(Ed25519.verify(AuditTestVectors.publicKey(), statement, first.signature()))
                .isTrue();
    }

    private static Path docs() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("docs/guide"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no docs/guide above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("docs");
    }

    /**
     * The signed form and the chain form written from a payload's canonical text (once, for both) are the canonical
     * objects of their fields, whatever the values hold (escapes, characters beyond ASCII and U+FFFF, a null or
     * lower-case CRQ id, an instant with or without a fraction).
     */
    @Test
    void theFormsWrittenFromACanonicalPayloadAreTheCanonicalObjectsOfTheirFields() throws IOException {
        com.fasterxml.jackson.databind.JsonNode payload = io.gitcrq.model.event.EventCodec.mapper()
                .readTree("{\"z\":[1,2.50,-0.0,1e3,12345678901234567890123,{\"b\":null,\"a\":true}],"
                        + "\"\u00e9t\u00e9\":\"tab\\t quote\\\" back\\\\ \\u0001 \\ud83d\\ude00 /\",\"n\":1.0E-7}");
        Canonical.Text text = Canonical.text(payload);
        for (String crqId : new String[] {"CRQ-7", "crq-12", null, "not-a-crq"}) {
            for (Instant at :
                    new Instant[] {Instant.parse("2026-01-02T03:04:05Z"), Instant.parse("2026-01-02T03:04:05.120400Z")
                    }) {
                for (String host : new String[] {"build-01", "h\u00f4te \"\u4e2d\""}) {
                    assertThat(AuditSignature.canonical(host, crqId, "exec", at, text, 42))
                            .isEqualTo(AuditSignature.canonical(host, crqId, "exec", at, payload.toString(), 42))
                            .isEqualTo(signedFormByFields(host, crqId, "exec", at, payload, 42));
                    assertThat(ChainHash.canonical("ev-1", host, crqId, "exec", at, text, 7))
                            .isEqualTo(ChainHash.canonical("ev-1", host, crqId, "exec", at, payload.toString(), 7))
                            .isEqualTo(Canonical.object(ChainHash.fields("ev-1", host, crqId, "exec", at, payload, 7)));
                }
            }
        }
    }

    /**
     * audit-collector writes the canonical text of the payload as it parsed it off the wire (doubles, not exact
     * decimals); an auditor parses the stored text exactly. Both give the same text.
     */
    @Test
    void aPayloadReadOffTheWireWritesTheSameCanonicalTextAsItsStoredText() throws IOException {
        String wire = "{\"a\":0.1,\"b\":1.0E-7,\"c\":123456789.123456789,\"d\":-0.0,\"e\":1e300,"
                + "\"f\":98765432109876543210,\"g\":[3.0,2.5E10,-1.25e-3],\"h\":\"\\u00e9\\n\"}";
        com.fasterxml.jackson.databind.JsonNode read =
                io.gitcrq.model.event.EventCodec.mapper().readTree(wire);
        assertThat(Canonical.text(read).text()).isEqualTo(Canonical.of(read.toString()));
    }

    @Test
    void theBatchStatementIsTheCanonicalObjectOfItsFields() {
        byte[] root = new byte[32];
        for (int i = 0; i < root.length; i++) {
            root[i] = (byte) (i * 37);
        }
        for (String host : new String[] {"build-01", "h\u00f4te \"\\\u4e2d\""}) {
            JsonNodeFactory f = JsonNodeFactory.instance;
            java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> fields = new java.util.LinkedHashMap<>();
            fields.put("firstSeq", f.numberNode(12345678901L));
            fields.put("host", f.textNode(host));
            fields.put("root", f.textNode(Base64.getEncoder().encodeToString(root)));
            fields.put("size", f.numberNode(100));
            fields.put("type", f.textNode(AuditSignature.BATCH_TYPE));
            assertThat(AuditSignature.batchStatement(host, 12345678901L, 100, root))
                    .isEqualTo(Canonical.object(fields));
        }
    }

    /** The signed form as the canonical object of its fields (how it is defined), for comparison. */
    private static String signedFormByFields(
            String host,
            String crqId,
            String kind,
            Instant at,
            com.fasterxml.jackson.databind.JsonNode payload,
            long seq) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> fields = new java.util.LinkedHashMap<>();
        String printed = crqId;
        if (crqId != null) {
            try {
                printed = io.gitcrq.model.policy.CrqId.parse(crqId).toString();
            } catch (IllegalArgumentException e) {
                printed = crqId;
            }
        }
        fields.put("crqId", crqId == null ? f.nullNode() : f.textNode(printed));
        fields.put("host", f.textNode(host));
        fields.put("hostSeq", f.numberNode(seq));
        fields.put("kind", f.textNode(kind));
        fields.put(
                "occurredAt",
                f.textNode(at.truncatedTo(java.time.temporal.ChronoUnit.MICROS).toString()));
        fields.put("payload", payload);
        return Canonical.object(fields);
    }
}
