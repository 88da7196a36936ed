package io.gitcrq.gitwatcher.git;

import io.gitcrq.gitwatcher.config.GitWatcherConfig;
import io.gitcrq.kit.git.MirrorFetch;
import io.gitcrq.kit.secret.SecretRedactor;
import io.gitcrq.model.repo.RepoLocation;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.FileUtils;

/**
 * Opens the repositories git-watcher reads: a local repository where it is, a remote one through a bare
 * mirror under {@code gitcrq.git-watcher.mirror-dir} that mirrors the remote's branches.
 */
@ApplicationScoped
public class GitRepositories {

    private static final int FETCH_TIMEOUT_SECONDS = 120;

    private final Path mirrorDir;

    public GitRepositories(GitWatcherConfig config) {
        this.mirrorDir = config.mirrorDir();
    }

    /** The repository to read for a registered location; the caller closes it. */
    public Repository open(String name, RepoLocation location) {
        File gitDir = location.remote() ? mirrorOf(name).toFile() : gitDirOf(location.path());
        try {
            return new FileRepositoryBuilder()
                    .setGitDir(gitDir)
                    .setMustExist(true)
                    .build();
        } catch (IOException e) {
            throw new GitAccessException("cannot open the repository at " + gitDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Brings the mirror of a remote repository up to date, creating it on first use; a URL's user info never reaches
     * the message of a failed fetch.
     */
    public void refreshMirror(String name, String url) {
        try {
            new MirrorFetch(mirrorOf(name), null, SecretRedactor.none(), FETCH_TIMEOUT_SECONDS).from(url);
        } catch (IOException e) {
            throw new GitAccessException(e.getMessage(), e);
        }
    }

    /** Deletes the mirror of a remote repository no longer watched (best effort: a leftover is refetched anyway). */
    public void removeMirror(String name) {
        deleteQuietly(mirrorOf(name));
    }

    public Path mirrorOf(String name) {
        return mirrorDir.resolve(name + ".git");
    }

    /**
     * The Git directory of a local repository: the path itself when bare, else its {@code .git}. Never the filesystem
     * root, nor git-watcher's own working directory or a directory holding it: a repository to watch is someone's
     * project, and watching the service's own checkout would publish its history as events.
     */
    private static File gitDirOf(Path path) {
        if (!Files.isDirectory(path)) {
            throw new GitAccessException(path + " is not a directory");
        }
        Path real;
        Path ownDirectory;
        try {
            real = path.toRealPath();
            ownDirectory = Path.of("").toAbsolutePath().toRealPath();
        } catch (IOException e) {
            throw new GitAccessException("cannot read " + path + ": " + e.getMessage(), e);
        }
        if (real.getParent() == null) {
            throw new GitAccessException(path + " is the filesystem root, not a repository");
        }
        if (ownDirectory.startsWith(real)) {
            throw new GitAccessException(
                    path + " holds git-watcher's own working directory, not a repository to watch");
        }
        File gitDir = RepositoryCache.FileKey.resolve(path.toFile(), FS.DETECTED);
        if (gitDir == null) {
            throw new GitAccessException(path + " is not a Git repository");
        }
        return gitDir;
    }

    private static void deleteQuietly(Path dir) {
        try {
            FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.IGNORE_ERRORS);
        } catch (IOException ignored) {
            // Leftovers of a failed first fetch are overwritten by the next registration of that name.
        }
    }
}
