package io.gitcrq.mergebot.service;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.FS;

/**
 * Where a watched repository lives, as RepoWatched gives it: a local directory (a path or a {@code file:} URL)
 * or a remote URL ({@code https://…}, {@code ssh://…}, {@code git@host:path}), which merge-bot does not merge yet.
 */
public record RepoLocation(String location, File directory) {

    private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");
    // scp-like syntax: user@host:path (a Windows drive letter "C:\…" is not one)
    private static final Pattern SCP = Pattern.compile("^[^/\\\\:@]+@[^/\\\\:]+:.*");

    public static RepoLocation of(String location) {
        String trimmed = location.trim();
        if (trimmed.startsWith("file:")) {
            return new RepoLocation(location, new File(URI.create(trimmed)));
        }
        if (URL.matcher(trimmed).matches() || SCP.matcher(trimmed).matches()) {
            return new RepoLocation(location, null);
        }
        return new RepoLocation(location, new File(trimmed));
    }

    public boolean isRemote() {
        return directory == null;
    }

    /** Opens the local repository (bare or not) at {@code directory}; the caller closes it. */
    public static Repository open(File directory) throws IOException {
        File gitDir = RepositoryCache.FileKey.resolve(directory, FS.DETECTED);
        if (gitDir == null) {
            throw new IOException("not a Git repository");
        }
        return new FileRepositoryBuilder().setGitDir(gitDir).setMustExist(true).build();
    }
}
