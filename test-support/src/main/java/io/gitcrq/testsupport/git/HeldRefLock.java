package io.gitcrq.testsupport.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A ref's lock file ({@code refs/heads/main.lock}) as a live update of git holds it: written now, deleted by a thread
 * of its own after a while. Closing waits for that release, so a test's assertions see the lock gone, and fails if
 * the release did.
 */
public final class HeldRefLock implements AutoCloseable {

    private final Path lock;
    private final Thread releaser;
    private volatile Exception releaseFailure;

    private HeldRefLock(Path lock, Duration releasedAfter) {
        this.lock = lock;
        this.releaser = new Thread(
                () -> {
                    try {
                        Thread.sleep(releasedAfter.toMillis());
                        Files.delete(lock);
                    } catch (InterruptedException | IOException e) {
                        releaseFailure = e;
                    }
                },
                "held-ref-lock");
    }

    /** Writes {@code lock} with {@code content} (the ref's old id, as git does), deleted after {@code releasedAfter}. */
    public static HeldRefLock hold(Path lock, String content, Duration releasedAfter) {
        try {
            Files.writeString(lock, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take the ref lock " + lock, e);
        }
        HeldRefLock held = new HeldRefLock(lock, releasedAfter);
        held.releaser.start();
        return held;
    }

    /** Waits until the lock is released. */
    @Override
    public void close() throws InterruptedException {
        releaser.join();
        if (releaseFailure != null) {
            throw new IllegalStateException("the ref lock " + lock + " was not released", releaseFailure);
        }
    }
}
