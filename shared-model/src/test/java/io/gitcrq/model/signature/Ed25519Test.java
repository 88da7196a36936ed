package io.gitcrq.model.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;

class Ed25519Test {

    private final KeyPair keys = Ed25519.generate();

    @Test
    void aSignatureVerifiesWithItsKeyAndOnlyForItsMessage() {
        String signature = Ed25519.sign(keys.getPrivate(), "host h1 seq 7");

        assertThat(Ed25519.verify(keys.getPublic(), "host h1 seq 7", signature)).isTrue();
        assertThat(Ed25519.verify(keys.getPublic(), "host h1 seq 8", signature)).isFalse();
        assertThat(Ed25519.verify(Ed25519.generate().getPublic(), "host h1 seq 7", signature))
                .isFalse();
        assertThat(Ed25519.verify(keys.getPublic(), "host h1 seq 7", "not base64!"))
                .isFalse();
        assertThat(Ed25519.verify(keys.getPublic(), "host h1 seq 7", null)).isFalse();
    }

    @Test
    void keysSurviveTheirPemAndBareBase64Forms() {
        String pem = Ed25519.publicKeyPem(keys.getPublic());
        assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");

        PublicKey fromPem = Ed25519.parsePublicKey(pem);
        PublicKey fromBase64 = Ed25519.parsePublicKey(
                pem.lines().filter(line -> !line.startsWith("-----")).reduce("", String::concat));
        String signature = Ed25519.sign(Ed25519.parsePrivateKey(Ed25519.privateKeyPem(keys.getPrivate())), "m");

        assertThat(Ed25519.verify(fromPem, "m", signature)).isTrue();
        assertThat(Ed25519.fingerprint(fromBase64)).isEqualTo(Ed25519.fingerprint(keys.getPublic()));
    }

    @Test
    void theFingerprintIsTheSha256OfTheRawKey() {
        // RFC 8032 section 7.1, test 1: the public key d75a9801…511a, whose fingerprint this is
        PublicKey rfc = Ed25519.parsePublicKey("MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");

        assertThat(Ed25519.fingerprint(rfc)).isEqualTo("SHA256:If4x36FUomFia/hUBG/SJxt77UtqvkWqWId+9H+XIbk");
    }

    @Test
    void textThatIsNoKeyIsRefusedWithoutBeingQuoted() {
        assertThatThrownBy(() -> Ed25519.parsePrivateKey("hunter2-secret"))
                .isInstanceOf(Ed25519.InvalidKeyTextException.class)
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> Ed25519.parsePublicKey("")).isInstanceOf(Ed25519.InvalidKeyTextException.class);
        // An RSA-sized blob of valid base64 is still no Ed25519 key.
        assertThatThrownBy(() -> Ed25519.parsePublicKey("AAAAAAAAAAAAAAAAAAAA"))
                .isInstanceOf(Ed25519.InvalidKeyTextException.class);
    }
}
