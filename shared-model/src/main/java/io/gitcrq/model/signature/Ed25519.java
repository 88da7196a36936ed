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
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Ed25519 signatures as gitcrq writes them down: public keys as PEM SubjectPublicKeyInfo (what {@code openssl pkey
 * -pubin} reads), private keys as PEM PKCS#8, signatures as standard base64 of the 64 raw bytes, and a key's id as
 * {@code SHA256:} and the unpadded base64 of the SHA-256 of its 32 raw bytes (the way OpenSSH prints fingerprints).
 * Plain JDK, so the CLI verifies offline with the very code the services sign with.
 */
public final class Ed25519 {

    private static final String ALGORITHM = "Ed25519";
    /** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it. */
    private static final int SPKI_PREFIX_BYTES = 12;

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
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key);
            signer.update(message);
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with an Ed25519 key", e);
        }
    }

    public static String sign(PrivateKey key, String message) {
        return sign(key, message.getBytes(StandardCharsets.UTF_8));
    }

    /** True when {@code signature} (base64) is {@code key}'s signature of {@code message}; false for anything else. */
    public static boolean verify(PublicKey key, byte[] message, String signature) {
        if (signature == null) {
            return false;
        }
        try {
            byte[] raw = Base64.getDecoder().decode(signature);
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(raw);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    public static boolean verify(PublicKey key, String message, String signature) {
        return verify(key, message.getBytes(StandardCharsets.UTF_8), signature);
    }

    /** The key's id: {@code SHA256:} and the unpadded base64 of the SHA-256 of its raw bytes. */
    public static String fingerprint(PublicKey key) {
        byte[] der = key.getEncoded();
        byte[] raw = Arrays.copyOfRange(der, SPKI_PREFIX_BYTES, der.length);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
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
