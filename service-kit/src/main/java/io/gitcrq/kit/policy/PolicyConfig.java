package io.gitcrq.kit.policy;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/**
 * The service-wide gitcrq policy ({@code gitcrq.policy.*}): what applies to a repository whose git config does
 * not say otherwise (section {@code gitcrq}, see {@link io.gitcrq.model.policy.RepoPolicy}) and to every
 * remote repository. Unset means the defaults of {@code RepoPolicy.defaults()}.
 */
@ConfigMapping(prefix = "gitcrq.policy")
public interface PolicyConfig {
    Optional<List<String>> branchTypes();

    Optional<List<String>> exemptBranches();

    Optional<Boolean> requireLinkedCommits();
}
