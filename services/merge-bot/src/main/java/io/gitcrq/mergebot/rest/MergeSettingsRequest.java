package io.gitcrq.mergebot.rest;

import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.mergebot.domain.MergeStrategy;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A repository's merge settings as PUT replaces them; an omitted field takes its default. */
public record MergeSettingsRequest(
        String strategy,

        @Size(max = 20)
        List<@Pattern(regexp = CheckRequest.CHECK_NAME, message = CheckRequest.CHECK_NAME_RULE) String> requiredChecks,

        Boolean deleteMergedBranch) {

    public MergeStrategy strategyOrDefault() {
        if (strategy == null) {
            return MergeStrategy.MERGE;
        }
        return MergeStrategy.fromSetting(strategy)
                .orElseThrow(() -> new InvalidRequestException(
                        "strategy must be one of " + MergeStrategy.settings() + ", not '" + strategy + "'"));
    }

    public List<String> requiredChecksOrNone() {
        if (requiredChecks == null) {
            return List.of();
        }
        Set<String> seen = new HashSet<>();
        for (String name : requiredChecks) {
            if (name == null) {
                throw new InvalidRequestException("requiredChecks must not contain null");
            }
            if (!seen.add(name)) {
                throw new InvalidRequestException("requiredChecks lists '" + name + "' twice");
            }
        }
        return List.copyOf(requiredChecks);
    }

    public boolean deleteMergedBranchOrDefault() {
        return deleteMergedBranch != null && deleteMergedBranch;
    }
}
