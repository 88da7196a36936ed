package io.gitcrq.kit.signing;

import io.gitcrq.model.signature.Ed25519;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * A service's own signing key ({@link SigningKeyFile}), read (or made) once, on first use, with its fingerprint: what
 * a service holding one key pair for its life needs of it.
 */
public final class SigningKey {

    private final SigningKeyFile file;
    private volatile KeyPair keys;
    private volatile String keyId;

    public SigningKey(Path file) {
        this.file = new SigningKeyFile(file);
    }

    private KeyPair keys() {
        KeyPair loaded = keys;
        if (loaded == null) {
            synchronized (this) {
                if (keys == null) {
                    KeyPair pair = file.loadOrCreate();
                    keyId = Ed25519.fingerprint(pair.getPublic());
                    keys = pair;
                }
                loaded = keys;
            }
        }
        return loaded;
    }

    /** The key's fingerprint ({@link Ed25519#fingerprint}). */
    public String keyId() {
        keys();
        return keyId;
    }

    public PublicKey publicKey() {
        return keys().getPublic();
    }

    public PrivateKey privateKey() {
        return keys().getPrivate();
    }

    /** Base64 of the key's signature of {@code message}. */
    public String sign(String message) {
        return Ed25519.sign(privateKey(), message);
    }

    /** Where the public half is, for whoever must check the signatures. */
    public Path publicKeyFile() {
        return file.publicKeyFile();
    }
}
