package io.gitcrq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gitcrq.model.chain.AuditSignature;
import io.gitcrq.model.chain.Canonical;
import io.gitcrq.model.chain.ChainHash;
import io.gitcrq.model.event.AuditCaptured;
import io.gitcrq.model.signature.Ed25519;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gitcrq audit verify --file EXPORT --host-key H=PEM}: an export checked with no service at all. */
class AuditOfflineVerifyTest {

    private static final KeyPair KEY = Ed25519.generate();
    private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

    /** One signed event, link 1 of host build-01, as an export line. */
    private static String line(String command) {
        AuditCaptured e = AuditSignature.sign(
                new AuditCaptured(
                        "build-01",
                        "CRQ-7",
                        "exec",
                        AT,
                        JsonNodeFactory.instance.objectNode().put("command", "make")),
                1,
                KEY.getPrivate(),
                Ed25519.fingerprint(KEY.getPublic()));
        Map<String, JsonNode> fields = ChainHash.fields(
                "e-1",
                e.host(),
                e.crqId(),
                e.kind(),
                e.occurredAt(),
                JsonNodeFactory.instance.objectNode().put("command", command),
                1);
        JsonNodeFactory f = JsonNodeFactory.instance;
        String hash = ChainHash.hash(ChainHash.GENESIS, Canonical.object(fields));
        fields.put("prevHash", f.textNode(ChainHash.GENESIS));
        fields.put("hash", f.textNode(hash));
        fields.put("source", f.textNode("gitcrq/exec-agent"));
        fields.put("receivedAt", f.textNode(AT.toString()));
        fields.put("hostSeq", f.numberNode(1));
        fields.put("keyId", f.textNode(e.keyId()));
        fields.put("signature", f.textNode(e.signature()));
        fields.put("batchFirstSeq", f.numberNode(e.batchFirstSeq()));
        fields.put("batchSize", f.numberNode(e.batchSize()));
        fields.put("batchProof", f.arrayNode());
        return Canonical.object(fields);
    }

    @Test
    void anExportVerifiesWithTheHostsKeyAndAnEditedOneFailsNamingTheRow(@TempDir Path dir) throws Exception {
        Path pub = dir.resolve("build-01.pub");
        Files.writeString(pub, Ed25519.publicKeyPem(KEY.getPublic()));
        Path export = dir.resolve("export.jsonl");
        Files.writeString(export, line("make") + "\n");

        CliRunner.Result ok =
                new CliRunner().run("audit", "verify", "--file", export.toString(), "--host-key", "build-01=" + pub);
        assertThat(ok.exitCode()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).isEqualTo("ok: 1 event of 1 host in " + export + "\n");

        // The payload edited and the hash recomputed: only the host's signature shows it.
        Files.writeString(export, line("make deploy") + "\n");
        CliRunner.Result broken =
                new CliRunner().run("audit", "verify", "--file", export.toString(), "--host-key", "build-01=" + pub);
        assertThat(broken.exitCode()).isEqualTo(1);
        assertThat(broken.out()).contains("BROKEN: build-01 sequence 1 (event e-1): signature invalid");

        CliRunner.Result unchecked = new CliRunner().run("audit", "verify", "--file", export.toString());
        assertThat(unchecked.exitCode()).isZero();
        assertThat(unchecked.out()).contains("not checked: build-01: 1 signature(s) not checked");
    }
}
