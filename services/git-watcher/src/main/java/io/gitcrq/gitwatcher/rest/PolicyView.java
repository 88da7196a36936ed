package io.gitcrq.gitwatcher.rest;

import io.gitcrq.kit.policy.EffectivePolicy;
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
        EffectivePolicy.Source source,
        String rule,
        String error) {

    static PolicyView of(String repo, EffectivePolicy effective) {
        return new PolicyView(
                repo,
                effective.policy().branchNames().types().stream().sorted().toList(),
                effective.policy().branchNames().exemptBranches().stream()
                        .sorted()
                        .toList(),
                effective.policy().requireLinkedCommits(),
                effective.source(),
                effective.policy().branchNames().rule(),
                effective.error());
    }
}
