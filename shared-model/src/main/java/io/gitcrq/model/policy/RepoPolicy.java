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
        return fromGitConfig(config, defaults());
    }

    /**
     * The policy from git config entries as {@link #fromGitConfig(Map)} reads them, over {@code base}: a key the
     * entries do not set keeps {@code base}'s value (a service's own policy, say, under a repository's). A
     * {@code null} value is an entry without a value ({@code key =}, or a bare {@code key} line): for a boolean
     * it means true, as in git.
     */
    public static RepoPolicy fromGitConfig(Map<String, String> config, RepoPolicy base) {
        List<String> types = List.copyOf(base.branchNames().types());
        List<String> exempt = List.copyOf(base.branchNames().exemptBranches());
        boolean requireLinked = base.requireLinkedCommits();
        for (Map.Entry<String, String> entry : config.entrySet()) {
            String key = keyOf(entry.getKey());
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

    /** Whether the entries (keyed as {@link #fromGitConfig(Map)} reads them) set any of the policy's keys. */
    public static boolean isSetIn(Map<String, String> config) {
        return config.keySet().stream()
                .map(RepoPolicy::keyOf)
                .anyMatch(key -> key.equals(BRANCH_TYPES.toLowerCase(Locale.ROOT))
                        || key.equals(EXEMPT_BRANCHES.toLowerCase(Locale.ROOT))
                        || key.equals(REQUIRE_LINKED_COMMITS.toLowerCase(Locale.ROOT)));
    }

    /** {@code gitcrq.branchTypes}, {@code branchtypes}, … → {@code branchtypes}. */
    private static String keyOf(String configKey) {
        String key = configKey.toLowerCase(Locale.ROOT);
        return key.startsWith(SECTION + ".") ? key.substring(SECTION.length() + 1) : key;
    }

    /**
     * Whether an unlinked commit made on {@code branch} is refused when committing: long-lived (exempt)
     * branches may take one (an initial import, say); a server still refuses it on push when
     * {@link #requireLinkedCommits()} is set.
     */
    public boolean commitMustBeLinkedOn(String branch) {
        return requireLinkedCommits
                && (branch == null || !branchNames.evaluate(branch).exempt());
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** Git's boolean spellings; an empty value (a bare {@code key} line) means true, as in git. */
    private static boolean gitBoolean(String key, String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "", "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default ->
                throw new IllegalArgumentException(
                        key + " is not a boolean: '" + value.strip() + "' (use true or false)");
        };
    }
}
