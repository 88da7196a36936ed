package io.gitcrq.kit.policy;

import io.smallrye.config.ConfigMapping;

import java.util.List;
import java.util.Optional;

/** The branch naming rule's settings; unset means the defaults of {@code BranchNamePolicy}. */
@ConfigMapping(prefix = "gitcrq.policy")
public interface PolicyConfig {
    Optional<List<String>> branchTypes();

    Optional<List<String>> exemptBranches();
}
