package io.gitcrq.kit.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The lock file of one ref ({@code refs/heads/main.lock}), as git and JGit take it to update the ref: created,
 * written, renamed over the ref. A live update holds it for milliseconds; a process killed while holding it leaves
 * it behind, and then every later update of the ref fails (git says "Another git process seems to be running"),
 * gitcrq's too. A lock older than {@code staleAfter} is taken to be such a leftover and removed.
 */
public final class RefLock {

    /** Far longer than any live update holds a ref lock, short enough that a merge or a fetch waits it out. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(30);

    private static final Logger LOG = Logger.getLogger(RefLock.class);
    private static final Duration POLL = Duration.ofMillis(50);

    private final Path file;
    private final String ref;
    private final Duration staleAfter;

    /** The lock of {@code ref} (e.g. {@code refs/heads/main}) in the repository whose git directory is {@code gitDir}. */
    public RefLock(Path gitDir, String ref, Duration staleAfter) {
        this.file = gitDir.resolve(ref + ".lock");
        this.ref = ref;
        this.staleAfter = staleAfter;
    }

    /**
     * Waits while the lock is held, at most {@code patience}: until its holder releases it, or until it is older than
     * {@code staleAfter} (counted from the lock file's time), then removes it. Whether the lock is gone now (true at
     * once when there was none).
     */
    public boolean awaitRelease(Duration patience) throws IOException {
        Instant giveUpAt = Instant.now().plus(patience);
        while (true) {
            Instant takenAt;
            try {
                takenAt = Files.getLastModifiedTime(file).toInstant();
            } catch (NoSuchFileException released) {
                return true;
            }
            Instant now = Instant.now();
            Duration held = Duration.between(takenAt, now);
            if (held.compareTo(staleAfter) >= 0) {
                removeStale(held);
                return true;
            }
            if (!now.isBefore(giveUpAt)) {
                return false;
            }
            try {
                Thread.sleep(Math.min(POLL.toMillis(), staleAfter.minus(held).toMillis() + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + file, e);
            }
        }
    }

    private void removeStale(Duration held) throws IOException {
        if (!Files.deleteIfExists(file)) {
            return; // released just now
        }
        LOG.warnf(
                "removed %s, held for %d s: no live update holds a ref lock that long (stale after %s), so a process"
                        + " died holding it and %s could not be updated until now",
                file, held.toSeconds(), staleAfter, ref);
    }
}
