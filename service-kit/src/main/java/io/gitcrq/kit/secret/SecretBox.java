package io.gitcrq.kit.secret;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets a service must keep readable (a webhook secret is checked with the secret itself, so a hash will
 * not do) with AES-256-GCM under the key of {@link SecretsConfig}. A sealed value is bound to its context (e.g. the
 * repository it belongs to): copied to another row it no longer opens. Stored form: {@code aes256gcm:v1:} and the
 * base64 of nonce and ciphertext.
 */
@ApplicationScoped
public class SecretBox {

    static final String PREFIX = "aes256gcm:v1:";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretsConfig config;
    private final SecureRandom random = new SecureRandom();
    private volatile SecretKey key;

    public SecretBox(SecretsConfig config) {
        this.config = config;
    }

    /** Fails unless a usable key is configured; services that keep secrets call it at start. */
    public void requireKey() {
        key();
    }

    public boolean isSealed(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    public String seal(String secret, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, context);
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            ByteBuffer out =
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed);
            return PREFIX + Base64.getEncoder().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a secret", e);
        }
    }

    /** The secret sealed for {@code context}; throws when it was sealed for another context or another key. */
    public String open(String stored, String context) {
        if (!isSealed(stored)) {
            throw new IllegalArgumentException("not a sealed secret");
        }
        byte[] all;
        try {
            all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a sealed secret that is not base64", e);
        }
        if (all.length <= NONCE_BYTES) {
            throw new IllegalArgumentException("a sealed secret too short to hold anything");
        }
        try {
            byte[] nonce = java.util.Arrays.copyOf(all, NONCE_BYTES);
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, nonce, context);
            byte[] plain = cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("a sealed secret that does not open with this key for " + context, e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String context) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key(), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private SecretKey key() {
        SecretKey k = key;
        if (k == null) {
            k = loadKey();
            key = k;
        }
        return k;
    }

    private SecretKey loadKey() {
        String text;
        String from;
        if (config.keyFile().isPresent()) {
            from = "gitcrq.secrets.key-file " + config.keyFile().get();
            try {
                text = Files.readString(config.keyFile().get());
            } catch (IOException e) {
                throw new SecretKeyMissingException("cannot read " + from + ": " + e.getMessage(), e);
            }
        } else if (config.key().isPresent()) {
            from = "gitcrq.secrets.key";
            text = config.key().get();
        } else {
            throw new SecretKeyMissingException("no key to seal secrets with: set gitcrq.secrets.key-file (a file"
                    + " holding the base64 of 32 random bytes, e.g. `openssl rand -base64 32`) or gitcrq.secrets.key");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw new SecretKeyMissingException(from + " is not base64", e);
        }
        if (bytes.length != KEY_BYTES) {
            throw new SecretKeyMissingException(
                    from + " holds " + bytes.length + " bytes; an AES-256 key is " + KEY_BYTES);
        }
        return new SecretKeySpec(bytes, "AES");
    }
}
