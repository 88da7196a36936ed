package io.gitcrq.model.policy;

/**
 * What {@link BranchNamePolicy} says of one branch name. For a valid name {@code crqId}, {@code type} and
 * {@code slug} are its parts; for an invalid one {@code problem} says what is wrong and how to fix it.
 */
public record BranchNameVerdict(
        String branch, boolean valid, boolean exempt, String type, String crqId, String slug, String problem) {

    static BranchNameVerdict exempt(String branch) {
        return new BranchNameVerdict(branch, true, true, null, null, null, null);
    }

    static BranchNameVerdict valid(String branch, String type, String crqId, String slug) {
        return new BranchNameVerdict(branch, true, false, type, crqId, slug, null);
    }

    static BranchNameVerdict invalid(String branch, String problem) {
        return new BranchNameVerdict(branch, false, false, null, null, null, problem);
    }
}
