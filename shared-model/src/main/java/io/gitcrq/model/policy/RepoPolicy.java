package io.gitcrq.model.policy;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One repository's gitcrq policy, from its git config section {@code gitcrq} so that every gate on that
 * repository (hooks, watcher) applies the same rule:
 * <pre>
 * [gitcrq]
 *     branchTypes = feature, bugfix          # default: BranchNamePolicy.DEFAULT_TYPES
 *     exemptBranches = main, release         # default: BranchNamePolicy.DEFAULT_EXEMPT
 *     requireLinkedCommits = true            # default: true
 * </pre>
 *
 * @param branchNames          the branch naming rule
 * @param requireLinkedCommits whether every commit must be linked to a CRQ ({@link CrqReferences#ofCommit})
 */
public record RepoPolicy(BranchNamePolicy branchNames, boolean requireLinkedCommits) {

    public static final String SECTION = "gitcrq";
    public static final String BRANCH_TYPES = "branchTypes";
    public static final String EXEMPT_BRANCHES = "exemptBranches";
    public static final String REQUIRE_LINKED_COMMITS = "requireLinkedCommits";

    public RepoPolicy {
        if (branchNames == null) {
            throw new IllegalArgumentException("a repository policy needs a branch naming rule");
        }
    }

    public static RepoPolicy defaults() {
        return new RepoPolicy(BranchNamePolicy.defaults(), true);
    }

    /**
     * The policy from git config entries, keyed {@code gitcrq.<key>} (as {@code git config --get-regexp}
     * prints them: lower case) or just {@code <key>}, in any case; unset keys keep the defaults. List values
     * are comma-separated. A value git would not read (a bad boolean, an empty type list) is an
     * {@link IllegalArgumentException} naming the key.
     */
    public static RepoPolicy fromGitConfig(Map<String, String> config) {
        List<String> types = BranchNamePolicy.DEFAULT_TYPES;
        List<String> exempt = BranchNamePolicy.DEFAULT_EXEMPT;
        boolean requireLinked = true;
        for (Map.Entry<String, String> entry : config.entrySet()) {
            String key = entry.getKey().toLowerCase(Locale.ROOT);
            if (key.startsWith(SECTION + ".")) {
                key = key.substring(SECTION.length() + 1);
            }
            String value = entry.getValue() == null ? "" : entry.getValue();
            if (key.equals(BRANCH_TYPES.toLowerCase(Locale.ROOT))) {
                types = list(value);
                if (types.isEmpty()) {
                    throw new IllegalArgumentException(SECTION + "." + BRANCH_TYPES + " lists no branch type");
                }
            } else if (key.equals(EXEMPT_BRANCHES.toLowerCase(Locale.ROOT))) {
                exempt = list(value);
            } else if (key.equals(REQUIRE_LINKED_COMMITS.toLowerCase(Locale.ROOT))) {
                requireLinked = gitBoolean(SECTION + "." + REQUIRE_LINKED_COMMITS, value);
            }
        }
        return new RepoPolicy(new BranchNamePolicy(types, exempt), requireLinked);
    }

    /**
     * Whether an unlinked commit made on {@code branch} is refused when committing: long-lived (exempt)
     * branches may take one (an initial import, say); a server still refuses it on push when
     * {@link #requireLinkedCommits()} is set.
     */
    public boolean commitMustBeLinkedOn(String branch) {
        return requireLinkedCommits && (branch == null || !branchNames.evaluate(branch).exempt());
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Git's boolean spellings; an empty value (a bare {@code key} line) means true, as in git. */
    private static boolean gitBoolean(String key, String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "", "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException(key + " is not a boolean: '" + value.strip()
                    + "' (use true or false)");
        };
    }
}
