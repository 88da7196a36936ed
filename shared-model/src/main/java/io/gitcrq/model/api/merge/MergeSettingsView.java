package io.gitcrq.model.api.merge;

import java.time.Instant;
import java.util.List;

/** A repository's merge settings as the API shows them; {@code updatedBy} is empty for the defaults. */
public record MergeSettingsView(
        String repo,
        String strategy,
        List<String> requiredChecks,
        boolean deleteMergedBranch,
        String updatedBy,
        Instant updatedAt) {}
