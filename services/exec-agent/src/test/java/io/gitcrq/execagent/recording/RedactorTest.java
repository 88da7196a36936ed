package io.gitcrq.execagent.recording;

import static org.assertj.core.api.Assertions.assertThat;

import io.gitcrq.model.secret.KnownSecrets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedactorTest {

    @TempDir
    Path temp;

    private static final Redactor REDACTOR = Redactor.of(
            List.of("s3cr3t", "s3cr3t-longer", "env:TOKEN", "env:UNSET", ""), Map.of("TOKEN", "tök€n-42")::get);

    @Test
    void masksLiteralValuesAndEnvironmentValuesLongestFirst() {
        assertThat(REDACTOR.mask("a s3cr3t, a s3cr3t-longer and tök€n-42 s3cr")).isEqualTo("a ***, a *** and *** s3cr");
        assertThat(REDACTOR.mask(null)).isNull();
        assertThat(Redactor.of(List.of(), name -> null).mask("s3cr3t")).isEqualTo("s3cr3t");
        assertThat(Redactor.of(List.of("env:UNSET"), name -> null).isEmpty()).isTrue();
    }

    @Test
    void capturedValuesAreMaskedInEveryStringOfTheirStructure() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("args", List.of("curl", "-H", "Authorization: s3cr3t", 3));
        payload.put("paths", Map.of("/tmp/s3cr3t.txt", List.of("x s3cr3t-longer y")));
        payload.put("pid", 42L);
        payload.put("gone", null);

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("args", List.of("curl", "-H", "Authorization: ***", 3));
        expected.put("paths", Map.of("/tmp/***.txt", List.of("x *** y")));
        expected.put("pid", 42L);
        expected.put("gone", null);
        assertThat(REDACTOR.maskAll(payload)).isEqualTo(expected);
        assertThat(Redactor.of(List.of(), name -> null).maskAll(payload)).isSameAs(payload);
    }

    @Test
    void aSecretRegisteredLaterIsMaskedFromThenOnInEveryEncodedForm() {
        Redactor redactor = Redactor.of(List.of("s3cr3t"), name -> null);
        String injected = "ghp_injected-token";
        assertThat(redactor.mask(injected)).isEqualTo(injected);
        KnownSecrets.Stream before = redactor.stream();

        redactor.register(injected);
        redactor.register(injected);

        String hex = java.util.HexFormat.of().formatHex(injected.getBytes(StandardCharsets.UTF_8));
        assertThat(redactor.mask(injected + " " + hex + " s3cr3t")).isEqualTo("*** *** ***");
        assertThat(new String(before.feed((injected + "\n").getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                .as("a stream keeps the secrets it started with")
                .isEqualTo(injected + "\n");
    }

    @Test
    void masksAFileInPlaceAndLeavesACleanOneAlone() throws Exception {
        Path log = temp.resolve("e.log");
        Files.writeString(log, "token=s3cr3t\n".repeat(10_000) + "end s3cr3t");
        assertThat(REDACTOR.maskFile(log)).isTrue();
        assertThat(Files.readString(log)).isEqualTo("token=***\n".repeat(10_000) + "end ***");

        Path clean = temp.resolve("clean.log");
        Files.writeString(clean, "fine\n");
        long modified = Files.getLastModifiedTime(clean).toMillis();
        assertThat(REDACTOR.maskFile(clean)).isFalse();
        assertThat(Files.getLastModifiedTime(clean).toMillis()).isEqualTo(modified);
        assertThat(REDACTOR.maskFile(temp.resolve("missing.log"))).isFalse();
        assertThat(Files.list(temp).map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder("e.log", "clean.log");
    }
}
