package io.gitcrq.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Files of the run directory that hold secrets (Kafka passwords, the secrets key): readable by their owner alone. */
final class PrivateFiles {

    private PrivateFiles() {}

    /**
     * Replaces {@code file} with {@code content}, atomically: written to a file made with mode 0600 beside it (never
     * readable by others, not even for a moment), then moved into place.
     */
    static void write(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Makes an existing file readable by its owner alone (one an earlier version wrote more openly). */
    static void restrict(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
