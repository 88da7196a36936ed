package io.gitcrq.model.event;

/** A branch disappeared from a watched repository; {@code lastHead} is the commit it pointed at. */
public record BranchDeleted(String repo, String branch, String lastHead) implements DomainEvent {
    public BranchDeleted {
        Require.text(repo, "repo");
        Require.text(branch, "branch");
    }

    @Override
    public String partitionKey() {
        return repo;
    }

    @Override
    public String subject() {
        return repo + ":" + branch;
    }
}
