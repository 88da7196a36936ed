package io.gitcrq.kit.git;

import io.gitcrq.kit.secret.SecretRedactor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TrackingRefUpdate;
import org.eclipse.jgit.util.FileUtils;

/**
 * A bare mirror of a remote repository's branches, brought up to date by a fetch: created on first use, branches only,
 * forced and pruned, so that the mirror shows the remote's branches exactly as they are. The one fetcher of remote
 * repositories: git-watcher reads its mirrors, merge-bot merges in its own. Credentials go to the transport only;
 * the message of a failed fetch is passed through the {@link SecretRedactor} (a URL's user info is always masked).
 * A branch the fetch could not update fails it, naming the branch: a mirror that silently stays behind would hide
 * the remote's new commits. One whose ref lock is held is fetched again once the lock is released, or removed as
 * stale ({@link RefLock}: a process killed while fetching leaves it).
 *
 * @param credentials the transport's credentials; null for none
 * @param staleRefLockAfter a ref lock older than this is removed ({@link RefLock})
 * @param lockPatience how long a fetch waits for a ref lock held by another process
 */
public record MirrorFetch(
        Path mirror,
        CredentialsProvider credentials,
        SecretRedactor redactor,
        int timeoutSeconds,
        Duration staleRefLockAfter,
        Duration lockPatience) {

    /** Fetches whose ref lock was held, at most: each waits for the lock's release, so a few are plenty. */
    private static final int LOCKED_TRIES = 3;

    private static final Set<RefUpdate.Result> UPDATED = EnumSet.of(
            RefUpdate.Result.NEW, RefUpdate.Result.FAST_FORWARD, RefUpdate.Result.FORCED, RefUpdate.Result.NO_CHANGE);

    /** A mirror whose ref locks are stale after {@link RefLock#DEFAULT_STALE_AFTER}, waited for that long. */
    public MirrorFetch(Path mirror, CredentialsProvider credentials, SecretRedactor redactor, int timeoutSeconds) {
        this(mirror, credentials, redactor, timeoutSeconds, RefLock.DEFAULT_STALE_AFTER, RefLock.DEFAULT_STALE_AFTER);
    }

    /** Fetches {@code url} into the mirror; a mirror this call created is removed again when the fetch fails. */
    public void from(String url) throws IOException {
        boolean created = !Files.isDirectory(mirror);
        try {
            if (created) {
                Files.createDirectories(mirror.getParent());
                Git.init().setBare(true).setDirectory(mirror.toFile()).call().close();
            }
            try (Git git = Git.open(mirror.toFile())) {
                for (int tried = 1; ; tried++) {
                    List<TrackingRefUpdate> failed = git
                            .fetch()
                            .setRemote(url)
                            .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"))
                            .setRemoveDeletedRefs(true)
                            .setCredentialsProvider(credentials)
                            .setTimeout(timeoutSeconds)
                            .call()
                            .getTrackingRefUpdates()
                            .stream()
                            .filter(u -> !UPDATED.contains(u.getResult()))
                            .toList();
                    if (failed.isEmpty()) {
                        break;
                    }
                    if (tried == LOCKED_TRIES || !released(failed)) {
                        throw new IOException("the mirror could not update "
                                + failed.stream()
                                        .map(u -> u.getLocalName() + " (" + u.getResult() + ")")
                                        .collect(Collectors.joining(", ")));
                    }
                }
            }
        } catch (Exception e) {
            if (created) {
                deleteQuietly(mirror);
            }
            throw new IOException("cannot fetch " + redactor.redact(url) + ": " + redactor.redact(e.getMessage()));
        }
    }

    /** Whether every failed update was a held ref lock that is released (or removed as stale) now. */
    private boolean released(List<TrackingRefUpdate> failed) throws IOException {
        for (TrackingRefUpdate u : failed) {
            if (u.getResult() != RefUpdate.Result.LOCK_FAILURE
                    || !new RefLock(mirror, u.getLocalName(), staleRefLockAfter).awaitRelease(lockPatience)) {
                return false;
            }
        }
        return true;
    }

    private static void deleteQuietly(Path dir) {
        try {
            FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.IGNORE_ERRORS);
        } catch (IOException ignored) {
            // best effort: the next fetch finds the leftover and fetches into it
        }
    }
}
