package io.gitcrq.gitwatcher.git;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where a repository lives, as registered: a URL ({@code https://…}, {@code ssh://…}, {@code file://…},
 * {@code git@host:path}) that git-watcher fetches, or a local path, kept absolute and normalised so that
 * the same repository registered twice compares equal.
 */
public record RepoLocation(String location, boolean remote) {

    private static final Pattern URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.+");
    private static final Pattern SCP_LIKE = Pattern.compile("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:.+");

    public static RepoLocation of(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new GitAccessException("location is empty");
        }
        String trimmed = raw.trim();
        if (URL.matcher(trimmed).matches() || SCP_LIKE.matcher(trimmed).matches()) {
            return new RepoLocation(trimmed, true);
        }
        return new RepoLocation(Path.of(trimmed).toAbsolutePath().normalize().toString(), false);
    }

    public Path path() {
        if (remote) {
            throw new IllegalStateException(location + " is a URL, not a local path");
        }
        return Path.of(location);
    }
}
