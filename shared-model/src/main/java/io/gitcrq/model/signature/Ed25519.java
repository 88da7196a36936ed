package io.gitcrq.model.signature;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Ed25519 signatures as gitcrq writes them down: public keys as PEM SubjectPublicKeyInfo (what {@code openssl pkey
 * -pubin} reads), private keys as PEM PKCS#8, signatures as standard base64 of the 64 raw bytes, and a key's id as
 * {@code SHA256:} and the unpadded base64 of the SHA-256 of its 32 raw bytes (the way OpenSSH prints fingerprints).
 * The CLI verifies offline with the very code the services sign with.
 * <p>
 * Keys are the JDK's; signing and verifying are Bouncy Castle's RFC 8032 code: the same signatures (Ed25519 is
 * deterministic; Ed25519Test checks against the JDK's), about ten times faster than the JDK's under the C1-only JIT
 * the services run with (0.04 against 0.54 ms a signature, 0.06 against 0.62 ms a check), and every audit batch pays
 * both once (P1 in docs/benchmarks.md).
 */
public final class Ed25519 {

    private static final String ALGORITHM = "Ed25519";
    /** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it. */
    private static final int SPKI_PREFIX_BYTES = 12;

    private static final int SIGNATURE_BYTES = 64;

    private static final String PUBLIC_PEM = "PUBLIC KEY";
    private static final String PRIVATE_PEM = "PRIVATE KEY";

    private Ed25519() {}

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make Ed25519 keys", e);
        }
    }

    /** Base64 of the signature of {@code message}. */
    public static String sign(PrivateKey key, byte[] message) {
        if (!(key instanceof EdECPrivateKey edKey) || !isEd25519(edKey.getParams())) {
            throw new IllegalStateException("cannot sign with a key that is not an Ed25519 private key");
        }
        byte[] seed = edKey.getBytes()
                .orElseThrow(() -> new IllegalStateException("the Ed25519 private key does not give its bytes"));
        byte[] signature = new byte[SIGNATURE_BYTES];
        try {
            org.bouncycastle.math.ec.rfc8032.Ed25519.sign(seed, 0, message, 0, message.length, signature, 0);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
        return Base64.getEncoder().encodeToString(signature);
    }

    public static String sign(PrivateKey key, String message) {
        return sign(key, message.getBytes(StandardCharsets.UTF_8));
    }

    /** True when {@code signature} (base64) is {@code key}'s signature of {@code message}; false for anything else. */
    public static boolean verify(PublicKey key, byte[] message, String signature) {
        if (signature == null || !(key instanceof EdECPublicKey edKey) || !isEd25519(edKey.getParams())) {
            return false;
        }
        try {
            byte[] raw = Base64.getDecoder().decode(signature);
            return raw.length == SIGNATURE_BYTES
                    && org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
                            raw, 0, rawPublicKey(key), 0, message, 0, message.length);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static boolean verify(PublicKey key, String message, String signature) {
        return verify(key, message.getBytes(StandardCharsets.UTF_8), signature);
    }

    /** The key's id: {@code SHA256:} and the unpadded base64 of the SHA-256 of its raw bytes. */
    public static String fingerprint(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(rawPublicKey(key));
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The 32 bytes of an Ed25519 public key: what follows the DER prefix of its SubjectPublicKeyInfo. */
    private static byte[] rawPublicKey(PublicKey key) {
        byte[] der = key.getEncoded();
        return Arrays.copyOfRange(der, SPKI_PREFIX_BYTES, der.length);
    }

    private static boolean isEd25519(NamedParameterSpec params) {
        return ALGORITHM.equalsIgnoreCase(params.getName());
    }

    /** Where a key pair's public half is kept: beside its private key file, with {@code .pub} appended. */
    public static Path publicKeyFile(Path privateKeyFile) {
        return privateKeyFile.resolveSibling(privateKeyFile.getFileName() + ".pub");
    }

    public static String publicKeyPem(PublicKey key) {
        return pem(PUBLIC_PEM, key.getEncoded());
    }

    public static String privateKeyPem(PrivateKey key) {
        return pem(PRIVATE_PEM, key.getEncoded());
    }

    /**
     * A public key from its PEM or from the bare base64 of its DER.
     *
     * @throws InvalidKeyTextException when the text is not an Ed25519 public key
     */
    public static PublicKey parsePublicKey(String text) {
        byte[] der = der(text, PUBLIC_PEM);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new InvalidKeyTextException("not an Ed25519 public key");
        }
    }

    /** @throws InvalidKeyTextException when the text is not an Ed25519 private key */
    public static PrivateKey parsePrivateKey(String text) {
        byte[] der = der(text, PRIVATE_PEM);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | ClassCastException e) {
            // Never the text itself in the message: it may be a secret.
            throw new InvalidKeyTextException("not an Ed25519 private key");
        }
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static byte[] der(String text, String label) {
        if (text == null || text.isBlank()) {
            throw new InvalidKeyTextException("no key given");
        }
        String body = text.replace("-----BEGIN " + label + "-----", "")
                .replace("-----END " + label + "-----", "")
                .replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyTextException("a key that is neither PEM nor base64");
        }
    }

    /** Text given as a key that is not one; its message never holds the text. */
    public static final class InvalidKeyTextException extends IllegalArgumentException {
        public InvalidKeyTextException(String message) {
            super(message);
        }
    }
}
