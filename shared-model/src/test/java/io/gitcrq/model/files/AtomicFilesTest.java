package io.gitcrq.model.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void replacesAPrivateFileWholeAndLeavesNoTemporaryBehind() throws Exception {
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "old");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));

        AtomicFiles.replacePrivate(secret, "new");

        assertThat(secret).hasContent("new");
        assertThat(permissions(secret)).isEqualTo("rw-------");
        assertThat(AtomicFiles.isPrivate(secret)).isTrue();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(secret);
        }
    }

    @Test
    void writesAReadableFileForAllWhateverTheUmask() throws Exception {
        Path pub = dir.resolve("key.pub");

        AtomicFiles.replaceReadable(pub, "public");

        assertThat(pub).hasContent("public");
        assertThat(permissions(pub)).isEqualTo("rw-r--r--");
        assertThat(AtomicFiles.isPrivate(pub)).isFalse();
    }

    @Test
    void createsOnlyANewPrivateFileAndRestrictsAnOpenOne() throws Exception {
        Path made = AtomicFiles.createPrivate(dir.resolve("made"));
        assertThat(permissions(made)).isEqualTo("rw-------");
        assertThatThrownBy(() -> AtomicFiles.createPrivate(made)).isInstanceOf(FileAlreadyExistsException.class);

        Path open = Files.writeString(dir.resolve("open"), "x");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-rw-rw-"));
        AtomicFiles.restrict(open);
        assertThat(permissions(open)).isEqualTo("rw-------");
    }

    private static String permissions(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
