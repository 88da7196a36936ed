package io.gitcrq.mergebot.rest;

import io.gitcrq.mergebot.domain.MergeSettings;
import java.time.Instant;
import java.util.List;

/** A repository's merge settings as the API shows them; {@code updatedBy} is empty for the defaults. */
public record MergeSettingsView(
        String repo,
        String strategy,
        List<String> requiredChecks,
        boolean deleteMergedBranch,
        String updatedBy,
        Instant updatedAt) {

    public static MergeSettingsView of(MergeSettings settings) {
        return new MergeSettingsView(
                settings.repo,
                settings.strategy,
                settings.requiredCheckNames(),
                settings.deleteMergedBranch,
                settings.updatedBy,
                settings.updatedAt);
    }
}
