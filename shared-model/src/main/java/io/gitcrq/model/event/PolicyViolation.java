package io.gitcrq.model.event;

/** Something in a repository breaks gitcrq's rules: a badly named branch, an unlinked commit. */
public record PolicyViolation(String repo, String ref, String commitId, String rule, String detail)
        implements DomainEvent {

    public static final String RULE_BRANCH_NAME = "branch-name";
    public static final String RULE_UNLINKED_COMMIT = "unlinked-commit";

    public PolicyViolation {
        Require.text(repo, "repo");
        Require.text(ref, "ref");
        Require.text(rule, "rule");
    }

    @Override
    public String partitionKey() {
        return repo;
    }

    @Override
    public String subject() {
        return repo + ":" + ref;
    }
}
