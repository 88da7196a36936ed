package io.gitcrq.kit.signing;

import io.gitcrq.model.signature.Ed25519;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Set;

/**
 * A service's own Ed25519 key pair on disk: the private key as PEM PKCS#8 in {@code file} (mode 0600, never
 * readable by others, not even while written) and the public key beside it in {@code file.pub}. Made on first use;
 * a private key file readable by group or others is refused rather than used.
 */
public final class SigningKeyFile {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;

    public SigningKeyFile(Path file) {
        this.file = file;
    }

    public Path privateKeyFile() {
        return file;
    }

    public Path publicKeyFile() {
        return file.resolveSibling(file.getFileName() + ".pub");
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
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(permissions)) {
            throw new IllegalStateException("the signing key " + file + " is readable by others ("
                    + PosixFilePermissions.toString(permissions) + "); make it 0600 or remove it");
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
        writeAtomically(publicKeyFile(), Ed25519.publicKeyPem(keys.getPublic()), false);
        writeAtomically(file, Ed25519.privateKeyPem(keys.getPrivate()), true);
    }

    private static void writeAtomically(Path target, String content, boolean ownerOnly) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (ownerOnly) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, content);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
