package io.gitcrq.gitwatcher.config;

import io.gitcrq.model.policy.BranchNamePolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one branch naming rule this service applies, built from configuration. */
@ApplicationScoped
public class BranchNamePolicyProducer {

    // @Singleton, not @ApplicationScoped: the policy is final and immutable, so it needs no client proxy.
    @Produces
    @Singleton
    BranchNamePolicy branchNamePolicy(PolicyConfig config) {
        return new BranchNamePolicy(config.branchTypes().orElse(BranchNamePolicy.DEFAULT_TYPES),
                config.exemptBranches().orElse(BranchNamePolicy.DEFAULT_EXEMPT));
    }
}
