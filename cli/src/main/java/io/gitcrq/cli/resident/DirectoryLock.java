package io.gitcrq.cli.resident;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/** The lock that makes a resident process the only one of its directory; the kernel releases it if the process dies. */
public final class DirectoryLock implements AutoCloseable {

    private final FileChannel file;
    private final FileLock lock;

    private DirectoryLock(FileChannel file, FileLock lock) {
        this.file = file;
        this.lock = lock;
    }

    /** Takes the lock of the file {@code name} in {@code dir} (made {@code 0600}); empty when another process holds it. */
    public static Optional<DirectoryLock> tryTake(Path dir, String name) throws IOException {
        FileChannel file = FileChannel.open(
                dir.resolve(name),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        FileLock lock;
        try {
            lock = file.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by a resident process of this JVM (tests)
        }
        if (lock == null) {
            file.close();
            return Optional.empty();
        }
        return Optional.of(new DirectoryLock(file, lock));
    }

    @Override
    public void close() throws IOException {
        lock.release();
        file.close();
    }
}
