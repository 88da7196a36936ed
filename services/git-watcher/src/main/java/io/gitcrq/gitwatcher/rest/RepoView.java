package io.gitcrq.gitwatcher.rest;

import io.gitcrq.gitwatcher.domain.WatchedRepo;
import io.gitcrq.gitwatcher.service.WebhookSettings;
import java.time.Instant;

/**
 * A watched repository as the REST API shows it. Of its webhook secret only whether there is one: a repository
 * with a secret is told of pushes by webhook ({@code webhookEnabled}).
 */
public record RepoView(
        String name,
        String location,
        boolean remote,
        String defaultBranch,
        Instant registeredAt,
        String webhookName,
        boolean webhookEnabled) {

    public static RepoView of(WatchedRepo repo, WebhookSettings webhooks) {
        return new RepoView(
                repo.name,
                repo.location,
                repo.remote,
                repo.defaultBranch,
                repo.registeredAt,
                webhooks.name(repo).orElse(null),
                webhooks.enabled(repo));
    }
}
