package io.gitcrq.gitwatcher.domain;

/** Who asks for a change: an authenticated user, or git-watcher itself for what its configuration says. */
public record Actor(String name, boolean admin) {

    /** The service acting on its own configuration: may do what an admin may. */
    public static final Actor CONFIGURATION = new Actor("configuration", true);

    /** Whether this actor may change the settings of {@code repo}: an admin, or whoever registered it. */
    public boolean mayChange(WatchedRepo repo) {
        return admin || (repo.registeredBy != null && repo.registeredBy.equals(name));
    }
}
