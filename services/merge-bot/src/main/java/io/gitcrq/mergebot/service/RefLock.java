package io.gitcrq.mergebot.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The lock file of one ref ({@code refs/heads/main.lock}), as git and JGit take it to update the ref: created,
 * written, renamed over the ref. A live update holds it for milliseconds; a process killed while holding it leaves
 * it behind, and then every later update of the ref fails (git says "Another git process seems to be running"),
 * merge-bot's too. A lock older than {@code staleAfter} is taken to be such a leftover and removed.
 */
final class RefLock {

    private static final Logger LOG = Logger.getLogger(RefLock.class);
    private static final Duration POLL = Duration.ofMillis(50);

    private final Path file;
    private final String ref;
    private final Duration staleAfter;
    private final Clock clock;

    RefLock(Path gitDir, String ref, Duration staleAfter, Clock clock) {
        this.file = gitDir.resolve(ref + ".lock");
        this.ref = ref;
        this.staleAfter = staleAfter;
        this.clock = clock;
    }

    /**
     * Waits while the lock is held: until its holder releases it, or until it is older than {@code staleAfter}
     * (counted from the lock file's time), then removes it. Returns at once when there is no lock file; waits at
     * most {@code staleAfter}.
     */
    void awaitRelease() throws IOException {
        while (true) {
            Instant takenAt;
            try {
                takenAt = Files.getLastModifiedTime(file).toInstant();
            } catch (NoSuchFileException released) {
                return;
            }
            Duration held = Duration.between(takenAt, clock.instant());
            if (held.compareTo(staleAfter) >= 0) {
                removeStale(held);
                return;
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
                "removed %s, held for %d s: no live update holds a ref lock that long (gitcrq.merge-bot.stale-ref-lock-after=%s),"
                        + " so a process died holding it and %s could not be updated until now",
                file, held.toSeconds(), staleAfter, ref);
    }
}
