package io.gitcrq.model.policy;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * gitcrq's branch naming rule, {@code <type>/CRQ-<n>-<slug>}: one implementation for every place that
 * creates or checks a branch (CLI, git-watcher, merge-bot). Long-lived branches ({@code main}, …) are exempt.
 */
public final class BranchNamePolicy {

    public static final List<String> DEFAULT_TYPES =
            List.of("feature", "bugfix", "hotfix", "chore", "docs", "refactor");
    public static final List<String> DEFAULT_EXEMPT = List.of("main", "master", "develop");

    private static final Pattern SHAPE =
            Pattern.compile("([^/]+)/(?i:CRQ)-([1-9][0-9]{0,17})-([a-z0-9]+(?:-[a-z0-9]+)*)");
    private static final int MAX_SLUG = 48;

    private final Set<String> types;
    private final Set<String> exempt;

    public BranchNamePolicy(List<String> types, List<String> exempt) {
        if (types == null || types.isEmpty()) {
            throw new IllegalArgumentException("a branch policy needs at least one type");
        }
        this.types = Set.copyOf(types);
        this.exempt = exempt == null ? Set.of() : Set.copyOf(exempt);
    }

    public static BranchNamePolicy defaults() {
        return new BranchNamePolicy(DEFAULT_TYPES, DEFAULT_EXEMPT);
    }

    public Set<String> types() {
        return types;
    }

    public Set<String> exemptBranches() {
        return exempt;
    }

    /** A type to show in messages: {@code feature} when allowed, else the first allowed type. */
    public String exampleType() {
        return types.contains("feature") ? "feature" : sortedTypes().get(0);
    }

    /** A conforming name to show in messages: {@code feature/CRQ-12-login-timeout} or the like. */
    public String example() {
        return exampleType() + "/CRQ-12-login-timeout";
    }

    /** The rule in one line with an example, for messages that refuse a name. */
    public String rule() {
        return "<type>/CRQ-<n>-<slug> with <type> one of " + String.join(", ", sortedTypes())
                + " (e.g. " + example() + ")"
                + (exempt.isEmpty()
                        ? ""
                        : "; exempt: "
                                + String.join(", ", exempt.stream().sorted().toList()));
    }

    public BranchNameVerdict evaluate(String branch) {
        if (branch == null || branch.isBlank()) {
            return BranchNameVerdict.invalid(String.valueOf(branch), "branch name is empty");
        }
        if (exempt.contains(branch)) {
            return BranchNameVerdict.exempt(branch);
        }
        Matcher m = SHAPE.matcher(branch);
        if (!m.matches()) {
            return BranchNameVerdict.invalid(
                    branch,
                    "branch '" + branch + "' does not follow <type>/CRQ-<n>-<slug> "
                            + "(e.g. feature/CRQ-12-login-timeout); types: " + String.join(", ", sortedTypes()));
        }
        if (!types.contains(m.group(1))) {
            return BranchNameVerdict.invalid(
                    branch,
                    "branch type '" + m.group(1) + "' is not allowed; types: " + String.join(", ", sortedTypes()));
        }
        return BranchNameVerdict.valid(branch, m.group(1), "CRQ-" + m.group(2), m.group(3));
    }

    /** The branch name for a new piece of work; refuses types the policy does not allow. */
    public String branchName(String type, CrqId crq, String description) {
        if (!types.contains(type)) {
            throw new IllegalArgumentException(
                    "branch type '" + type + "' is not allowed; types: " + String.join(", ", sortedTypes()));
        }
        return nameFor(type, crq, description);
    }

    /**
     * The name {@code <type>/CRQ-<n>-<slug>} for a new piece of work, without judging the type: for a caller
     * that leaves that to whoever knows the repository's policy (git-watcher, when it creates the branch).
     * Refuses only a description that makes no slug.
     */
    public static String nameFor(String type, CrqId crq, String description) {
        String slug = slug(description);
        if (slug.isEmpty()) {
            throw new IllegalArgumentException("the description must contain letters or digits to make a slug");
        }
        return type + "/" + crq + "-" + slug;
    }

    /** Lower-case ASCII words joined by '-', accents folded, at most 48 characters, never ending in '-'. */
    public static String slug(String description) {
        if (description == null) {
            return "";
        }
        String folded = Normalizer.normalize(description, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        String slug =
                folded.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        if (slug.length() > MAX_SLUG) {
            slug = slug.substring(0, MAX_SLUG).replaceAll("-+$", "");
        }
        return slug;
    }

    private List<String> sortedTypes() {
        return types.stream().sorted().toList();
    }
}
