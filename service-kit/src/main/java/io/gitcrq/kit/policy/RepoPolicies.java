package io.gitcrq.kit.policy;

import io.gitcrq.model.policy.BranchNamePolicy;
import io.gitcrq.model.policy.RepoPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * The gitcrq policy of each repository a service judges: the repository's own git config (section
 * {@code gitcrq}, {@link RepoPolicy}) over the service-wide policy ({@code gitcrq.policy.*}) over the defaults:
 * the rule the repository's hooks apply too. A repository whose git config the service cannot read (a remote
 * one, of which the service only has a mirror) gets the service-wide policy.
 *
 * <p>Services read the git config with JGit, which this module does not depend on; they hand over the
 * section's names and a lookup, e.g. for a JGit {@code Config c}:
 * {@code ofRepository(name, c.getNames(RepoPolicy.SECTION), key -> c.getString(RepoPolicy.SECTION, null, key))}.
 * Reading is cheap: call it at each use, and a {@code git config} change applies at once.
 */
@ApplicationScoped
public class RepoPolicies {

    private static final Logger LOG = Logger.getLogger(RepoPolicies.class);

    private final RepoPolicy serviceWide;
    /** The last broken-config message logged per repository: logged once, not at every poll. */
    private final ConcurrentMap<String, String> reported = new ConcurrentHashMap<>();

    public RepoPolicies(PolicyConfig config) {
        this.serviceWide = new RepoPolicy(
                new BranchNamePolicy(
                        config.branchTypes().orElse(BranchNamePolicy.DEFAULT_TYPES),
                        config.exemptBranches().orElse(BranchNamePolicy.DEFAULT_EXEMPT)),
                config.requireLinkedCommits().orElse(true));
    }

    public RepoPolicy serviceWide() {
        return serviceWide;
    }

    /** The service-wide policy, for a repository whose own git config the service cannot read. */
    public EffectivePolicy ofService() {
        return new EffectivePolicy(serviceWide, EffectivePolicy.Source.SERVICE, null);
    }

    /**
     * The policy of repository {@code repo} from its git config section {@code gitcrq}: {@code names} are the
     * section's keys, {@code value} gives a key's value (null for a key without one). A value git would not
     * read does not stop the caller: the service-wide policy applies, the result says why in
     * {@link EffectivePolicy#error()}, and the problem is logged once.
     */
    public EffectivePolicy ofRepository(String repo, Set<String> names, UnaryOperator<String> value) {
        Map<String, String> section = new HashMap<>(); // not Collectors.toMap: values may be null
        for (String name : names) {
            section.put(name, value.apply(name));
        }
        if (!RepoPolicy.isSetIn(section)) {
            reported.remove(repo);
            return ofService();
        }
        try {
            RepoPolicy policy = RepoPolicy.fromGitConfig(section, serviceWide);
            if (reported.remove(repo) != null) {
                LOG.infof("the gitcrq settings in the git config of %s are read again", repo);
            }
            return new EffectivePolicy(policy, EffectivePolicy.Source.REPOSITORY, null);
        } catch (IllegalArgumentException e) {
            String error = "the gitcrq settings in the git config of " + repo + " are broken: " + e.getMessage()
                    + "; the service-wide policy applies until they are fixed";
            if (!error.equals(reported.put(repo, error))) {
                LOG.warn(error);
            }
            return new EffectivePolicy(serviceWide, EffectivePolicy.Source.SERVICE, error);
        }
    }
}
