package io.gitcrq.model.api.merge;

import java.util.ArrayList;
import java.util.List;

/**
 * PUT /repos/{repo}/merge-settings: a repository's merge settings, replaced whole; an omitted field takes its
 * default (strategy merge, no required check, merged branches kept).
 */
public record MergeSettingsRequest(String strategy, List<String> requiredChecks, Boolean deleteMergedBranch) {

    public static final int MAX_REQUIRED_CHECKS = 20;

    public boolean deleteMergedBranchOrDefault() {
        return deleteMergedBranch != null && deleteMergedBranch;
    }

    /**
     * What is wrong with the form of the settings, sorted; empty when merge-bot may judge them. An ill-formed
     * check name is told as "&lt;list element&gt; ...", once per such name, as merge-bot always answered it.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (requiredChecks != null) {
            if (requiredChecks.size() > MAX_REQUIRED_CHECKS) {
                problems.add("requiredChecks size must be between 0 and " + MAX_REQUIRED_CHECKS);
            }
            for (String name : requiredChecks) {
                if (name != null && !CheckRequest.CHECK_NAME.matcher(name).matches()) {
                    problems.add("<list element> " + CheckRequest.CHECK_NAME_RULE);
                }
            }
        }
        problems.sort(null);
        return problems;
    }
}
