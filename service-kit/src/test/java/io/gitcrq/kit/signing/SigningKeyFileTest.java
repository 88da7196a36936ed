package io.gitcrq.kit.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gitcrq.model.signature.Ed25519;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyFileTest {

    @TempDir
    Path dir;

    @Test
    void theFirstUseMakesAPrivateKeyOnlyItsOwnerReadsAndLaterUsesReadTheSamePair() throws Exception {
        SigningKeyFile keyFile = new SigningKeyFile(dir.resolve("keys/host.key"));

        KeyPair made = keyFile.loadOrCreate();
        KeyPair read = new SigningKeyFile(dir.resolve("keys/host.key")).loadOrCreate();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile.privateKeyFile())))
                .isEqualTo("rw-------");
        assertThat(Files.readString(keyFile.publicKeyFile())).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(Ed25519.fingerprint(read.getPublic())).isEqualTo(Ed25519.fingerprint(made.getPublic()));
        assertThat(Ed25519.verify(made.getPublic(), "m", Ed25519.sign(read.getPrivate(), "m")))
                .isTrue();
    }

    @Test
    void aPrivateKeyOthersCanReadIsNotUsed() throws Exception {
        SigningKeyFile keyFile = new SigningKeyFile(dir.resolve("host.key"));
        keyFile.loadOrCreate();
        Files.setPosixFilePermissions(keyFile.privateKeyFile(), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(keyFile::loadOrCreate).hasMessageContaining("readable by others");
    }

    @Test
    void aPublicKeyFileOfAnotherPairIsRefused() throws Exception {
        SigningKeyFile keyFile = new SigningKeyFile(dir.resolve("host.key"));
        keyFile.loadOrCreate();
        Files.writeString(
                keyFile.publicKeyFile(), Ed25519.publicKeyPem(Ed25519.generate().getPublic()));

        assertThatThrownBy(keyFile::loadOrCreate).hasMessageContaining("is not the public key of");
    }
}
