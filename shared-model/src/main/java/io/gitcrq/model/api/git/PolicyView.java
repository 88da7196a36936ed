package io.gitcrq.model.api.git;

import java.util.List;

/**
 * The gitcrq policy git-watcher applies to a repository ({@code GET /repos/{name}/policy}): {@code source} is
 * {@code repository} when the repository's git config (section {@code gitcrq}) sets part of it, else
 * {@code service}; {@code error} says why the repository's settings were not applied, when they are broken
 * (else null); {@code rule} is the branch naming rule in one line.
 */
public record PolicyView(
        String repo,
        List<String> branchTypes,
        List<String> exemptBranches,
        boolean requireLinkedCommits,
        String source,
        String rule,
        String error) {

    public static final String SOURCE_REPOSITORY = "repository";
    public static final String SOURCE_SERVICE = "service";
}
