package io.gitcrq.model.event;

import java.time.Instant;
import java.util.List;

/**
 * The merge rules of {@code repo} were changed by {@code changedBy} (merge-bot's {@code PUT
 * /repos/<repo>/merge-settings}): a process change, so the audit trail keeps who changed what from what.
 * {@code before} is what applied until then (the defaults for a repository never configured).
 */
public record MergeSettingsChanged(
        String repo, String changedBy, MergeRules before, MergeRules after, Instant changedAt) implements DomainEvent {

    /** A repository's merge rules: how CRQ branches are merged, which checks must pass first, what is cleaned up. */
    public record MergeRules(String strategy, List<String> requiredChecks, boolean deleteMergedBranch) {
        public MergeRules {
            Require.text(strategy, "strategy");
            requiredChecks = requiredChecks == null ? List.of() : List.copyOf(requiredChecks);
        }
    }

    public MergeSettingsChanged {
        Require.text(repo, "repo");
        Require.text(changedBy, "changedBy");
        Require.present(before, "before");
        Require.present(after, "after");
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
