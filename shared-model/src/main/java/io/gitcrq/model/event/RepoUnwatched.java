package io.gitcrq.model.event;

import java.time.Instant;

/**
 * git-watcher no longer watches {@code repo}, as {@code unwatchedBy} asked ({@code DELETE /repos/<repo>}): its pushes are
 * no longer announced nor checked, and merge-bot no longer merges into it. A process change, so the audit trail keeps
 * who stopped watching it and when.
 */
public record RepoUnwatched(String repo, String unwatchedBy, Instant unwatchedAt) implements DomainEvent {

    public RepoUnwatched {
        Require.text(repo, "repo");
        Require.text(unwatchedBy, "unwatchedBy");
        Require.present(unwatchedAt, "unwatchedAt");
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
