package io.gitcrq.kit.git;

import io.gitcrq.kit.secret.SecretRedactor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.util.FileUtils;

/**
 * A bare mirror of a remote repository's branches, brought up to date by a fetch: created on first use, branches only,
 * forced and pruned, so that the mirror shows the remote's branches exactly as they are. The one fetcher of remote
 * repositories: git-watcher reads its mirrors, merge-bot merges in its own. Credentials go to the transport only;
 * the message of a failed fetch is passed through the {@link SecretRedactor} (a URL's user info is always masked).
 *
 * @param credentials the transport's credentials; null for none
 */
public record MirrorFetch(Path mirror, CredentialsProvider credentials, SecretRedactor redactor, int timeoutSeconds) {

    /** Fetches {@code url} into the mirror; a mirror this call created is removed again when the fetch fails. */
    public void from(String url) throws IOException {
        boolean created = !Files.isDirectory(mirror);
        try {
            if (created) {
                Files.createDirectories(mirror.getParent());
                Git.init().setBare(true).setDirectory(mirror.toFile()).call().close();
            }
            try (Git git = Git.open(mirror.toFile())) {
                git.fetch()
                        .setRemote(url)
                        .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"))
                        .setRemoveDeletedRefs(true)
                        .setCredentialsProvider(credentials)
                        .setTimeout(timeoutSeconds)
                        .call();
            }
        } catch (Exception e) {
            if (created) {
                deleteQuietly(mirror);
            }
            throw new IOException("cannot fetch " + redactor.redact(url) + ": " + redactor.redact(e.getMessage()));
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.IGNORE_ERRORS);
        } catch (IOException ignored) {
            // best effort: the next fetch finds the leftover and fetches into it
        }
    }
}
