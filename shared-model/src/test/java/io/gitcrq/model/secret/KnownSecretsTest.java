package io.gitcrq.model.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownSecretsTest {

    private static final KnownSecrets SECRETS =
            KnownSecrets.of(Arrays.asList("s3cr3t", "s3cr3t-longer", "tök€n-42", "", null));

    @Test
    void masksEverySecretLongestFirstAndKnowsWhichItHas() {
        assertThat(SECRETS.mask("a s3cr3t, a s3cr3t-longer and tök€n-42 s3cr")).isEqualTo("a ***, a *** and *** s3cr");
        assertThat(SECRETS.mask(null)).isNull();
        assertThat(KnownSecrets.of(Arrays.asList("", null)).isEmpty()).isTrue();
        assertThat(KnownSecrets.none().mask("s3cr3t")).isEqualTo("s3cr3t");

        KnownSecrets more = SECRETS.with("another-one");
        assertThat(more.contains("another-one")).isTrue();
        assertThat(SECRETS.contains("another-one")).as("immutable").isFalse();
        assertThat(more.with("another-one")).isSameAs(more);
        assertThat(more.with("")).isSameAs(more);
    }

    @Test
    void aSecretIsMaskedInItsBase64UrlAndHexFormsWhereverItStarts() {
        String secret = "pa55/w0rd+x?&=";
        KnownSecrets redactor = KnownSecrets.of(List.of(secret));
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
        KnownSecrets shortOne = KnownSecrets.of(List.of("pin1"));
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
    void aSecretSplitAcrossChunksOrBytesIsMaskedAndNothingElseIsHeldBack() {
        KnownSecrets.Stream stream = SECRETS.stream();
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

        KnownSecrets.Stream plain = SECRETS.stream();
        assertThat(new String(plain.feed("nothing to see\n".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                .isEqualTo("nothing to see\n");
    }
}
