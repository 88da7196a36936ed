package io.gitcrq.kit.signing;

import io.gitcrq.model.files.AtomicFiles;
import io.gitcrq.model.signature.Ed25519;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * A service's own Ed25519 key pair on disk: the private key as PEM PKCS#8 in {@code file} (mode 0600, never
 * readable by others, not even while written) and the public key beside it in {@code file.pub}. Made on first use;
 * a private key file readable by group or others is refused rather than used.
 */
public final class SigningKeyFile {

    private final Path file;

    public SigningKeyFile(Path file) {
        this.file = file;
    }

    public Path privateKeyFile() {
        return file;
    }

    public Path publicKeyFile() {
        return Ed25519.publicKeyFile(file);
    }

    /** The key pair, made and written first if there is none yet. */
    public KeyPair loadOrCreate() {
        try {
            if (!Files.exists(file)) {
                create();
            }
            return load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or make the signing key " + file, e);
        }
    }

    private KeyPair load() throws IOException {
        if (!AtomicFiles.isPrivate(file)) {
            throw new IllegalStateException("the signing key " + file + " is readable by others ("
                    + PosixFilePermissions.toString(Files.getPosixFilePermissions(file))
                    + "); make it 0600 or remove it");
        }
        PrivateKey privateKey = Ed25519.parsePrivateKey(Files.readString(file));
        PublicKey publicKey = Ed25519.parsePublicKey(Files.readString(publicKeyFile()));
        String probe = Ed25519.sign(privateKey, "gitcrq key pair check");
        if (!Ed25519.verify(publicKey, "gitcrq key pair check", probe)) {
            throw new IllegalStateException(publicKeyFile() + " is not the public key of " + file);
        }
        return new KeyPair(publicKey, privateKey);
    }

    private void create() throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        KeyPair keys = Ed25519.generate();
        // The public key first: a pair whose private half exists is complete.
        AtomicFiles.replaceReadable(publicKeyFile(), Ed25519.publicKeyPem(keys.getPublic()));
        AtomicFiles.replacePrivate(file, Ed25519.privateKeyPem(keys.getPrivate()));
    }
}
