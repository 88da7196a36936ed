package io.gitcrq.gitwatcher.rest;

import io.gitcrq.gitwatcher.domain.WatchedRepo;

import java.time.Instant;

public record RepoView(String name, String location, boolean remote, String defaultBranch, Instant registeredAt) {

    public static RepoView of(WatchedRepo repo) {
        return new RepoView(repo.name, repo.location, repo.remote, repo.defaultBranch, repo.registeredAt);
    }
}
