package io.gitcrq.model.event;

import java.time.Instant;

/**
 * The webhook settings of {@code repo} were changed by {@code changedBy} (git-watcher's {@code POST /repos} for a
 * watched repository): a process change, since whoever sets the secret decides which deliveries git-watcher believes.
 * The secret itself is never in the event: {@code secretReplaced} says whether it changed.
 */
public record WebhookSettingsChanged(
        String repo,
        String changedBy,
        String webhookNameBefore,
        String webhookNameAfter,
        boolean secretReplaced,
        Instant changedAt)
        implements DomainEvent {

    public WebhookSettingsChanged {
        Require.text(repo, "repo");
        Require.text(changedBy, "changedBy");
        Require.present(changedAt, "changedAt");
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
