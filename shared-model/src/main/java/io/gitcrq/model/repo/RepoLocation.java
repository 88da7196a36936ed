package io.gitcrq.model.repo;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a repository lives, as registered with git-watcher and announced in RepoWatched: a URL ({@code https://…},
 * {@code ssh://…}, {@code file://…}, {@code git@host:path}) that is fetched, or a local path, kept absolute and
 * normalised so that the same repository registered twice compares equal. The one parser of locations: git-watcher
 * registers and fetches by it, merge-bot decides by it where it merges ({@link #localDirectory()}).
 */
public record RepoLocation(String location, boolean remote) {

    private static final Pattern URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.+");
    private static final Pattern SCP_LIKE = Pattern.compile("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:.+");

    /**
     * The location a person or an event gave, trimmed; a path is made absolute against the working directory.
     *
     * @throws IllegalArgumentException when it is empty
     */
    public static RepoLocation of(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("location is empty");
        }
        String trimmed = raw.trim();
        if (URL.matcher(trimmed).matches() || SCP_LIKE.matcher(trimmed).matches()) {
            return new RepoLocation(trimmed, true);
        }
        return new RepoLocation(Path.of(trimmed).toAbsolutePath().normalize().toString(), false);
    }

    /** The local path; a URL has none. */
    public Path path() {
        if (remote) {
            throw new IllegalStateException(location + " is a URL, not a local path");
        }
        return Path.of(location);
    }

    /**
     * The directory of this machine the repository is in: the path, or a {@code file:} URL's; empty for a repository
     * on another machine.
     */
    public Optional<Path> localDirectory() {
        if (!remote) {
            return Optional.of(Path.of(location));
        }
        if (location.startsWith("file:")) {
            return Optional.of(Path.of(URI.create(location)));
        }
        return Optional.empty();
    }
}
