package io.gitcrq.model.api.git;

import java.time.Instant;

/**
 * A watched repository ({@code GET /repos}, {@code GET /repos/{name}}, {@code POST /repos}). Of its webhook secret
 * only whether there is one: a repository with a secret is told of pushes by webhook ({@code webhookEnabled}).
 */
public record RepoView(
        String name,
        String location,
        boolean remote,
        String defaultBranch,
        Instant registeredAt,
        String webhookName,
        boolean webhookEnabled) {}
