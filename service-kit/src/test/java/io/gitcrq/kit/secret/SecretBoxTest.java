package io.gitcrq.kit.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    private static SecretBox box(Optional<String> key, Optional<Path> file) {
        return new SecretBox(new SecretsConfig() {
            @Override
            public Optional<String> key() {
                return key;
            }

            @Override
            public Optional<Path> keyFile() {
                return file;
            }
        });
    }

    private final SecretBox box = box(Optional.of(KEY), Optional.empty());

    @Test
    void aSealedSecretOpensForItsContextAndShowsNothingOfItself() {
        String sealed = box.seal("hunter2-webhook-secret", "demo");

        assertThat(sealed).startsWith(SecretBox.PREFIX).doesNotContain("hunter2");
        assertThat(box.isSealed(sealed)).isTrue();
        assertThat(box.open(sealed, "demo")).isEqualTo("hunter2-webhook-secret");
        assertThat(box.seal("hunter2-webhook-secret", "demo"))
                .as("a fresh nonce each time")
                .isNotEqualTo(sealed);
    }

    @Test
    void aSealedSecretCopiedToAnotherContextOrEditedDoesNotOpen() {
        String sealed = box.seal("s3cret", "demo");
        byte[] bytes = Base64.getDecoder().decode(sealed.substring(SecretBox.PREFIX.length()));
        bytes[bytes.length - 1] ^= 1;
        String edited = SecretBox.PREFIX + Base64.getEncoder().encodeToString(bytes);

        assertThatThrownBy(() -> box.open(sealed, "other")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> box.open(edited, "demo")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> box.open("s3cret", "demo")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anotherKeyCannotOpenIt() {
        byte[] other = new byte[32];
        other[0] = 1;
        SecretBox otherBox = box(Optional.of(Base64.getEncoder().encodeToString(other)), Optional.empty());

        assertThatThrownBy(() -> otherBox.open(box.seal("s3cret", "demo"), "demo"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theKeyFileWinsOverTheKey(@TempDir Path dir) throws IOException {
        byte[] other = new byte[32];
        other[5] = 7;
        Path file = Files.writeString(
                dir.resolve("secrets.key"), Base64.getEncoder().encodeToString(other) + "\n");
        SecretBox fromFile = box(Optional.of(KEY), Optional.of(file));

        assertThatThrownBy(() -> box.open(fromFile.seal("s3cret", "demo"), "demo"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(box(Optional.empty(), Optional.of(file)).open(fromFile.seal("s3cret", "demo"), "demo"))
                .isEqualTo("s3cret");
    }

    @Test
    void aMissingOrUnusableKeyIsSaidPlainly(@TempDir Path dir) {
        assertThatThrownBy(() -> box(Optional.empty(), Optional.empty()).requireKey())
                .isInstanceOf(SecretKeyMissingException.class)
                .hasMessageContaining("gitcrq.secrets.key-file");
        assertThatThrownBy(() -> box(Optional.of("c2hvcnQ="), Optional.empty()).requireKey())
                .isInstanceOf(SecretKeyMissingException.class)
                .hasMessageContaining("holds 5 bytes");
        assertThatThrownBy(
                        () -> box(Optional.of("not base64!"), Optional.empty()).requireKey())
                .isInstanceOf(SecretKeyMissingException.class)
                .hasMessageContaining("not base64")
                .hasMessageNotContaining("not base64!");
        assertThatThrownBy(() -> box(Optional.empty(), Optional.of(dir.resolve("absent")))
                        .requireKey())
                .isInstanceOf(SecretKeyMissingException.class)
                .hasMessageContaining("cannot read");
    }
}
