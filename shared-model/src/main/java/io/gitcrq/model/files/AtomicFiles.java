package io.gitcrq.model.files;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files written whole or not at all, with their permissions set from the moment they exist: secrets (passwords, private
 * keys, tokens) are never readable by anyone but their owner, not even while being written.
 */
public final class AtomicFiles {

    /** {@code rw-------}: what a file holding a secret may allow. */
    public static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");

    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private AtomicFiles() {}

    /** Replaces {@code file} with {@code content}, readable by its owner alone. */
    public static void replacePrivate(Path file, String content) throws IOException {
        replace(file, content, PRIVATE);
    }

    /** Replaces {@code file} with {@code content}, readable by all (a public key, say). */
    public static void replaceReadable(Path file, String content) throws IOException {
        replace(file, content, READABLE);
    }

    /** Creates the new, empty {@code file} (it must not exist) readable by its owner alone. */
    public static Path createPrivate(Path file) throws IOException {
        return posix() ? Files.createFile(file, attribute(PRIVATE)) : Files.createFile(file);
    }

    /** Makes an existing file readable by its owner alone (one an earlier version wrote more openly). */
    public static void restrict(Path file) throws IOException {
        if (posix()) {
            Files.setPosixFilePermissions(file, PRIVATE);
        }
    }

    /** Whether {@code file} allows nothing to its group or others. */
    public static boolean isPrivate(Path file) throws IOException {
        return !posix() || PRIVATE.containsAll(Files.getPosixFilePermissions(file));
    }

    /**
     * Written to a new file beside the target, made with the final permissions, then moved into place: a reader sees
     * the old content or the new, never a part, and never a moment of wider permissions.
     */
    private static void replace(Path file, String content, Set<PosixFilePermission> permissions) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        String prefix = file.getFileName().toString();
        Path temporary = posix()
                ? Files.createTempFile(directory, prefix, ".tmp", attribute(permissions))
                : Files.createTempFile(directory, prefix, ".tmp");
        try {
            if (posix()) {
                // createTempFile's mode is masked by the umask; a readable file must be readable whatever it is.
                Files.setPosixFilePermissions(temporary, permissions);
            }
            Files.writeString(temporary, content);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> permissions) {
        return PosixFilePermissions.asFileAttribute(permissions);
    }
}
