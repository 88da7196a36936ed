package io.gitcrq.execagent.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
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
    void aSecretIsMaskedInItsBase64UrlAndHexFormsWhereverItStarts() {
        String secret = "pa55/w0rd+x?&=";
        Redactor redactor = Redactor.of(List.of(secret), name -> null);
        for (String prefix : List.of("", "a", "ab", "alice:", "bob:x")) {
            String basic = Base64.getEncoder().encodeToString((prefix + secret).getBytes(StandardCharsets.UTF_8));
            String urlSafe = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((prefix + secret).getBytes(StandardCharsets.UTF_8));
            for (String encoded : List.of(basic, urlSafe)) {
                String masked = redactor.mask("Authorization: Basic " + encoded + " done");
                assertThat(masked).contains("***").endsWith(" done");
                assertThat(decodesToSecret(masked, secret)).as(masked).isFalse();
            }
        }
        assertThat(redactor.mask("GET /login?pw=pa55%2Fw0rd%2Bx%3F%26%3D HTTP/1.1"))
                .isEqualTo("GET /login?pw=*** HTTP/1.1");
        assertThat(redactor.mask("pw=pa55%2fw0rd%2bx%3f%26%3d")).isEqualTo("pw=***");
        assertThat(redactor.mask("hex 706135352f7730726" + "42b783f263d")).isEqualTo("hex ***");
        // Too short for its encodings to be told from ordinary text: the value alone.
        Redactor shortOne = Redactor.of(List.of("pin1"), name -> null);
        assertThat(shortOne.mask("cGluMQ== pin1")).isEqualTo("cGluMQ== ***");
    }

    /** Whether any base64 run in {@code text} still decodes to something holding {@code secret}. */
    private static boolean decodesToSecret(String text, String secret) {
        for (String word : text.split("[^A-Za-z0-9+/=_-]+")) {
            for (Base64.Decoder decoder : List.of(Base64.getDecoder(), Base64.getUrlDecoder())) {
                try {
                    if (new String(decoder.decode(word), StandardCharsets.UTF_8).contains(secret)) {
                        return true;
                    }
                } catch (IllegalArgumentException notBase64) {
                    // not this alphabet, or cut by the mask
                }
            }
        }
        return false;
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
