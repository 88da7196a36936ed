package io.gitcrq.model.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
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
    void signaturesAreTheJdksAndTheJdksSignaturesVerify() throws Exception {
        // Ed25519 is deterministic: the same key and message give the same signature whoever computes it.
        Random random = new Random(20261205);
        for (int i = 0; i < 20; i++) {
            KeyPair pair = Ed25519.generate();
            byte[] message = new byte[random.nextInt(700)];
            random.nextBytes(message);
            Signature jdk = Signature.getInstance("Ed25519");
            jdk.initSign(pair.getPrivate());
            jdk.update(message);
            String jdkSignature = Base64.getEncoder().encodeToString(jdk.sign());

            assertThat(Ed25519.sign(pair.getPrivate(), message)).isEqualTo(jdkSignature);
            assertThat(Ed25519.verify(pair.getPublic(), message, jdkSignature)).isTrue();
            byte[] changed = jdkSignature.getBytes(StandardCharsets.US_ASCII);
            changed[random.nextInt(40)] ^= 1; // within the first 30 bytes, never the padding
            assertThat(Ed25519.verify(pair.getPublic(), message, new String(changed, StandardCharsets.US_ASCII)))
                    .isFalse();
        }
    }

    @Test
    void theRfc8032VectorsHold() {
        // RFC 8032 section 7.1, tests 1 (empty message) and 2 (one byte, 0x72).
        PrivateKey key1 =
                Ed25519.parsePrivateKey(pkcs8("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        PrivateKey key2 =
                Ed25519.parsePrivateKey(pkcs8("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
        String signature1 =
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
        String signature2 =
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";

        assertThat(Ed25519.sign(key1, new byte[0])).isEqualTo(base64OfHex(signature1));
        assertThat(Ed25519.sign(key2, new byte[] {0x72})).isEqualTo(base64OfHex(signature2));
        PublicKey public1 = Ed25519.parsePublicKey("MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
        assertThat(Ed25519.verify(public1, new byte[0], base64OfHex(signature1)))
                .isTrue();
        assertThat(Ed25519.verify(public1, new byte[] {0x72}, base64OfHex(signature2)))
                .isFalse();
        // A signature of the wrong length, or a key of another kind, verifies nothing.
        assertThat(Ed25519.verify(public1, new byte[0], base64OfHex(signature1.substring(2))))
                .isFalse();
    }

    /** A PKCS#8 Ed25519 private key (RFC 8410) around a 32-byte seed given in hex. */
    private static String pkcs8(String seedHex) {
        byte[] prefix = HexFormat.of().parseHex("302e020100300506032b657004220420");
        byte[] seed = HexFormat.of().parseHex(seedHex);
        byte[] der = new byte[prefix.length + seed.length];
        System.arraycopy(prefix, 0, der, 0, prefix.length);
        System.arraycopy(seed, 0, der, prefix.length, seed.length);
        return Base64.getEncoder().encodeToString(der);
    }

    private static String base64OfHex(String hex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
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
