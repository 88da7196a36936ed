package io.gitcrq.model.chain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.event.AuditHeadSigned;
import io.gitcrq.model.signature.Ed25519;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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

    @Test
    void aSignedEventVerifiesWithItsKeyAndNotOnceChanged() {
        AuditCaptured signed =
                AuditSignature.sign(vectorEvent(), 1, AuditTestVectors.privateKey(), AuditTestVectors.keyId());
        assertThat(signed.hostSeq()).isEqualTo(1L);
        assertThat(signed.keyId()).isEqualTo(AuditTestVectors.keyId());
        assertThat(AuditSignature.verify(signed, AuditTestVectors.publicKey())).isTrue();

        ObjectNode edited = signed.payload().deepCopy();
        edited.put("exitCode", 1);
        AuditCaptured changed = new AuditCaptured(
                signed.host(),
                signed.crqId(),
                signed.kind(),
                signed.occurredAt(),
                edited,
                signed.hostSeq(),
                signed.keyId(),
                signed.signature());
        assertThat(AuditSignature.verify(changed, AuditTestVectors.publicKey())).isFalse();
        assertThat(AuditSignature.verify(
                        signed.signed(2, signed.keyId(), signed.signature()), AuditTestVectors.publicKey()))
                .isFalse();
        assertThat(AuditSignature.verify(signed, Ed25519.generate().getPublic()))
                .isFalse();
        assertThat(AuditSignature.verify(vectorEvent(), AuditTestVectors.publicKey()))
                .isFalse();
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
    void theOfflineVerificationPageQuotesTheTestVectorsAsTheCodeComputesThem() throws IOException {
        String page = Files.readString(docs().resolve("guide/verify-audit-offline.md"));
        String signature = Ed25519.sign(AuditTestVectors.privateKey(), VECTOR_CANONICAL);
        assertThat(page)
                .contains(AuditTestVectors.PUBLIC_KEY_PEM.strip())
                .contains(AuditTestVectors.keyId())
                .contains(VECTOR_CANONICAL)
                .contains(signature)
                .contains(AuditSignature.digest(VECTOR_CANONICAL));
        assertThat(Ed25519.verify(AuditTestVectors.publicKey(), VECTOR_CANONICAL, signature))
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
}
