package io.gitcrq.kit.policy;

import io.gitcrq.model.policy.BranchNamePolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one branch naming rule a service applies, built from configuration ({@code gitcrq.policy.*}). */
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
