package io.gitcrq.execagent.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
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
    void aSecretSplitAcrossChunksOrBytesIsMaskedAndNothingElseIsHeldBack() {
        Redactor.Stream stream = REDACTOR.stream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] text = "x s3cr3t-longer y tök€n-42 z s3cr3t! s3".getBytes(StandardCharsets.UTF_8);
        // One byte at a time: every secret is split, the multi-byte ones inside their characters too.
        for (byte b : text) {
            out.writeBytes(stream.feed(new byte[] {b}));
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("x *** y *** z ***! ");
        out.writeBytes(stream.finish());
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("x *** y *** z ***! s3");
        assertThat(stream.masked()).isEqualTo(3);

        Redactor.Stream plain = REDACTOR.stream();
        assertThat(new String(plain.feed("nothing to see\n".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                .isEqualTo("nothing to see\n");
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
