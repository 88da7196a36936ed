package io.gitcrq.model.event;

/** git-watcher watches a repository: other services learn its name and where it lives. */
public record RepoWatched(String repo, String location, String defaultBranch) implements DomainEvent {
    public RepoWatched {
        Require.text(repo, "repo");
        Require.text(location, "location");
    }

    @Override
    public String partitionKey() {
        return repo;
    }

    @Override
    public String subject() {
        return repo;
    }
}
